import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import { CrmClients } from '../src/crm-runtime/crm-clients.service.js';
import { connectedWorkspace, crmSandboxConfig } from './support/crm-test-app.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Most requests the sandbox was answering at one moment, from its log (arrival = answered − time taken). */
function peakConcurrency(entries: readonly { at: number; ms: number }[]): number {
  const events = entries.flatMap((e) => [
    { t: e.at - e.ms, d: 1 },
    { t: e.at, d: -1 },
  ]);
  events.sort((x, y) => x.t - y.t || x.d - y.d);
  let now = 0;
  let peak = 0;
  for (const e of events) peak = Math.max(peak, (now += e.d));
  return peak;
}

/**
 * The CRM runtime's in-flight limiter with the real HubSpot SDK over HTTP: calls of one connection overlap up to the
 * limit it learns, and a 429 halves it while every call still succeeds (retried after the CRM's retry-after).
 */
describe('CRM calls in flight (CrmClients + InFlightLimiter, real SDK against the sandbox)', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  let workspaceId: string;
  let connectionId: string;
  let contactIds: string[];

  beforeAll(async () => {
    sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 1 });
    t = await startTestApp(crmSandboxConfig(sandbox));
    const connected = await connectedWorkspace(t, 'In flight', 'hubspot');
    workspaceId = connected.workspace.id;
    connectionId = connected.connectionId;
    contactIds = [...(sandbox.hubspot.control.store().records.get('contacts')?.keys() ?? [])].slice(0, 60);
    expect(contactIds).toHaveLength(60);
  });

  afterAll(async () => {
    await t?.close();
    await sandbox?.stop();
  });

  it('keeps several calls of a connection in flight, never more than its limit, and grows the limit while they answer', async () => {
    // Every contact read (a batch read of one id) answers in 1 s: one at a time, 60 calls would take a minute. The
    // budget paces them ~105 ms apart (95 per 10 s), so about ten are in flight when nothing else holds them back.
    sandbox.hubspot.control.setFaults([{ path: '/crm/v3/objects/contacts/batch/read', latencyMs: 1_000 }]);
    sandbox.hubspot.control.clearRequests();
    const client = await t.app.get(CrmClients).open(workspaceId, connectionId);
    const peakLimit = { value: client.inFlight.limit };
    const records = await client.inFlight.map(contactIds, async (id) => {
      peakLimit.value = Math.max(peakLimit.value, client.inFlight.limit);
      const [record] = await client.adapter.readByIds('contact', [id]);
      return record?.id;
    });
    expect(records).toEqual(contactIds);
    const log = sandbox.hubspot.control.requests().filter((r) => r.path.startsWith('/crm/v3/objects/contacts/batch/read'));
    expect(log).toHaveLength(60);
    const peak = peakConcurrency(log);
    expect(peak).toBeGreaterThan(5);
    expect(peak).toBeLessThanOrEqual(peakLimit.value);
    expect(client.inFlight.limit).toBeGreaterThan(5);
    expect(client.inFlight.state().decreases).toBe(0);
    // The same connection's limiter is shared by every client of it in this process.
    expect((await t.app.get(CrmClients).open(workspaceId, connectionId)).inFlight).toBe(client.inFlight);
  });

  it('halves on 429s and still gets every answer (client.call retries each attempt under the limit)', async () => {
    const client = await t.app.get(CrmClients).open(workspaceId, connectionId);
    const before = client.inFlight.state();
    sandbox.hubspot.control.setFaults([{ path: '/crm/v3/objects/contacts/batch/read', status: 429, share: 0.2 }], 7);
    sandbox.hubspot.control.clearRequests();
    const records = await Promise.all(contactIds.slice(0, 30).map((id) => client.call(async (adapter) => (await adapter.readByIds('contact', [id]))[0]?.id)));
    expect(records).toEqual(contactIds.slice(0, 30));
    const statuses = sandbox.hubspot.control
      .requests()
      .filter((r) => r.path.startsWith('/crm/v3/objects/contacts/batch/read'))
      .map((r) => r.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 200)).toHaveLength(30);
    const after = client.inFlight.state();
    expect(after.decreases).toBeGreaterThan(before.decreases);
    expect(after.limit).toBeLessThan(before.limit);
    sandbox.hubspot.control.clearFaults();
  }, 60_000);
});
