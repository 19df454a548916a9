import 'reflect-metadata';
import { createCrmAdapter, hubspotSignatureV3, salesforceSandboxEndpoints } from '@conduit/crm';
import { DataSource } from 'typeorm';
import type { Caller } from '../auth/caller.js';
import { WorkflowsService } from '../workflows/workflows.service.js';
import { Workspace } from '../workspaces/workspace.entity.js';
import { openBenchStack, closeBenchStack, connectSandboxCrm, benchLog, printFigures, benchArgs, percentile } from './harness.js';

/**
 * `pnpm bench bridge [mqls=200] [perSecond=10]`: the MQL handoff end to end with webhooks on. The sandbox HubSpot
 * delivers its own signed webhooks to the API (HTTP on a random port, processors in the same process); contacts
 * become MQL at `perSecond`, and each change is also delivered twice more at once by the bench (a duplicate
 * delivery of one synthetic event), so concurrent duplicates are exercised. `p95_ms` is HubSpot change → Salesforce
 * Lead written (the Lead's CreatedDate), `duplicates` counts extra Leads per HubSpot contact. HubSpot keeps its
 * default 100 requests / 10 s limit; the connection's import sync is off so the bridge alone spends the budget.
 */
const MQLS = Number(benchArgs[0] ?? 200);
const PER_SECOND = Number(benchArgs[1] ?? 10);
const log = benchLog('bridge');

