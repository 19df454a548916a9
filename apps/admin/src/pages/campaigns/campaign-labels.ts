import type { CampaignStatus, ExclusionReason, ExclusionReasonDto } from '@conduit/contracts';

export const STATUS_LABELS: Record<CampaignStatus, string> = { draft: 'Draft', active: 'Active', paused: 'Paused' };
export const STATUS_COLORS: Record<CampaignStatus, string> = { draft: 'gray', active: 'teal', paused: 'yellow' };

export const REASON_LABELS: Record<ExclusionReason, string> = {
  suppressed: 'Suppression list',
  dnc_open_deal: 'Open deal',
  dnc_customer: 'Customer',
  dnc_domain: 'Do-not-contact domain',
  email_opted_out: 'Unsubscribed',
  email_bounced: 'Email bounced',
  do_not_call: 'Do not call',
};

export const REASON_COLORS: Record<ExclusionReason, string> = {
  suppressed: 'orange',
  dnc_open_deal: 'red',
  dnc_customer: 'grape',
  dnc_domain: 'gray',
  email_opted_out: 'pink',
  email_bounced: 'yellow',
  do_not_call: 'indigo',
};

const CRM_NAMES = { hubspot: 'HubSpot', salesforce: 'Salesforce' } as const;
const CONSENT_REASONS = new Set<ExclusionReason>(['email_opted_out', 'email_bounced', 'do_not_call']);

/** "3 Dec" (with the year when it is not this year). */
export function shortDate(iso: string, now = new Date()): string {
  const d = new Date(iso);
  const sameYear = d.getUTCFullYear() === now.getUTCFullYear();
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }), timeZone: 'UTC' });
}

/**
 * "Suppression list: Churned customers", "Open deal: Acme renewal": a reason with what is behind it. Consent reasons
 * say where and when: "Unsubscribed in HubSpot on 3 Dec", "Email bounced (reported by the outbound engine) on 4 Dec".
 */
export function reasonText(r: ExclusionReasonDto, now = new Date()): string {
  const label = REASON_LABELS[r.reason];
  if (CONSENT_REASONS.has(r.reason)) {
    const where = r.crm ? ` in ${CRM_NAMES[r.crm]}` : ' (reported by the outbound engine)';
    const when = r.at ? ` on ${shortDate(r.at, now)}` : '';
    return `${label}${where}${when}`;
  }
  return r.detail ? `${label}: ${r.detail}` : label;
}
