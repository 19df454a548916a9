import type { WorkflowRunDto } from '@conduit/contracts';
import { createCrmAdapter, hubspotSandboxEndpoints, hubspotSignatureV3, salesforceSandboxEndpoints, type CrmAdapter, type CrmRecord } from '@conduit/crm';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { CrmRuntimeOptions } from '../../src/crm-runtime/crm-runtime.options.js';
import { connectCrm } from './crm-oauth.js';
import { crmSandboxConfig } from './crm-test-app.js';
import { createWorkspace, type TestWorkspace } from './fixtures.js';
import { startTestApp, type TestApp, waitFor } from './test-app.js';

/** What the workflow suites run against: both sandbox CRMs, the app with its processors, one workspace. */
export interface WorkflowsEnv {
  sandbox: Sandbox;
  t: TestApp;
  a: TestWorkspace;
  /** The app's own address: HubSpot webhooks are posted to it over HTTP. */
  baseUrl: string;
  /** The test's own views of both CRMs, through the adapter contract (acting as salespeople). */
  sf: CrmAdapter;
  hs: CrmAdapter;
  close: () => Promise<void>;
}

/** Starts the sandbox (seeded), the app listening on a port, a workspace connected to `connect` through OAuth, and the test's adapters. */
export async function startWorkflowsEnv(options: {
  seed: number;
  workspace: string;
  connect: readonly ('hubspot' | 'salesforce')[];
  /** The CRM runtime's options (e.g. the budget clock following a sandbox's limits clock). */
  crmRuntime?: (sandbox: Sandbox) => CrmRuntimeOptions;
}): Promise<WorkflowsEnv> {
  const sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: options.seed });
  // The tests read changes with `poll()` at the step they mean: a scheduled poll between two steps (a slow step on a
  // loaded machine spans its 30 s) read half of a change — an Opportunity before its contact role, a stage before the
  // next — and made runs the test did not ask for. Here it runs once a day, i.e. never during a suite.
  const t = await startTestApp({ runProcessors: true, workflowPollIntervalMs: 86_400_000, ...crmSandboxConfig(sandbox) }, options.crmRuntime?.(sandbox));
  await t.app.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${(t.server.address() as AddressInfo).port}`;
  const a = await createWorkspace(t.server, t.dataSource, options.workspace);
  for (const crm of options.connect) await connectCrm(t.server, a.adminCookie, crm);
  const refresh = () => Promise.reject(new Error('test adapter does not refresh'));
  const sf = createCrmAdapter('salesforce', { accessToken: sandbox.salesforce.control.mintToken().accessToken, instanceUrl: sandbox.salesforce.url }, {
    refresh,
    salesforce: { endpoints: salesforceSandboxEndpoints(sandbox.salesforce.url) },
  });
  const hs = createCrmAdapter('hubspot', { accessToken: sandbox.hubspot.control.mintToken().accessToken }, { refresh, hubspot: { endpoints: hubspotSandboxEndpoints(sandbox.hubspot.url) } });
  // Search is limited to 5/s in the sandbox; the test's own reads do not need the limit.
  sandbox.hubspot.control.configure({ rateLimit: { enabled: false } });
  return {
    sandbox,
    t,
    a,
    baseUrl,
    sf,
    hs,
    close: async () => {
      await t.close();
      await sandbox.stop();
    },
  };
}

/** The workflow API as the workspace's admin sees it, and HubSpot's webhook as HubSpot calls it (`env` is read at each call). */
export function workflowHelpers(env: () => WorkflowsEnv) {
  const admin = (r: request.Test) => r.set('Cookie', env().a.adminCookie);
  const runs = async (kind: string) => (await admin(request(env().t.server).get(`/api/workflows/${kind}/runs?limit=500`)).expect(200)).body as WorkflowRunDto[];
  const runsFor = async (kind: string, recordId: string) => (await runs(kind)).filter((r) => r.trigger.recordId === recordId);
  return {
    admin,
    runs,
    runsFor,
    /** The record's runs of a workflow once there are `count` and none is pending. */
    settled: (kind: string, recordId: string, count = 1) =>
      waitFor(async () => {
        const list = await runsFor(kind, recordId);
        return list.length >= count && list.every((r) => r.result !== 'pending') && list;
      }, 30_000),
    putWorkflow: (path: string, body: object) => admin(request(env().t.server).put(`/api/workflows/${path}`)).send(body),
    read: async (crm: CrmAdapter, object: 'lead' | 'contact' | 'company' | 'deal', id: string, properties: string[]): Promise<CrmRecord> => (await crm.readByIds(object, [id], { properties }))[0]!,
    /** Reads Salesforce changes now and waits until the poll job is done (its runs may still be executing). */
    poll: async () => {
      const { jobId } = (await admin(request(env().t.server).post('/api/workflows/poll')).expect(202)).body as { jobId: string };
      await waitFor(async () => {
        const job = (await admin(request(env().t.server).get(`/api/jobs/${jobId}`)).expect(200)).body as { status: string; lastError: string | null };
        if (job.status === 'failed') throw new Error(`poll failed: ${job.lastError ?? ''}`);
        return job.status === 'done';
      }, 30_000);
    },
    /** Posts signed HubSpot events to the webhook endpoint (as HubSpot does); answers the status. */
    deliver: async (events: Record<string, unknown>[], base: Record<string, unknown> = {}): Promise<number> => {
      const { sandbox, baseUrl } = env();
      const url = `${baseUrl}/api/webhooks/hubspot`;
      const body = JSON.stringify(events.map((e) => ({ portalId: sandbox.hubspot.control.portalId, occurredAt: Date.now(), attemptNumber: 0, ...base, ...e })));
      const ts = Date.now();
      const res = await fetch(url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': hubspotSignatureV3(sandbox.hubspot.control.app.clientSecret, 'POST', url, body, ts), 'x-hubspot-request-timestamp': String(ts) },
      });
      return res.status;
    },
  };
}
