import { ENGAGEMENT_STATES, type CompaniesQuery, type EngagementState, type PeopleQuery } from '@conduit/contracts';

export const PAGE_SIZES = [10, 25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 25;

export const PEOPLE_SORTS = ['createdAt', 'updatedAt', 'lastName', 'firstName', 'email', 'companyName'] as const;
export type PeopleSort = (typeof PEOPLE_SORTS)[number];
export const COMPANY_SORTS = ['createdAt', 'name', 'domain', 'employeeCount'] as const;
export type CompanySort = (typeof COMPANY_SORTS)[number];

function oneOf<T extends string>(allowed: readonly T[], value: string | null): T | undefined {
  return allowed.find((item) => item === value);
}

function positiveInt(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n >= 1 ? n : undefined;
}

function pageSize(value: string | null): number | undefined {
  const n = positiveInt(value);
  return PAGE_SIZES.find((size) => size === n);
}

function text(value: string | null): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** Reads the Lead Research list state from the URL, ignoring anything malformed. */
export function parsePeopleParams(params: URLSearchParams): PeopleQuery {
  return {
    search: text(params.get('search')),
    engagementState: oneOf<EngagementState>(ENGAGEMENT_STATES, params.get('engagementState')),
    leadStatus: text(params.get('leadStatus')),
    page: positiveInt(params.get('page')),
    pageSize: pageSize(params.get('pageSize')),
    sort: oneOf(PEOPLE_SORTS, params.get('sort')),
    order: oneOf(['asc', 'desc'] as const, params.get('order')),
  };
}

export function parseCompanyParams(params: URLSearchParams): CompaniesQuery {
  return {
    search: text(params.get('search')),
    page: positiveInt(params.get('page')),
    pageSize: pageSize(params.get('pageSize')),
    sort: oneOf(COMPANY_SORTS, params.get('sort')),
    order: oneOf(['asc', 'desc'] as const, params.get('order')),
  };
}

/**
 * Applies a change to the list state in the URL. Any change other than the page itself
 * (new search, filter, sort or page size) goes back to page 1, and defaults are dropped
 * so shared links stay short.
 */
export function updateListParams(
  current: URLSearchParams,
  changes: Record<string, string | number | null | undefined>,
): URLSearchParams {
  const next = new URLSearchParams(current);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined || value === null || value === '') next.delete(key);
    else next.set(key, String(value));
  }
  if (!('page' in changes)) next.delete('page');
  if (next.get('page') === '1') next.delete('page');
  if (next.get('pageSize') === String(DEFAULT_PAGE_SIZE)) next.delete('pageSize');
  return next;
}

/** Clicking a column: first ascending, then descending, then back to the default order. */
export function nextSort<S extends string>(
  current: { sort?: S; order?: 'asc' | 'desc' },
  column: S,
): { sort: S | null; order: 'asc' | 'desc' | null } {
  if (current.sort !== column) return { sort: column, order: 'asc' };
  if ((current.order ?? 'asc') === 'asc') return { sort: column, order: 'desc' };
  return { sort: null, order: null };
}
