import { withCrmRetry } from '../crm-runtime/crm-retry.js';
import type { CrmEmailMatch, CrmObjectType } from '@conduit/crm';
import { contactMode, emailKey, type ExportContext, inBatches, type Item } from './export-context.js';

/** CRM fields a person export reads: what the rows, stamps and owner write. */
export function readFields(ctx: ExportContext, object: CrmObjectType): string[] {
  const caps = ctx.adapter.capabilities;
  const names = new Set<string>([caps.emailField, caps.ownerField]);
  for (const r of ctx.rows) if (r.exportBehaviour !== 'do_not_export') names.add(r.crmField);
  if (ctx.statusMapping) names.add(ctx.statusMapping.crmField);
  if (ctx.settings.contactSource) names.add(ctx.settings.contactSource.crmField);
  if (caps.companyLink.kind === 'field' && caps.companyLink.object === object) names.add(caps.companyLink.field);
  const known = ctx.fields[object];
  return known ? [...names].filter((n) => known.some((f) => f.name === n)) : [...names];
}

/**
 * One lookup by email per batch (Salesforce: unconverted Leads, Contacts, converted Leads → their Contact), the
 * linked record first when there is one. Salesforce reads Lead and Contact with one field list, so it asks for
 * the fields both have and reads Lead-only fields (Company, Status) of matched Leads by id.
 */
export async function lookUp(ctx: ExportContext, items: Item[]): Promise<void> {
  const { adapter } = ctx;
  // Person objects with different fields (Salesforce Lead, Contact) are looked up with the fields they share.
  const objects = adapter.capabilities.personObjects;
  const common = objects.map((o) => readFields(ctx, o)).reduce((a, b) => a.filter((n) => b.includes(n)));
  const emails = items.map((i) => i.person.email).filter((e): e is string => !!e);
  const matches: CrmEmailMatch[] = await inBatches(ctx, emails, (group) => withCrmRetry(() => adapter.findByEmails(group, { properties: common })));
  const byEmail = new Map<string, CrmEmailMatch[]>();
  for (const m of matches) byEmail.set(m.email, [...(byEmail.get(m.email) ?? []), m]);

  // Contact + Account with "create the Contact, leave the Lead": unconverted Leads are not this export's records.
  const skipLeads = contactMode(ctx) && ctx.settings.whenLeadExists === 'create_contact';
  const unresolvedLinks: Item[] = [];
  for (const item of items) {
    const key = item.person.email ? emailKey(item.person.email) : null;
    if (skipLeads && item.linked?.object === 'lead') item.linked = null;
    const found = (key ? (byEmail.get(key) ?? []) : []).filter((m) => !(skipLeads && m.record.object === 'lead'));
    const pick =
      found.find((m) => item.linked && m.record.id === item.linked.crmId) ??
      found.find((m) => m.record.object === 'contact') ??
      found.find((m) => m.record.object === 'lead') ??
      null;
    if (pick) {
      item.match = pick.record;
      item.object = pick.record.object;
      // The Contact also comes back from the Contact query, without saying it was a Lead's: ask every match.
      const convertedFrom = found.find((m) => m.convertedFromLeadId && m.record.id === pick.record.id)?.convertedFromLeadId;
      if (convertedFrom) item.convertedFromLeadId = convertedFrom;
    } else if (item.linked) unresolvedLinks.push(item);
  }

  // Linked records the email no longer finds (email changed on either side): read by id.
  for (const object of ['contact', 'lead'] as const) {
    const group = unresolvedLinks.filter((i) => i.linked?.object === object);
    if (!group.length) continue;
    const records = await withCrmRetry(() => adapter.readByIds(object, group.map((i) => i.linked!.crmId), { properties: readFields(ctx, object) }));
    const byId = new Map(records.map((r) => [r.id, r]));
    for (const item of group) {
      const record = byId.get(item.linked!.crmId);
      if (record && !record.archived) {
        item.match = record;
        item.object = object;
      }
    }
  }

  if (objects.length > 1) {
    // Fields only one of Lead / Contact has (Company, Status; AccountId) are read by id for the matched records.
    for (const object of objects) {
      const only = readFields(ctx, object).filter((n) => !common.includes(n));
      const matched = items.filter((i) => i.match?.object === object && only.some((f) => !(f in i.match!.properties)));
      if (!only.length || !matched.length) continue;
      const records = await withCrmRetry(() => adapter.readByIds(object, matched.map((i) => i.match!.id), { properties: only }));
      const byId = new Map(records.map((r) => [r.id, r]));
      for (const item of matched) Object.assign(item.match!.properties, byId.get(item.match!.id)?.properties ?? {});
    }
  }
}
