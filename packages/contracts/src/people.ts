import type { FieldError } from './errors.js';

/** Engagement of a prospect with outbound: drives the export policy ("all contacted", "replied", "positive"). */
export const ENGAGEMENT_STATES = ['not_contacted', 'contacted', 'replied', 'replied_positive', 'replied_negative'] as const;
export type EngagementState = (typeof ENGAGEMENT_STATES)[number];

export interface PersonDto {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  jobTitle: string | null;
  city: string | null;
  country: string | null;
  linkedinUrl: string | null;
  companyName: string | null;
  companyId: string | null;
  qualificationReasoning: string | null;
  leadStatus: string | null;
  engagementState: EngagementState;
  assignedUserId: string | null;
  customAttributes: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

/** Body of POST /api/people (and one row of bulk / CSV). `name` is split into first/last when those are absent. */
export interface CreatePersonBody {
  name?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
  jobTitle?: string;
  city?: string;
  country?: string;
  linkedinUrl?: string;
  companyName?: string;
  companyId?: string;
  qualificationReasoning?: string;
  leadStatus?: string;
  engagementState?: EngagementState;
  assignedUserId?: string;
  customAttributes?: Record<string, unknown>;
}
export type UpdatePersonBody = Partial<CreatePersonBody>;

export interface PeopleQuery {
  search?: string;
  engagementState?: EngagementState;
  leadStatus?: string;
  assignedUserId?: string;
  companyId?: string;
  page?: number;
  pageSize?: number;
  sort?: 'createdAt' | 'updatedAt' | 'lastName' | 'firstName' | 'email' | 'companyName';
  order?: 'asc' | 'desc';
}

export interface CompanyDto {
  id: string;
  name: string;
  domain: string | null;
  website: string | null;
  industry: string | null;
  employeeCount: number | null;
  city: string | null;
  country: string | null;
  /** Conduit custom attributes of the company (the Companies tab maps them to CRM custom fields). */
  customAttributes: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface CreateCompanyBody {
  name: string;
  domain?: string;
  website?: string;
  industry?: string;
  employeeCount?: number;
  city?: string;
  country?: string;
  customAttributes?: Record<string, unknown>;
}
export type UpdateCompanyBody = Partial<CreateCompanyBody>;

export interface CompaniesQuery {
  search?: string;
  industry?: string;
  page?: number;
  pageSize?: number;
  sort?: 'createdAt' | 'name' | 'domain' | 'employeeCount';
  order?: 'asc' | 'desc';
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** Result of bulk create and CSV import: rows that failed keep their index and field errors. */
export interface BulkResult {
  created: number;
  failed: number;
  errors: { index: number; errors: FieldError[] }[];
}
