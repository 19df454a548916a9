import { diffForExport, isBlank } from '@conduit/mapping';
import type { ExportContext, Item } from './export-context.js';
import { conduitRecordOf, SALESFORCE_COMPANY_PLACEHOLDER } from './export-plan.js';

const LIFECYCLE_STAGE = 'lifecyclestage';

/** What to send for one person, or why it cannot be sent (preflight against the discovered schema). */
export function planItem(ctx: ExportContext, item: Item): void {
  const crm = ctx.connection.crm;
  const { person } = item;
  if (!person.email && !person.lastName && !person.firstName) {
    item.attention = { code: 'no_identity', reason: 'The person has neither an email nor a name', fields: [], source: 'preflight' };
    return;
  }
  if (ctx.adapter.capabilities.personCreate === 'upsert_by_email' && !person.email && !item.linked) {
    item.attention = { code: 'email_required', reason: 'HubSpot contacts are matched by email: add an email to export this person', fields: ['email'], source: 'preflight' };
    return;
  }
  const fields = ctx.fields[item.object];
  const known = fields ? new Set(fields.map((f) => f.name.toLowerCase())) : null;
  // A Salesforce Contact has no Company or Status: rows for Lead-only fields do not apply to it.
  const applies = (crmField: string) => known === null || known.has(crmField.toLowerCase());
  const rows = ctx.rows.filter((r) => applies(r.crmField));
  const statusMapping = ctx.statusMapping && applies(ctx.statusMapping.crmField) ? ctx.statusMapping : undefined;
  const contactSource = ctx.settings.contactSource && applies(ctx.settings.contactSource.crmField) ? ctx.settings.contactSource : undefined;
  const record = conduitRecordOf(person, item.company, item.advancedStatus);
  if (crm === 'salesforce' && !item.match && isBlank(record['lastName'])) {
    // Salesforce requires LastName; a first name alone is used rather than refusing the person.
    record['lastName'] = person.firstName ?? person.email?.split('@')[0] ?? null;
  }
  const diff = diffForExport({
    crm,
    object: 'contact',
    rows,
    conduitRecord: record,
    crmCurrent: item.match ? item.match.properties : null,
    ...(fields ? { fields } : {}),
    ...(contactSource ? { contactSource } : {}),
    ...(statusMapping ? { statusMapping } : {}),
  });
  const errors = diff.errors.filter((e) => {
    if (crm === 'salesforce' && e.code === 'required_missing' && e.crmField.toLowerCase() === 'company') {
      diff.properties[e.crmField] = SALESFORCE_COMPANY_PLACEHOLDER;
      return false;
    }
    return true;
  });
  if (errors.length) {
    item.attention = {
      code: errors[0]!.code,
      reason: errors.map((e) => e.message).join('; '),
      fields: [...new Set(errors.map((e) => e.crmField))],
      source: 'preflight',
    };
    return;
  }
  // HubSpot lifecycle stages only move forward: never ask it to move a contact back (it would refuse the record).
  if (crm === 'hubspot' && item.match && statusMapping?.crmField === LIFECYCLE_STAGE) {
    const order = (fields?.find((f) => f.name === LIFECYCLE_STAGE)?.options ?? []).map((o) => o.value);
    const next = order.indexOf(String(diff.properties[LIFECYCLE_STAGE] ?? ''));
    const current = order.indexOf(String(item.match.properties[LIFECYCLE_STAGE] ?? ''));
    if (next >= 0 && current >= 0 && next < current) delete diff.properties[LIFECYCLE_STAGE];
  }
  const owner = ctx.owners?.resolveOwnerForExport(person.assignedUserId);
  const ownerName = ctx.adapter.capabilities.ownerField;
  // The owner is set on create and where the CRM has none: a rep's reassignment in the CRM is kept.
  if (owner && (!item.match || isBlank(item.match.properties[ownerName]))) diff.properties[ownerName] = owner.ownerId;
  item.properties = diff.properties;
  if (item.match) item.crmId = item.match.id;
}
