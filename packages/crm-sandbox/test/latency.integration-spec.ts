import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '../src/index.js';

/** Latency profiles over real HTTP: times drawn per call, calls in flight overlapping, switched at run time. */
let sandbox: Sandbox;
let hubspotToken: string;
let salesforceToken: string;

beforeAll(async () => {
  sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 21, hubspot: { rateLimit: { enabled: false } } });
  hubspotToken = sandbox.hubspot.control.mintToken().accessToken;
  salesforceToken = sandbox.salesforce.control.mintToken().accessToken;
});
afterAll(async () => {
  await sandbox.stop();
});

const hubspot = (path: string, init: RequestInit = {}): Promise<Response> =>
  fetch(`${sandbox.hubspot.url}${path}`, { ...init, headers: { authorization: `Bearer ${hubspotToken}`, 'content-type': 'application/json' } });
const salesforce = (path: string, init: RequestInit = {}): Promise<Response> =>
  fetch(`${sandbox.salesforce.url}/services/data/v62.0${path}`, { ...init, headers: { authorization: `Bearer ${salesforceToken}`, 'content-type': 'application/json' } });

async function timed(call: () => Promise<Response>): Promise<number> {
  const t0 = performance.now();
  const res = await call();
  await res.arrayBuffer();
  expect(res.ok).toBe(true);
  return performance.now() - t0;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

describe('latency profiles over HTTP', () => {
  it('is instant by default for tests, and the profile switches at run time through the control API', async () => {
    expect(await (await fetch(`${sandbox.hubspot.url}/__sandbox/latency`)).json()).toMatchObject({ profile: 'instant', kinds: { read: { p50: 0 } } });
    const instant = [];
    for (let i = 0; i < 5; i++) instant.push(await timed(() => hubspot('/crm/v3/owners/')));

    const put = await fetch(`${sandbox.hubspot.url}/__sandbox/latency`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ profile: 'realistic' }) });
    expect(await put.json()).toMatchObject({ profile: 'realistic', seed: 21, kinds: { read: { p50: 250, p95: 700, p99: 1500 }, search: { p50: 300 }, batchWrite: { p50: 450 }, write: { p50: 200 }, oauth: { p50: 300 } } });
    const realistic = [];
    for (let i = 0; i < 5; i++) realistic.push(await timed(() => hubspot('/crm/v3/owners/')));
    // Timers never fire early: a small realistic read takes at least the floor (0.3 × 250 ms × its size factor ≈ 52 ms).
    expect(Math.min(...realistic)).toBeGreaterThanOrEqual(50);
    expect(median(realistic)).toBeGreaterThan(median(instant) + 40);

    const bad = await fetch(`${sandbox.hubspot.url}/__sandbox/latency`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ profile: 'glacial' }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'profile must be one of instant, realistic, slow' });
    sandbox.hubspot.control.setLatencyProfile('instant');
    expect(sandbox.hubspot.control.latency().profile).toBe('instant');
  });

  it('realistic HubSpot list pages draw a median near 250 ms over 60 calls, and no answer comes sooner than drawn', async () => {
    sandbox.hubspot.control.setLatencyProfile('realistic', 5);
    try {
      const since = Date.now();
      // Six waves of 10 in flight (60 at once would queue on this process's CPU: the sandbox and the test share it).
      const times: number[] = [];
      for (let wave = 0; wave < 6; wave++) times.push(...await Promise.all(Array.from({ length: 10 }, () => timed(() => hubspot('/crm/v3/objects/contacts?limit=100')))));
      const logged = sandbox.hubspot.control.requests(since);
      expect(logged).toHaveLength(60);
      // What the profile drew for these pages (≈ 31 KB each, the reference size): p50 ≈ 250 ms.
      const drawn = logged.map((e) => e.latencyMs);
      expect(median(drawn)).toBeGreaterThan(190);
      expect(median(drawn)).toBeLessThan(320);
      // Each answer took at least its drawn time, on the server and at the client (libuv's timers keep whole ms).
      for (const e of logged) expect(e.ms).toBeGreaterThanOrEqual(e.latencyMs - 1);
      expect(median(times)).toBeGreaterThanOrEqual(median(drawn));
    } finally {
      sandbox.hubspot.control.setLatencyProfile('instant');
    }
  });

  it('10 calls in flight finish in about one call’s time, not ten (HubSpot and Salesforce)', async () => {
    sandbox.hubspot.control.setLatencyProfile('realistic', 8);
    sandbox.salesforce.control.setLatencyProfile('realistic', 8);
    try {
      for (const [call, control] of [
        [() => hubspot('/crm/v3/objects/contacts?limit=100'), sandbox.hubspot.control],
        [() => salesforce('/query?q=SELECT+Id,Name+FROM+Account'), sandbox.salesforce.control],
      ] as const) {
        const since = Date.now();
        const t0 = performance.now();
        await Promise.all(Array.from({ length: 10 }, () => timed(call)));
        const wall = performance.now() - t0;
        const each = control.requests(since).map((e) => e.ms);
        expect(each).toHaveLength(10);
        const sum = each.reduce((a, b) => a + b, 0);
        // Serialised calls would take the sum of their times; overlapping ones take about the longest one (this
        // process's CPU, shared by the sandbox and the client, adds a little).
        expect(wall).toBeLessThan(Math.max(...each) * 1.5 + 100);
        expect(wall).toBeLessThan(sum / 3);
      }
    } finally {
      sandbox.hubspot.control.setLatencyProfile('instant');
      sandbox.salesforce.control.setLatencyProfile('instant');
    }
  });

  it('Salesforce: a SOQL page of 2,000 rows takes far longer than a one-row query', async () => {
    sandbox.salesforce.control.seedLeads(2500);
    sandbox.salesforce.control.setLatencyProfile('realistic', 3);
    try {
      const q = (soql: string) => () => timed(() => salesforce(`/query?q=${encodeURIComponent(soql)}`));
      const big = await Promise.all(Array.from({ length: 8 }, q('SELECT Id, FirstName, LastName, Email, Company, Title, Phone, City, Country, Status, OwnerId, SystemModstamp FROM Lead')));
      const small = await Promise.all(Array.from({ length: 8 }, q('SELECT Id FROM Lead LIMIT 1')));
      expect(median(big)).toBeGreaterThan(450);
      expect(median(small)).toBeLessThan(median(big) / 2);
    } finally {
      sandbox.salesforce.control.setLatencyProfile('instant');
    }
  });

  it('Salesforce Bulk 2.0 jobs move UploadComplete → InProgress → JobComplete over ≈ 2 s at realistic', async () => {
    // Seed 4: none of this test's first 15 calls draws a slow outlier (a 2 s answer to the PATCH would hide the states).
    sandbox.salesforce.control.setLatencyProfile('realistic', 4);
    try {
      const created = await (await salesforce('/jobs/ingest', { method: 'POST', body: JSON.stringify({ object: 'Lead', operation: 'insert' }) })).json() as { id: string };
      const upload = await fetch(`${sandbox.salesforce.url}/services/data/v62.0/jobs/ingest/${created.id}/batches`, {
        method: 'PUT', headers: { authorization: `Bearer ${salesforceToken}`, 'content-type': 'text/csv' }, body: 'LastName,Company\nBulk,Acme\nBulk2,Acme\n',
      });
      expect(upload.status).toBe(201);
      const t0 = Date.now();
      // The job's clock starts when Salesforce gets the PATCH; the answer arrives a REST call's time later.
      const closed = await (await salesforce(`/jobs/ingest/${created.id}`, { method: 'PATCH', body: JSON.stringify({ state: 'UploadComplete' }) })).json() as { state: string };
      expect(closed.state).toBe('UploadComplete');
      const seen: { state: string; at: number }[] = [];
      for (;;) {
        const info = await (await salesforce(`/jobs/ingest/${created.id}`)).json() as { state: string };
        if (seen.at(-1)?.state !== info.state) seen.push({ state: info.state, at: Date.now() - t0 });
        if (info.state === 'JobComplete' || Date.now() - t0 > 8000) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(seen.map((s) => s.state)).toEqual(['UploadComplete', 'InProgress', 'JobComplete']);
      const complete = seen.at(-1)?.at ?? 0;
      expect(seen[1]?.at).toBeGreaterThanOrEqual(900);
      expect(complete).toBeGreaterThanOrEqual(1900);
      expect(complete).toBeLessThan(5000);
    } finally {
      sandbox.salesforce.control.setLatencyProfile('instant');
    }
  });

  it('control routes are never delayed; startSandbox({ profile }) sets both CRMs', async () => {
    const slow = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 2, profile: 'slow' });
    try {
      expect(slow.hubspot.control.latency()).toMatchObject({ profile: 'slow', kinds: { read: { p50: 750 } } });
      expect(slow.salesforce.control.latency()).toMatchObject({ profile: 'slow', kinds: { query: { p50: 2400 } }, bulk: { queuedMs: 3000 } });
      const t0 = performance.now();
      for (let i = 0; i < 5; i++) await (await fetch(`${slow.hubspot.url}/__sandbox/health`)).json();
      expect(performance.now() - t0).toBeLessThan(1000);
    } finally {
      await slow.stop();
    }
  });
});
