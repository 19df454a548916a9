import { type ConsentKind, consentOfRecord, type CrmKind, type CrmRecord } from '@conduit/crm';

/**
 * The consent half of an import, pure: what a page of CRM person records says about email opt-out, bounces and
 * do-not-call, as rows for person_consent (the service joins them to the people through crm_link). A record that
 * cannot say (archived, consent fields not fetched) is left out of `known`, so what Conduit holds from it stays.
 */
export interface ConsentRow {
  crm_id: string;
  kind: ConsentKind;
  channel: 'email' | 'phone';
  reason: string | null;
  /** When it happened if the CRM says, else when the record last changed (the change that carried it). */
  at: string;
}

export interface ConsentPlan {
  /** CRM ids whose consent facts are known: their CRM-sourced rows are replaced by `rows`. */
  known: string[];
  rows: ConsentRow[];
}

export function channelOf(kind: ConsentKind): 'email' | 'phone' {
  return kind === 'do_not_call' ? 'phone' : 'email';
}

export function planConsent(crm: CrmKind, records: readonly CrmRecord[]): ConsentPlan {
  const known: string[] = [];
  const rows: ConsentRow[] = [];
  for (const record of records) {
    const facts = consentOfRecord(crm, record);
    if (facts === null) continue;
    known.push(record.id);
    for (const f of facts) rows.push({ crm_id: record.id, kind: f.kind, channel: channelOf(f.kind), reason: f.reason, at: f.at ?? record.updatedAt });
  }
  return { known, rows };
}
