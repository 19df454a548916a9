import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jsforce from 'jsforce';
import { startSalesforce, type SalesforceHarness } from './salesforce-harness.js';

let sf: SalesforceHarness;

beforeAll(async () => {
  sf = await startSalesforce({ seed: 21 });
});
afterAll(async () => {
  await sf.close();
});

async function json(path: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${sf.url}${path}`, { ...init, headers: { 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

describe('Salesforce sandbox — jsforce conveniences adapters use', () => {
  it('expands select("*") through describe and filters with SfDate literals', async () => {
    const conn = sf.connect();
    const since = new Date(Date.now() - 60_000);
    const created = (await conn.sobject('Lead').create({ LastName: 'Recent', Company: 'R', Conduit_Notes__c: 'n'.repeat(20_000) })) as { id: string };
    const rows = (await conn.sobject('Lead')
      .find({ SystemModstamp: { $gte: jsforce.SfDate.toDateTimeLiteral(since) } })
      .select('*')
      .sort('-SystemModstamp')
      .execute()) as Record<string, unknown>[];
    expect(rows.map((r) => r['Id'])).toEqual([created.id]);
    expect(rows[0]?.['Conduit_Notes__c']).toHaveLength(20_000);
    expect(Object.keys(rows[0] ?? {})).toContain('HubSpot_Contact_ID__c');
    const count = await conn.sobject('Lead').count({ IsConverted: true });
    expect(count).toBe(25);
    const one: Record<string, unknown> | null = await conn.sobject('User').findOne({ IsActive: false }, ['Id', 'Name', 'IsActive']);
    expect(one?.['IsActive']).toBe(false);
  });

  it('lists updated and deleted ids for replication (getUpdated/getDeleted)', async () => {
    const conn = sf.connect();
    const start = new Date(Date.now() - 5 * 60_000);
    const a = (await conn.sobject('Lead').create({ LastName: 'Repl', Company: 'R' })) as { id: string };
    const b = (await conn.sobject('Lead').create({ LastName: 'Repl2', Company: 'R' })) as { id: string };
    await conn.sobject('Lead').destroy(b.id);
    const end = new Date(Date.now() + 5 * 60_000);
    const updated = await conn.sobject('Lead').updated(start, end);
    expect(updated.ids).toContain(a.id);
    expect(updated.ids).not.toContain(b.id);
    const deleted = await conn.sobject('Lead').deleted(start, end);
    expect(deleted.deletedRecords.map((r) => r.id)).toEqual([b.id]);
    const old = new Date(Date.now() - 40 * 24 * 3_600_000);
    const err = await conn.sobject('Lead').updated(old, end).then(() => undefined, (e: unknown) => e as { errorCode?: string });
    expect(err?.errorCode).toBe('INVALID_REPLICATION_DATE');
  });

  it('finds the identity URL from the versioned root when the connection has no userInfo', async () => {
    const conn = sf.connect();
    const identity = await conn.identity();
    expect(identity.organization_id).toBe(sf.control.orgId);
    expect(identity.urls.rest).toContain('/services/data/v{version}/');
  });

  it('maps owner ids to active users', async () => {
    const users = sf.control.users();
    expect(users.filter((u) => u.active).length).toBeGreaterThanOrEqual(5);
    expect(users.filter((u) => !u.active)).toHaveLength(1);
    const conn = sf.connect();
    const inactive = users.find((u) => !u.active);
    const res = (await conn.sobject('Lead').create([{ LastName: 'Owned', Company: 'O', OwnerId: inactive?.id }])) as { errors: { statusCode: string }[] }[];
    expect(res[0]?.errors[0]?.statusCode).toBe('INACTIVE_OWNER_OR_USER');
  });
});

describe('Salesforce sandbox — HTTP control API', () => {
  it('configures, drifts fields, toggles the duplicate rule, seeds and converts over HTTP', async () => {
    const config = await json('/__sandbox/config', { method: 'PUT', body: JSON.stringify({ sessionTtlSec: 600, dailyApiLimit: 5000 }) });
    expect(config.body).toMatchObject({ sessionTtlSec: 600, dailyApiLimit: 5000, duplicateRule: 'block' });
    expect((await json('/__sandbox/fields/Lead', { method: 'POST', body: JSON.stringify({ name: 'Region__c', type: 'picklist', picklist: ['EMEA', 'AMER'] }) })).status).toBe(201);
    const conn = sf.connect();
    const describe = await conn.sobject('Lead').describe();
    expect(describe.fields.find((f) => f.name === 'Region__c')?.picklistValues?.map((p) => p.value)).toEqual(['EMEA', 'AMER']);
    expect((await json('/__sandbox/fields/Lead/Region__c', { method: 'DELETE' })).status).toBe(204);
    expect((await json('/__sandbox/duplicate-rule', { method: 'PUT', body: JSON.stringify({ mode: 'off' }) })).body).toEqual({ mode: 'off' });
    expect((await json('/__sandbox/config')).body).toMatchObject({ duplicateRule: 'off' });
    expect((await json('/__sandbox/seed/leads', { method: 'POST', body: JSON.stringify({ count: 50 }) })).body).toEqual({ leads: sf.control.count('Lead') });
    const [lead] = (await conn.query<{ Id: string }>('SELECT Id FROM Lead WHERE IsConverted = false LIMIT 1')).records;
    const converted = await json(`/__sandbox/leads/${lead?.Id ?? ''}/convert`, { method: 'POST', body: '{}' });
    expect(converted.body).toMatchObject({ contactId: expect.stringMatching(/^003/), accountId: expect.stringMatching(/^001/) });
    const record = await json(`/__sandbox/records/Lead/${lead?.Id ?? ''}`);
    expect(record.body).toMatchObject({ type: 'Lead', record: { IsConverted: true } });
    const link = await fetch(`${sf.url}/lightning/r/Lead/${lead?.Id ?? ''}/view`);
    expect(link.url).toBe(`${sf.url}/__sandbox/ui/Lead/${lead?.Id ?? ''}`);
    expect(await link.text()).toContain('Closed - Converted');
    const ui = await fetch(`${sf.url}/__sandbox/ui`);
    expect(await ui.text()).toContain('Salesforce sandbox');
    const list = await fetch(`${sf.url}/__sandbox/ui/Lead`);
    expect(await list.text()).toContain('Leads');
    expect((await json('/__sandbox/health')).body).toMatchObject({ ok: true, crm: 'salesforce' });
  });

  it('persists state to persistDir and reloads it on restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sf-sandbox-'));
    try {
      const first = await startSalesforce({ seed: 5, persistDir: dir });
      const conn = first.connect();
      const created = (await conn.sobject('Lead').create({ LastName: 'Persisted', Company: 'P', HubSpot_Contact_ID__c: 'persist-1' })) as { id: string };
      const token = conn.accessToken ?? '';
      await first.close();
      const second = await startSalesforce({ seed: 5, persistDir: dir });
      const res = await fetch(`${second.url}/services/data/v62.0/sobjects/Lead/HubSpot_Contact_ID__c/persist-1`, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { Id: string }).Id).toBe(created.id);
      const next = (await second.connect().sobject('Lead').create({ LastName: 'After restart', Company: 'P' })) as { id: string };
      expect(next.id).not.toBe(created.id);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
