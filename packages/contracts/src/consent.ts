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