async function main(): Promise<void> {
  const stack = await openBenchStack({ http: true });
  const { sandbox, suffix, app } = stack;
  const webhookUrl = `${stack.url ?? ''}/api/webhooks/hubspot`;
  try {
    const ds = app.get(DataSource);
    const workspace = await ds.getRepository(Workspace).save({ name: 'Bench bridge' });
    await connectSandboxCrm(app, sandbox, workspace.id, 'hubspot');
    await connectSandboxCrm(app, sandbox, workspace.id, 'salesforce');
    await ds.query(`UPDATE crm_connection SET sync_settings = jsonb_set(sync_settings, '{importEnabled}', 'false') WHERE workspace_id = $1`, [workspace.id]);
    const caller: Caller = { kind: 'api-key', workspaceId: workspace.id, userId: null, role: 'member', apiKeyId: 'bench' };
    await app.get(WorkflowsService).update(caller, 'mql_handoff', { enabled: true });

    const hs = sandbox.hubspot.control;
    const tag = suffix;
    const ids = Array.from({ length: MQLS }, (_, i) => hs.createRecord('contacts', { email: `mql${i}-${tag}@bench-bridge.example`, firstname: `Mql${i}`, lastname: `Bench${i}`, company: `Bridge Co ${i % 50}`, country: 'Germany' }).id);
    hs.setWebhookTarget(webhookUrl);
    const changedAt = new Map<string, number>();
    const duplicateDelivery = async (objectId: string, eventId: number) => {
      const body = JSON.stringify([{ eventId, subscriptionType: 'contact.propertyChange', portalId: hs.portalId, objectId: Number(objectId), occurredAt: Date.now(), attemptNumber: 0, propertyName: 'lifecyclestage', propertyValue: 'marketingqualifiedlead' }]);
      const ts = Date.now();
      const headers = { 'content-type': 'application/json', 'x-hubspot-signature-v3': hubspotSignatureV3(hs.app.clientSecret, 'POST', webhookUrl, body, ts), 'x-hubspot-request-timestamp': String(ts) };
      await Promise.all([fetch(webhookUrl, { method: 'POST', body, headers }), fetch(webhookUrl, { method: 'POST', body, headers })]);
    };
    log(`${MQLS} contacts become MQL at ${PER_SECOND}/s (plus a concurrent duplicate delivery each)`);
    const started = Date.now();
    const extra: Promise<void>[] = [];
    for (let i = 0; i < ids.length; i++) {
      const due = started + (i * 1000) / PER_SECOND;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const id = ids[i]!;
      changedAt.set(id, Date.now());
      hs.updateRecord('contacts', id, { lifecyclestage: 'marketingqualifiedlead' });
      extra.push(duplicateDelivery(id, 900_000_000 + i));
    }
    await Promise.all(extra);
    await hs.flushWebhooks();

    const token = sandbox.salesforce.control.mintToken();
    const sf = createCrmAdapter('salesforce', { accessToken: token.accessToken, instanceUrl: sandbox.salesforce.url }, {
      refresh: () => Promise.reject(new Error('bench adapter does not refresh')),
      salesforce: { endpoints: salesforceSandboxEndpoints(sandbox.salesforce.url) },
    });
    const wanted = new Set(ids);
    const deadline = Date.now() + 120_000;
    // Wait on the run log (cheap), not on Salesforce: listing every Lead each second in this process would take
    // CPU from the pipeline being measured. Salesforce is read once at the end.
    for (;;) {
      const [state] = await ds.query<{ pending: number; handed: number }[]>(
        `SELECT count(*) FILTER (WHERE result = 'pending')::int AS pending, count(DISTINCT trigger->>'recordId') FILTER (WHERE result = 'success')::int AS handed
           FROM workflow_run WHERE workspace_id = $1`,
        [workspace.id],
      );
      log(`${state?.handed ?? 0}/${MQLS} handed off, ${state?.pending ?? 0} runs pending`);
      if ((state?.handed === MQLS && state.pending === 0) || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const page = await sf.listChangedSince('lead', null, { pageSize: 2000, properties: ['HubSpot_Contact_ID__c', 'CreatedDate'] });
    const leads = page.records
      .filter((r) => typeof r.properties['HubSpot_Contact_ID__c'] === 'string' && wanted.has(r.properties['HubSpot_Contact_ID__c']))
      .map((r) => ({ id: r.id, hubspotId: r.properties['HubSpot_Contact_ID__c'] as string, createdAt: Date.parse(String(r.properties['CreatedDate']).replace(/\+0000$/, 'Z')) }));
    const perContact = new Map<string, number>();
    for (const l of leads) perContact.set(l.hubspotId, (perContact.get(l.hubspotId) ?? 0) + 1);
    const first = new Map<string, number>();
    for (const l of leads) first.set(l.hubspotId, Math.min(first.get(l.hubspotId) ?? Infinity, l.createdAt));
    const latencies = [...first].map(([id, at]) => at - (changedAt.get(id) ?? at)).sort((x, y) => x - y);
    const results = await ds.query<{ result: string; n: number }[]>(`SELECT result, count(*)::int AS n FROM workflow_run WHERE workspace_id = $1 GROUP BY result`, [workspace.id]);
    // Where the time goes: change → run recorded (webhook delivery), recorded → started (queue), started → finished (CRM calls).
    const [phases] = await ds.query<{ deliver_p95: number; queue_p95: number; exec_p95: number }[]>(
      `SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM created_at - triggered_at) * 1000) AS deliver_p95,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - created_at) * 1000) AS queue_p95,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at) * 1000) AS exec_p95
         FROM workflow_run WHERE workspace_id = $1 AND result = 'success'`,
      [workspace.id],
    );
    const stats = hs.stats();
    const figures = {
      bench: 'bridge',
      mqls: MQLS,
      per_second: PER_SECOND,
      leads: leads.length,
      missing: MQLS - perContact.size,
      duplicates: [...perContact.values()].reduce((n, c) => n + c - 1, 0),
      p50_ms: percentile(latencies, 50),
      p95_ms: percentile(latencies, 95),
      max_ms: latencies.at(-1) ?? null,
      runs: Object.fromEntries(results.map((r) => [r.result, r.n])),
      webhook_p95_ms: Math.round(Number(phases?.deliver_p95 ?? 0)),
      queue_p95_ms: Math.round(Number(phases?.queue_p95 ?? 0)),
      execute_p95_ms: Math.round(Number(phases?.exec_p95 ?? 0)),
      hubspot_calls: stats.total,
      hubspot_429: stats.byStatus['429'] ?? 0,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
    // The worker, the API and (in this bench) the CRM sandbox share this process: its peak is an upper bound of a worker's.
    printFigures({ ...figures, peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) }, sandbox);
  } finally {
    await closeBenchStack(stack);
  }
}

await main();
