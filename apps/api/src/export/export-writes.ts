import { Logger } from '@nestjs/common';
import { isBlank } from '@conduit/mapping';
import { withCrmRetry } from '../crm-runtime/crm-retry.js';
import { attentionFromCrm, createObjectOf, emailKey, type ExportContext, inBatches, type Item } from './export-context.js';
import { readFields } from './export-lookup.js';
import { salesforceObjectOfId } from './export-plan.js';
import { planItem } from './export-planning.js';
import { type Settled, writeSettled } from './export-retry.js';

const logger = new Logger('ExportWrites');

export async function writeItems(ctx: ExportContext, items: Item[]): Promise<void> {
  const ready = items.filter((i) => !i.attention);
  const updates = ready.filter((i) => i.match && Object.keys(i.properties).length > 0);
  for (const i of ready) if (i.match && Object.keys(i.properties).length === 0) i.outcome = 'unchanged';
  const creates = ready.filter((i) => !i.match);

  for (const object of ['contact', 'lead'] as const) {
    const group = updates.filter((i) => i.object === object);
    if (!group.length) continue;
    const settled = await inBatches(ctx, group, (part) => writeSettled(part, (pending) => ctx.adapter.updateMany(object, pending.map((i) => ({ id: i.match!.id, properties: i.properties })))));
    apply(settled, 'updated');
  }
  if (!creates.length) return;
  if (ctx.adapter.capabilities.personCreate === 'upsert_by_email') await createHubspot(ctx, creates);
  else await createSalesforce(ctx, creates);
}

/** Upsert by email: the CRM makes it atomic, so a retried or concurrent create cannot duplicate the contact. */
async function createHubspot(ctx: ExportContext, creates: Item[]): Promise<void> {
  const byEmail = creates.filter((i) => i.person.email);
  const settled = await inBatches(ctx, byEmail, (part) => writeSettled(part, (pending) => ctx.adapter.upsertManyByEmail('contact', pending.map((i) => ({ email: i.person.email!, properties: i.properties })))));
  apply(settled, 'created');
  // A linked person without an email whose contact is gone: created plainly.
  const plain = creates.filter((i) => !i.person.email);
  if (plain.length) apply(await writeSettled(plain, (pending) => ctx.adapter.createMany('contact', pending.map((i) => ({ properties: i.properties })))), 'created');
}

/**
 * Leads: upsert on the configured external-id field (atomic), else create — and before any retried create,
 * look the emails up again, since a create that timed out may have landed. A duplicate rule answer links the
 * person to the record it names and updates that record with the export rules.
 */
async function createSalesforce(ctx: ExportContext, creates: Item[]): Promise<void> {
  const { adapter } = ctx;
  // Leads, or Contacts (with their AccountId) in Contact + Account mode; the external-id field is a Lead field.
  const object = createObjectOf(ctx);
  const external = object === 'lead' ? ctx.settings.externalIdField : null;
  const send = (pending: Item[]) =>
    external
      ? adapter.upsertByExternalId('lead', external, pending.map((i) => ({ value: i.person.id, properties: i.properties })))
      : adapter.createMany(object, pending.map((i) => ({ properties: i.properties })));
  const beforeRetry = async (pending: Item[]): Promise<{ retry: Item[]; settled: Settled<Item>[] }> => {
    if (external) return { retry: pending, settled: [] };
    const emails = pending.map((i) => i.person.email).filter((e): e is string => !!e);
    const found = emails.length ? await withCrmRetry(() => adapter.findByEmails(emails, { properties: ['Email'] })) : [];
    const hit = new Map(found.filter((m) => m.record.object === object).map((m) => [m.email, m.record]));
    const settled: Settled<Item>[] = [];
    const retry: Item[] = [];
    for (const item of pending) {
      const record = item.person.email ? hit.get(emailKey(item.person.email)) : undefined;
      if (record) settled.push({ input: item, result: { index: 0, ok: true, id: record.id, object: record.object, created: true } });
      else retry.push(item);
    }
    return { retry, settled };
  };
  const settled = await writeSettled(creates, send, beforeRetry);
  const duplicates: Item[] = [];
  for (const s of settled) {
    if (!s.result.ok && s.result.error.details.kind === 'duplicate' && s.result.error.details.existingId) {
      s.input.crmId = s.result.error.details.existingId;
      s.input.object = salesforceObjectOfId(s.input.crmId) ?? 'lead';
      duplicates.push(s.input);
    }
  }
  apply(settled.filter((s) => !duplicates.includes(s.input)), 'created');
  if (duplicates.length) await updateDuplicates(ctx, duplicates);
}

/** The duplicate rule named an existing record: read it, diff against it, update it. */
async function updateDuplicates(ctx: ExportContext, items: Item[]): Promise<void> {
  for (const object of ['lead', 'contact'] as const) {
    const group = items.filter((i) => i.object === object);
    if (!group.length) continue;
    const records = await withCrmRetry(() => ctx.adapter.readByIds(object, group.map((i) => i.crmId!), { properties: readFields(ctx, object) }));
    const byId = new Map(records.map((r) => [r.id, r]));
    for (const item of group) {
      item.match = byId.get(item.crmId!) ?? null;
      if (!item.match) {
        item.attention = { code: 'duplicate_not_readable', reason: `Salesforce reported a duplicate (${item.crmId}) that cannot be read`, fields: [], source: 'crm' };
        continue;
      }
      planItem(ctx, item);
      // Contact + Account: a duplicate Contact without an Account gets the one resolved for the person.
      if (item.account && !item.attention && isBlank(item.match.properties['AccountId'])) item.properties['AccountId'] = item.account.id;
    }
    const toUpdate = group.filter((i) => !i.attention && Object.keys(i.properties).length > 0);
    for (const i of group) if (!i.attention && Object.keys(i.properties).length === 0) i.outcome = 'unchanged';
    if (toUpdate.length) apply(await writeSettled(toUpdate, (pending) => ctx.adapter.updateMany(object, pending.map((i) => ({ id: i.crmId!, properties: i.properties })))), 'updated');
  }
}

function apply(settled: Settled<Item>[], outcome: 'created' | 'updated'): void {
  for (const { input, result } of settled) {
    if (result.ok) {
      input.crmId = result.id;
      input.object = result.object;
      input.outcome = outcome === 'created' && result.created === false ? 'updated' : outcome;
      continue;
    }
    const e = result.error;
    input.attention = attentionFromCrm(e);
  }
}

/** Contact ↔ company, in one batch, for people linked for the first time (re-exports make no association call). */
export async function associate(ctx: ExportContext, items: Item[], companyIds: Map<Item, string>): Promise<void> {
  const links = items
    .filter((i) => !i.attention && i.crmId && !i.linked && companyIds.has(i))
    .map((i) => ({ from: { object: 'contact' as const, id: i.crmId! }, to: { object: 'company' as const, id: companyIds.get(i)! }, primary: true }));
  if (!links.length) return;
  const results = await withCrmRetry(() => ctx.adapter.associate(links));
  const failed = results.filter((r) => !r.ok);
  if (failed.length) logger.warn({ msg: 'contact-company associations failed', connectionId: ctx.connection.id, count: failed.length });
}
