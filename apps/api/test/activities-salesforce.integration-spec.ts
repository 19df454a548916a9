import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ActivityDto, ActivityIntakeResultDto, PushResultDto } from '@conduit/contracts';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import request from 'supertest';
import { ActivityDeliveryService } from '../src/activities/activity-delivery.service.js';
import { Person } from '../src/people/person.entity.js';
import { connectCrm } from './support/crm-oauth.js';
import { createWorkspace, type TestWorkspace } from './support/fixtures.js';
import { startTestApp, type TestApp, waitFor } from './support/test-app.js';
import { crmSandboxConfig } from './support/crm-test-app.js';

describe('Activity logging to Salesforce (jsforce against the sandbox)', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  let a: TestWorkspace;
  let seq = 0;
  const run = Date.now().toString(36);
  const key = () => `sf-act-${run}-${seq++}`;

  const createPerson = async (body: Record<string, unknown>): Promise<Person> => {
    const res = await request(t.server).post('/api/people').set('Cookie', a.adminCookie).send(body).expect(201);
    return t.dataSource.getRepository(Person).findOneByOrFail({ id: (res.body as { id: string }).id });
  };
  const push = async (personId: string) => (await request(t.server).post(`/api/people/${personId}/push/salesforce`).set('Cookie', a.memberCookie).expect(200)).body as PushResultDto;
  const post = async (body: Record<string, unknown>) => (await request(t.server).post('/api/activities').set('Cookie', a.memberCookie).send(body).expect(201)).body as ActivityIntakeResultDto;
  const settled = (id: string) =>
    waitFor(async () => {
      const act = (await request(t.server).get(`/api/activities/${id}`).set('Cookie', a.memberCookie).expect(200)).body as ActivityDto;
      const d = act.deliveries.find((x) => x.crm === 'salesforce');
      return d && (d.status === 'logged' || d.status === 'failed') && d;
    }, 45_000);

  let person: Person;
  let leadId: string;
  let owner: { id: string; email: string };

  beforeAll(async () => {
    sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 6 });
    t = await startTestApp({ runProcessors: true, ...crmSandboxConfig(sandbox) });
    t.app.get(ActivityDeliveryService).tuning = { timeoutMs: 1_500, batchSize: 100, maxAttempts: 8, budgetShare: 0.3, settleMs: 2_500 };
    a = await createWorkspace(t.server, t.dataSource, 'SfActivity');
    await connectCrm(t.server, a.adminCookie, 'salesforce');
    owner = sandbox.salesforce.control.users().find((u) => u.active)!;
    await request(t.server).put('/api/connections/salesforce/owner-mapping').set('Cookie', a.adminCookie).send({ overrides: [{ crmOwnerId: owner.id, memberId: a.member.id }], defaultOwnerId: null }).expect(200);
    person = await createPerson({ firstName: 'Sally', lastName: 'Force', email: `sally${run}@sf-activity.example`, companyName: 'SF Activity', assignedUserId: a.member.id });
    const pushed = await push(person.id);
    expect(pushed.crmObject).toBe('lead');
    leadId = pushed.crmId!;
  });

  afterAll(async () => {
    await t?.close();
    await sandbox?.stop();
  });

  const record = (type: 'Task' | 'Event', id: string) => sandbox.salesforce.control.getRecord(type, id)!.record;

  it('emails, LinkedIn, calls and tasks become Tasks with their subtype; meetings become Events; WhoId, OwnerId and the label are set', async () => {
    const at = '2026-02-02T10:00:00.000Z';
    const base = { personId: person.id, occurredAt: at };
    const cases: Array<[Record<string, unknown>, 'Task' | 'Event', Record<string, unknown>]> = [
      [{ type: 'email_sent', subject: 'Intro', bodyText: 'Hello Sally', to: ['sally@sf-activity.example'] }, 'Task', { TaskSubtype: 'Email', Subject: '[Conduit] Intro', Status: 'Completed', ActivityDate: '2026-02-02' }],
      [{ type: 'linkedin_message', direction: 'sent', body: 'Hi there' }, 'Task', { TaskSubtype: 'LinkedIn', Description: 'Hi there' }],
      [{ type: 'linkedin_connection_request', state: 'accepted' }, 'Task', { TaskSubtype: 'LinkedIn', Subject: '[Conduit] LinkedIn connection request accepted' }],
      [{ type: 'call', direction: 'outbound', durationSeconds: 300, disposition: 'Connected', notes: 'Good call', recordingUrl: 'https://rec.example/sf/1' }, 'Task', { TaskSubtype: 'Call', CallDurationInSeconds: 300, CallType: 'Outbound' }],
      [{ type: 'task', subject: 'Follow up', dueDate: '2026-02-09T09:00:00.000Z' }, 'Task', { TaskSubtype: 'Task', Subject: '[Conduit] Follow up' }],
      [{ type: 'note', body: 'Met at the fair' }, 'Task', { TaskSubtype: 'Task' }],
      [{ type: 'meeting', title: 'Demo', start: '2026-02-05T15:00:00.000Z', end: '2026-02-05T15:45:00.000Z' }, 'Event', { Subject: '[Conduit] Demo' }],
    ];
    const posted = await Promise.all(cases.map(([body]) => post({ ...base, ...body, idempotencyKey: key() })));
    for (const [i, [, sobject, fields]] of cases.entries()) {
      const d = await settled(posted[i]!.activity.id);
      expect(d).toMatchObject({ status: 'logged', crmObject: sobject });
      const r = record(sobject, d.crmId!);
      // The external id Conduit_Activity_ID__c carries the activity id (the create-check looks it up by SOQL).
      expect(r).toMatchObject({ ...fields, WhoId: leadId, OwnerId: owner.id, Conduit_Activity_ID__c: posted[i]!.activity.id });
      if (sobject === 'Event') expect(Date.parse(String(r['StartDateTime']))).toBe(Date.parse('2026-02-05T15:00:00.000Z'));
    }
    const call = record('Task', (await settled(posted[3]!.activity.id)).crmId!);
    expect(String(call['Description'])).toContain('https://rec.example/sf/1');
    const timeline = sandbox.salesforce.control.getRecord('Lead', leadId)!.timeline;
    expect(timeline.length).toBeGreaterThanOrEqual(cases.length);
  });

  it('a Task create whose answer was lost is found by the create-check, not created again: still one Task', async () => {
    const k = key();
    const res = await post({ idempotencyKey: k, type: 'email_sent', subject: `Lost answer ${k}`, personId: person.id, occurredAt: new Date().toISOString() });
    const first = await settled(res.activity.id);
    expect(first.status).toBe('logged');
    // As if Salesforce saved the Task but the answer never arrived: attempted, no id stored. (The sandbox drops
    // writes whose client went away, so a client timeout cannot produce this state against it.)
    await t.dataSource.query(`UPDATE activity_delivery SET status = 'failed', crm_id = NULL, logged_at = NULL, attempted_at = now() - interval '2 seconds' WHERE activity_id = $1`, [res.activity.id]);
    await request(t.server).post(`/api/activities/${res.activity.id}/retry`).set('Cookie', a.memberCookie).expect(200);
    const again = await settled(res.activity.id);
    expect(again).toMatchObject({ status: 'logged', crmId: first.crmId });
    const tasks = sandbox.salesforce.control.getRecord('Lead', leadId)!.timeline.filter((e) => e.subject?.includes(k));
    expect(tasks).toHaveLength(1);
    // The job's result is stored when the job finishes, just after the delivery it logged is visible: wait for it.
    const adopted = await waitFor(async () => {
      const [row] = await t.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM outbox_job WHERE name = 'activities.deliver' AND (result->>'adopted')::int > 0`);
      return row!.n > 0 && row!.n;
    }, 15_000);
    expect(adopted).toBeGreaterThan(0);
  });

  it('a create that times out (the sandbox drops it) is retried after the check: one Task', async () => {
    const k = key();
    sandbox.salesforce.control.setFaults([{ method: 'POST', path: '/services/data/', latencyMs: 3_000, times: 1 }]);
    try {
      const res = await post({ idempotencyKey: k, type: 'email_sent', subject: `Slow ${k}`, personId: person.id, occurredAt: new Date().toISOString() });
      const d = await settled(res.activity.id);
      expect(d.status).toBe('logged');
      const tasks = sandbox.salesforce.control.getRecord('Lead', leadId)!.timeline.filter((e) => e.subject?.includes(k));
      expect(tasks).toHaveLength(1);
      expect(tasks[0]!.id).toBe(d.crmId);
    } finally {
      sandbox.salesforce.control.clearFaults();
    }
  });
});
