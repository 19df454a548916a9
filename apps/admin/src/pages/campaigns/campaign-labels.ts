import type { CampaignStatus, ExclusionReason } from '@conduit/contracts';

export const STATUS_LABELS: Record<CampaignStatus, string> = { draft: 'Draft', active: 'Active', paused: 'Paused' };
export const STATUS_COLORS: Record<CampaignStatus, string> = { draft: 'gray', active: 'teal', paused: 'yellow' };

export const REASON_LABELS: Record<ExclusionReason, string> = {
  suppressed: 'Suppression list',
  dnc_open_deal: 'Open deal',
  dnc_customer: 'Customer',
  dnc_domain: 'Do-not-contact domain',
};

export const REASON_COLORS: Record<ExclusionReason, string> = {
  suppressed: 'orange',
  dnc_open_deal: 'red',
  dnc_customer: 'grape',
  dnc_domain: 'gray',
};

/** "Suppression list: Churned customers", "Open deal: Acme renewal": a reason with what is behind it. */
export function reasonText(reason: ExclusionReason, detail: string | null): string {
  return detail ? `${REASON_LABELS[reason]}: ${detail}` : REASON_LABELS[reason];
}
