/** Consent (#18): what the outbound engine reports and where it was written; erasure. */

export type ConsentEventTypeDto = 'unsubscribe' | 'hard_bounce' | 'spam_complaint';
export type ConsentDeliveryStatus = 'pending' | 'delivered' | 'waiting_for_export' | 'failed';

export interface ConsentDeliveryDto {
  id: string;
  connectionId: string;
  crm: 'hubspot' | 'salesforce';
  status: ConsentDeliveryStatus;
  /** The CRM's reason when failed, or the last transient error while pending. */
  reason: string | null;
  /** The CRM record written (HubSpot contact, Salesforce Lead or Contact). */
  crmRecordId: string | null;
  attempts: number;
  deliveredAt: string | null;
}

/** One consent write to one CRM, as the Activity log and Needs attention list it (`GET /consent/deliveries`). */
export interface ConsentDeliveryRowDto extends ConsentDeliveryDto {
  eventId: string;
  type: ConsentEventTypeDto;
  personId: string;
  /** The person's name and email (null when not set). */
  personName: string | null;
  personEmail: string | null;
  /** When the outbound engine says it happened. */
  occurredAt: string;
  /** When the delivery last changed (its last try). */
  updatedAt: string;
}

export interface ConsentDeliveryPageDto {
  items: ConsentDeliveryRowDto[];
  total: number;
  page: number;
  pageSize: number;
}

export interface ConsentEventResultDto {
  id: string;
  idempotencyKey: string;
  type: ConsentEventTypeDto;
  personId: string;
  occurredAt: string;
  /** true when the idempotency key was seen before: nothing new was recorded. */
  duplicate: boolean;
  deliveries: ConsentDeliveryDto[];
}

export interface ErasureResultDto {
  /** People erased (their data deleted, their email's salted hash suppressed). */
  erased: number;
  /** Emails of the request that matched no person but are suppressed now all the same. */
  suppressedOnly: number;
  /** HubSpot GDPR deletes requested (delivered in the background). */
  hubspotDeletes: number;
}

/** Erase one person (`POST /people/:id/erasure`). */
export interface ErasePersonBody {
  /** Also ask HubSpot to delete the contact through its GDPR delete endpoint (Salesforce records are left to the customer). */
  deleteInHubspot?: boolean;
}

/** Erase people by email (`POST /erasure`); a CSV goes to `POST /erasure/import-csv` with an `email` column. */
export interface EraseEmailsBody extends ErasePersonBody {
  emails: string[];
}

export type ErasureHubspotStatus = 'not_requested' | 'pending' | 'done' | 'failed';

/** One erasure as the audit log keeps it: who, when, how many — never whom. */
export interface ErasureAuditDto {
  id: string;
  /** The member who erased (null for an API key or a member since removed). */
  actorUserId: string | null;
  actorName: string | null;
  /** The API key that erased, when an API key did. */
  actorApiKeyId: string | null;
  source: 'person' | 'emails' | 'csv';
  peopleErased: number;
  emailsSuppressed: number;
  hubspotRequested: number;
  hubspotDeleted: number;
  /** Contacts HubSpot no longer had (already deleted there). */
  hubspotNotFound: number;
  hubspotStatus: ErasureHubspotStatus;
  /** HubSpot's reason when its deletion failed. */
  hubspotReason: string | null;
  createdAt: string;
  hubspotFinishedAt: string | null;
}
