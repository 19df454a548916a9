import type { CrmKind } from './connections.js';

/** Every activity the outbound engine reports. */
export const ACTIVITY_TYPES = ['email_sent', 'email_reply', 'linkedin_message', 'linkedin_connection_request', 'call', 'meeting', 'note', 'task'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/**
 * Per CRM connection: pending (queued for delivery) → logged | failed; waiting_for_export while the person is not in
 * the CRM and the policy does not make them exportable; not_synced_type_off when the type was off at intake.
 */
export const ACTIVITY_DELIVERY_STATUSES = ['pending', 'logged', 'waiting_for_export', 'not_synced_type_off', 'failed'] as const;
export type ActivityDeliveryStatus = (typeof ACTIVITY_DELIVERY_STATUSES)[number];

export const REPLY_SENTIMENTS = ['positive', 'negative', 'neutral'] as const;
export type ReplySentiment = (typeof REPLY_SENTIMENTS)[number];

export interface ActivityDeliveryDto {
  crm: CrmKind;
  status: ActivityDeliveryStatus;
  /** HubSpot engagement id / Salesforce Task or Event id once logged. */
  crmId: string | null;
  /** HubSpot object (emails, calls, …) / Salesforce Task or Event. */
  crmObject: string | null;
  recordUrl: string | null;
  /** The CRM's reason when failed. */
  reason: string | null;
  loggedAt: string | null;
  /**
   * A pending delivery held up: by its CRM (`crm`: the CRM's last failure in words, "HubSpot answered 500: internal
   * error", failing since when) or by the daily API budget (`api_budget`, #17: "Waiting: daily HubSpot API allocation
   * spent"), and when Conduit tries again (null: it is trying now).
   */
  waiting: { cause: 'crm' | 'api_budget'; reason: string; failingSince: string | null; nextAttemptAt: string | null } | null;
}

export interface ActivityDto {
  id: string;
  idempotencyKey: string;
  type: ActivityType;
  personId: string;
  performerUserId: string | null;
  occurredAt: string;
  /** The type-specific fields as received. */
  details: Record<string, unknown>;
  deliveries: ActivityDeliveryDto[];
  createdAt: string;
}

/** Answer of one intake: `duplicate` when the idempotency key was seen before (nothing new was logged). */
export interface ActivityIntakeResultDto {
  activity: ActivityDto;
  duplicate: boolean;
}

export interface ActivityBatchResultDto {
  results: Array<{ index: number; ok: true; activity: ActivityDto; duplicate: boolean } | { index: number; ok: false; status: number; message: string }>;
}

export interface ActivityListDto {
  items: ActivityDto[];
  total: number;
  page: number;
  pageSize: number;
}

/** The Activity tab of Advanced sync, per CRM connection. */
export interface ActivitySettingsDto {
  crm: CrmKind;
  types: Record<ActivityType, boolean>;
  /** Prefixed to subjects/bodies; may be empty. */
  label: string;
  associateCompany: boolean;
  associateDeal: boolean;
}

export type UpdateActivitySettingsBody = Partial<Omit<ActivitySettingsDto, 'crm' | 'types'>> & { types?: Partial<Record<ActivityType, boolean>> };
