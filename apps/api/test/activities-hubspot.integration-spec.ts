import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ActivityBatchResultDto, ActivityDto, ActivityIntakeResultDto, ActivitySettingsDto, PushResultDto } from '@conduit/contracts';
import { ACTIVITY_ID_FIELD, createCrmAdapter, hubspotSandboxEndpoints } from '@conduit/crm';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import request from 'supertest';
import { ActivityDeliveryService } from '../src/activities/activity-delivery.service.js';
import { Person } from '../src/people/person.entity.js';
import { connectCrm } from './support/crm-oauth.js';
import { createWorkspace, type TestWorkspace } from './support/fixtures.js';
import { startTestApp, type TestApp, waitFor } from './support/test-app.js';
import { crmSandboxConfig } from './support/crm-test-app.js';

describe('Activity logging to HubSpot timelines (real SDK against the sandbox)', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  let a: TestWorkspace;
  let b: TestWorkspace;
  let seq = 0;
  const run = Date.now().toString(36);

  const store = () => sandbox.hubspot.control.store();
  const key = () => `act-${run}-${seq++}`;
  const email = () => `activity${run}${seq++}@acme-activities.example`;
  const engagements = (type: string) => [...(store().records.get(type as never)?.values() ?? [])].filter((r) => !r.archived);
  const timeline = (contactId: string) => sandbox.hubspot.control.getRecord('contacts', contactId)!.timeline;
  const assoc = (type: string, id: string, to: string) => store().associated(type as never, id, to as never);

  const createPerson = async (body: Record<string, unknown>): Promise<Person> => {
    const res = await request(t.server).post('/api/people').set('Cookie', a.adminCookie).send(body).expect(201);
    return t.dataSource.getRepository(Person).findOneByOrFail({ id: (res.body as { id: string }).id });
  };
  const push = async (personId: string) => (await request(t.server).post(`/api/people/${personId}/push/hubspot`).set('Cookie', a.memberCookie).expect(200)).body as PushResultDto;
  const post = async (body: Record<string, unknown>, expected = 201) =>
    (await request(t.server).post('/api/activities').set('Cookie', a.memberCookie).send(body).expect(expected)).body as ActivityIntakeResultDto;
  const settled = (id: string, statuses = ['logged', 'failed', 'not_synced_type_off', 'waiting_for_export']) =>
    waitFor(async () => {
      const act = (await request(t.server).get(`/api/activities/${id}`).set('Cookie', a.memberCookie).expect(200)).body as ActivityDto;
      const d = act.deliveries.find((x) => x.crm === 'hubspot');
      return d && statuses.includes(d.status) && act;
    }, 45_000);
  const delivery = (act: ActivityDto) => act.deliveries.find((d) => d.crm === 'hubspot')!;

  let contactPerson: Person;
  let contactId: string;
  let companyId: string;
  let sarah: { id: string };
  let tom: { id: string };

  beforeAll(async () => {
    sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 5 });
    t = await startTestApp({ runProcessors: true, ...crmSandboxConfig(sandbox) });
    t.app.get(ActivityDeliveryService).tuning = { timeoutMs: 1_500, batchSize: 100, maxAttempts: 8, budgetShare: 0.3, settleMs: 2_500 };
    a = await createWorkspace(t.server, t.dataSource, 'ActivityAlpha');
    b = await createWorkspace(t.server, t.dataSource, 'ActivityBeta');
    await connectCrm(t.server, a.adminCookie, 'hubspot');
    const owners = [...store().owners.values()];
    sarah = owners.find((o) => o.firstName === 'Sarah')!;
    tom = owners.find((o) => o.firstName === 'Tom')!;
    await request(t.server)
      .put('/api/connections/hubspot/owner-mapping')
      .set('Cookie', a.adminCookie)
      .send({ overrides: [{ crmOwnerId: sarah.id, memberId: a.member.id }], defaultOwnerId: tom.id })
      .expect(200);
    const company = await request(t.server).post('/api/companies').set('Cookie', a.adminCookie).send({ name: 'Timeline Co', domain: 'timeline-co.example' }).expect(201);
    contactPerson = await createPerson({
      firstName: 'Tim',
      lastName: 'Line',
      email: `timeline${run}@timeline-co.example`,
      companyId: (company.body as { id: string }).id,
      assignedUserId: a.member.id,
    });
    const pushed = await push(contactPerson.id);
    contactId = pushed.crmId!;
    companyId = assoc('contacts', contactId, 'companies')[0]!.toId;
  });

  afterAll(async () => {
    await t?.close();
    await sandbox?.stop();
  });

  it('validates: 400 names the missing field of the type, unknown person 404, other workspaces cannot see activities', async () => {
    const bad = await request(t.server)
      .post('/api/activities')
      .set('Cookie', a.memberCookie)
      .send({ idempotencyKey: key(), type: 'email_sent', personId: contactPerson.id, occurredAt: new Date().toISOString() })
      .expect(400);
    expect(JSON.stringify(bad.body)).toContain('"field":"subject"');
    const noSentiment = await request(t.server)
      .post('/api/activities')
      .set('Cookie', a.memberCookie)
      .send({ idempotencyKey: key(), type: 'email_reply', subject: 'Re', personId: contactPerson.id, occurredAt: new Date().toISOString() })
      .expect(400);
    expect(JSON.stringify(noSentiment.body)).toContain('"field":"sentiment"');
    const badBatch = await request(t.server)
      .post('/api/activities/batch')
      .set('Cookie', a.memberCookie)
      .send({ activities: [{ idempotencyKey: key(), type: 'meeting', personId: contactPerson.id, occurredAt: new Date().toISOString(), title: 'x', start: 'tomorrow' }] })
      .expect(400);
    expect(JSON.stringify(badBatch.body)).toContain('activities.0.start');
    await request(t.server)
      .post('/api/activities')
      .set('Cookie', b.memberCookie)
      .send({ idempotencyKey: key(), type: 'note', body: 'x', personId: contactPerson.id, occurredAt: new Date().toISOString() })
      .expect(404);
    const ok = await post({ idempotencyKey: key(), type: 'note', body: 'visible only to A', personId: contactPerson.id, occurredAt: new Date().toISOString() });
    await request(t.server).get(`/api/activities/${ok.activity.id}`).set('Cookie', b.memberCookie).expect(404);
  });

  it('accepts a workspace API key', async () => {
    const created = await request(t.server).post('/api/api-keys').set('Cookie', a.adminCookie).send({ name: 'engine' }).expect(201);
    const apiKey = (created.body as { key: string }).key;
    const res = await request(t.server)
      .post('/api/activities')
      .set('Authorization', `Bearer ${apiKey}`)
      .send({ idempotencyKey: key(), type: 'note', body: 'from the engine', personId: contactPerson.id, occurredAt: new Date().toISOString() })
      .expect(201);
    expect((res.body as ActivityIntakeResultDto).duplicate).toBe(false);
  });

  it('each type lands on the contact timeline with the right object, properties, label, owner and associations', async () => {
    const at = '2026-02-02T10:00:00.000Z';
    const base = { personId: contactPerson.id, occurredAt: at };
    const cases: Array<[Record<string, unknown>, string, Record<string, string>]> = [
      [{ type: 'email_sent', subject: 'Intro', bodyText: 'Hello Tim', from: 'rep@acme.example', to: ['tim@timeline-co.example'], threadId: 'th1' }, 'emails', { hs_email_subject: '[Conduit] Intro', hs_email_direction: 'EMAIL', hs_email_status: 'SENT', hs_email_text: 'Hello Tim' }],
      [{ type: 'email_reply', subject: 'Re: Intro', bodyText: 'Sounds good', direction: 'incoming', sentiment: 'neutral' }, 'emails', { hs_email_direction: 'INCOMING_EMAIL', hs_email_subject: '[Conduit] Re: Intro' }],
      [{ type: 'linkedin_message', direction: 'sent', body: 'Hi on LinkedIn' }, 'communications', { hs_communication_channel_type: 'LINKEDIN_MESSAGE', hs_communication_body: '[Conduit] Hi on LinkedIn' }],
      [{ type: 'linkedin_connection_request', state: 'sent' }, 'communications', { hs_communication_channel_type: 'LINKEDIN_MESSAGE', hs_communication_body: '[Conduit] LinkedIn connection request sent' }],
      [
        { type: 'call', direction: 'outbound', durationSeconds: 125, outcome: 'completed', disposition: 'Connected', notes: 'Good talk', recordingUrl: 'https://rec.example/r/1' },
        'calls',
        { hs_call_direction: 'OUTBOUND', hs_call_duration: '125000', hs_call_status: 'COMPLETED', hs_call_recording_url: 'https://rec.example/r/1' },
      ],
      [
        { type: 'meeting', title: 'Demo', start: '2026-02-05T15:00:00.000Z', end: '2026-02-05T15:30:00.000Z', attendees: ['tim@timeline-co.example'], location: 'https://meet.example/x', outcome: 'scheduled' },
        'meetings',
        { hs_meeting_title: '[Conduit] Demo', hs_meeting_start_time: '2026-02-05T15:00:00.000Z', hs_meeting_end_time: '2026-02-05T15:30:00.000Z', hs_meeting_outcome: 'SCHEDULED' },
      ],
      [{ type: 'note', body: 'Prefers email' }, 'notes', { hs_note_body: '[Conduit] Prefers email' }],
      [{ type: 'task', subject: 'Send pricing', body: 'Tier 2', dueDate: '2026-02-09T09:00:00.000Z', priority: 'high' }, 'tasks', { hs_task_subject: '[Conduit] Send pricing', hs_task_status: 'NOT_STARTED', hs_task_priority: 'HIGH' }],
    ];
    const posted = await Promise.all(cases.map(([body]) => post({ ...base, ...body, idempotencyKey: key() })));
    for (const [i, [, objectType, props]] of cases.entries()) {
      const act = await settled(posted[i]!.activity.id, ['logged', 'failed']);
      const d = delivery(act);
      expect(d).toMatchObject({ status: 'logged', crmObject: objectType });
      expect(d.recordUrl).toContain(contactId);
      const record = store().records.get(objectType as never)!.get(d.crmId!)!;
      expect(record.properties).toMatchObject({ ...props, hubspot_owner_id: sarah.id });
      expect(timeline(contactId).some((e) => e.id === d.crmId)).toBe(true);
      const toCompany = assoc(objectType, d.crmId!, 'companies');
      expect(toCompany.map((x) => x.toId)).toEqual([companyId]);
    }
    // The booked meeting made the person a positive reply; the neutral reply (in either order) never moves them back.
    const person = await t.dataSource.getRepository(Person).findOneByOrFail({ id: contactPerson.id });
    expect(person.engagementState).toBe('replied_positive');
    // Person timeline in Conduit: oldest first, with statuses.
    const tl = (await request(t.server).get(`/api/people/${contactPerson.id}/activities`).set('Cookie', a.memberCookie).expect(200)).body as ActivityDto[];
    expect(tl.length).toBeGreaterThanOrEqual(cases.length);
  });

  it('owner fallback: a performer without a CRM owner gets the default owner; empty label leaves subjects alone', async () => {
    await request(t.server).put('/api/connections/hubspot/activity-settings').set('Cookie', a.adminCookie).send({ label: '' }).expect(200);
    try {
      const res = await post({ idempotencyKey: key(), type: 'email_sent', subject: 'By the admin', personId: contactPerson.id, performerUserId: a.admin.id, occurredAt: new Date().toISOString() });
      const d = delivery(await settled(res.activity.id));
      const record = store().records.get('emails')!.get(d.crmId!)!;
      expect(record.properties).toMatchObject({ hs_email_subject: 'By the admin', hubspot_owner_id: tom.id });
    } finally {
      await request(t.server).put('/api/connections/hubspot/activity-settings').set('Cookie', a.adminCookie).send({ label: '[Conduit]' }).expect(200);
    }
  });

  it('type toggles: an activity of a type turned off is kept and marked not synced; the CRM sees nothing', async () => {
    const s = (await request(t.server).put('/api/connections/hubspot/activity-settings').set('Cookie', a.adminCookie).send({ types: { note: false } }).expect(200)).body as ActivitySettingsDto;
    expect(s.types).toMatchObject({ note: false, email_sent: true });
    await request(t.server).put('/api/connections/hubspot/activity-settings').set('Cookie', a.memberCookie).send({ types: { note: true } }).expect(403);
    const before = engagements('notes').length;
    try {
      const res = await post({ idempotencyKey: key(), type: 'note', body: 'Type is off', personId: contactPerson.id, occurredAt: new Date().toISOString() });
      expect(delivery(res.activity).status).toBe('not_synced_type_off');
      const list = (await request(t.server).get('/api/activities?status=not_synced_type_off').set('Cookie', a.memberCookie).expect(200)).body as { items: ActivityDto[] };
      expect(list.items.map((x) => x.id)).toContain(res.activity.id);
      await new Promise((r) => setTimeout(r, 500));
      expect(engagements('notes').length).toBe(before);
    } finally {
      await request(t.server).put('/api/connections/hubspot/activity-settings').set('Cookie', a.adminCookie).send({ types: { note: true } }).expect(200);
    }
  });

  it('idempotency: the same key twice → the original result and one engagement', async () => {
    const k = key();
    const body = { idempotencyKey: k, type: 'note', body: `Once ${k}`, personId: contactPerson.id, occurredAt: new Date().toISOString() };
    const first = await post(body);
    const again = await post(body);
    expect(again.duplicate).toBe(true);
    expect(again.activity.id).toBe(first.activity.id);
    await settled(first.activity.id);
    const third = await post(body);
    expect(delivery(third.activity).status).toBe('logged');
    expect(engagements('notes').filter((n) => n.properties['hs_note_body']?.includes(k))).toHaveLength(1);
    // The key reused with another payload is refused (409 naming the key and what differs), as Stripe does; in a batch, that row.
    const conflict = await request(t.server).post('/api/activities').set('Cookie', a.memberCookie).send({ ...body, body: `Changed ${k}` }).expect(409);
    expect((conflict.body as { errors: { field: string; messages: string[] }[] }).errors).toEqual([
      { field: 'idempotencyKey', messages: [expect.stringMatching(/^idempotencyKey was already used for another activity \(different body\)/)] },
    ]);
    const batch = await request(t.server).post('/api/activities/batch').set('Cookie', a.memberCookie).send({ activities: [body, { ...body, occurredAt: new Date(Date.parse(body.occurredAt) + 60_000).toISOString() }] }).expect(200);
    expect((batch.body as { results: { ok: boolean; status?: number }[] }).results.map((r) => [r.ok, r.status])).toEqual([[true, undefined], [false, 409]]);
  });

  it('a create that times out after the CRM applied it is checked, not repeated: still one engagement', async () => {
    const k = key();
    // The sandbox answers after 3 s, the adapter gives up after 1.5 s: the engagement is created without us hearing it.
    sandbox.hubspot.control.setFaults([{ method: 'POST', path: '/crm/v3/objects/notes/batch/create', latencyMs: 3_000, times: 1 }]);
    try {
      const res = await post({ idempotencyKey: k, type: 'note', body: `Slow ${k}`, personId: contactPerson.id, occurredAt: new Date().toISOString() });
      const act = await settled(res.activity.id, ['logged', 'failed']);
      expect(delivery(act).status).toBe('logged');
      const notes = engagements('notes').filter((n) => n.properties['hs_note_body']?.includes(k));
      expect(notes).toHaveLength(1);
      expect(delivery(act).crmId).toBe(notes[0]!.id);
      // It went through the create-check: the job adopted the engagement instead of creating it again. The job's result
      // is stored when the job finishes, just after the delivery it logged is visible: wait for it.
      const adopted = await waitFor(async () => {
        const [row] = await t.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM outbox_job WHERE name = 'activities.deliver' AND (result->>'adopted')::int > 0`);
        return row!.n > 0 && row!.n;
      }, 15_000);
      expect(adopted).toBeGreaterThan(0);
    } finally {
      sandbox.hubspot.control.clearFaults();
    }
  });

  it('exactly once by the Conduit activity id: the property is created on the engagement object, each engagement carries its id, the adapter finds it by that id', async () => {
    const start = new Date(Date.now() + 86_400_000).toISOString();
    const res = await post({ idempotencyKey: key(), type: 'meeting', title: 'Id check', start, end: start, personId: contactPerson.id, occurredAt: new Date().toISOString() });
    const d = delivery(await settled(res.activity.id, ['logged', 'failed']));
    expect(d.status).toBe('logged');
    // A custom property Conduit created (HubSpot has none such; the sandbox refuses unknown properties as HubSpot does).
    expect(store().propertyMap('meetings').get(ACTIVITY_ID_FIELD.hubspot)).toMatchObject({ type: 'string', fieldType: 'text', hubspotDefined: false });
    expect(store().records.get('meetings')!.get(d.crmId!)!.properties[ACTIVITY_ID_FIELD.hubspot]).toBe(res.activity.id);

    const adapter = createCrmAdapter('hubspot', { accessToken: sandbox.hubspot.control.mintToken().accessToken }, {
      refresh: () => Promise.reject(new Error('test adapter does not refresh')),
      hubspot: { endpoints: hubspotSandboxEndpoints(sandbox.hubspot.url) },
    });
    const input = (externalId: string) => ({ type: 'meeting' as const, person: { object: 'contact' as const, id: contactId }, occurredAt: start, startAt: start, endAt: start, title: 'Id check', externalId });
    const found = await adapter.findActivities([input(res.activity.id), input('never-written')]);
    expect(found).toEqual([{ externalId: res.activity.id, id: d.crmId, crmObject: 'meetings' }]);
    // Asking again for an existing property is harmless.
    await adapter.ensureActivityIdField(['meeting', 'note']);
    expect(store().propertyMap('notes').get(ACTIVITY_ID_FIELD.hubspot)).toBeDefined();
  });

  it('429/5xx bursts: a batch of 60 is logged exactly once', async () => {
    const k = key();
    sandbox.hubspot.control.setFaults(
      [
        { method: 'POST', path: '/crm/v3/objects/emails/batch/create', status: 429, share: 0.5, times: 3 },
        { method: 'POST', path: '/crm/v3/objects/emails/batch/create', status: 503, share: 0.5, times: 2 },
      ],
      7,
    );
    try {
      const activities = Array.from({ length: 60 }, (_, i) => ({
        idempotencyKey: `${k}-${i}`,
        type: 'email_sent',
        subject: `Burst ${k} #${i}`,
        personId: contactPerson.id,
        occurredAt: new Date(Date.UTC(2026, 1, 10, 9, 0, i)).toISOString(),
      }));
      const res = (await request(t.server).post('/api/activities/batch').set('Cookie', a.memberCookie).send({ activities }).expect(200)).body as ActivityBatchResultDto;
      expect(res.results.every((r) => r.ok)).toBe(true);
      await waitFor(async () => {
        const list = (await request(t.server).get(`/api/activities?type=email_sent&status=pending&pageSize=200`).set('Cookie', a.memberCookie).expect(200)).body as { total: number };
        return list.total === 0;
      }, 60_000);
      const emails = engagements('emails').filter((e) => e.properties['hs_email_subject']?.includes(`Burst ${k} `));
      expect(emails).toHaveLength(60);
      expect(new Set(emails.map((e) => e.properties['hs_email_subject'])).size).toBe(60);
    } finally {
      sandbox.hubspot.control.clearFaults();
    }
  });

  it('held until export: below the policy activities wait; the positive reply exports the person and logs every held activity in order', async () => {
    await request(t.server).put('/api/connections/hubspot/export-settings').set('Cookie', a.adminCookie).send({ policy: 'replied_positive' }).expect(200);
    try {
      const addr = email();
      const person = await createPerson({ firstName: 'Held', lastName: 'Back', email: addr });
      const first = await post({ idempotencyKey: key(), type: 'email_sent', subject: 'First touch', personId: person.id, occurredAt: '2026-02-20T09:00:00.000Z' });
      const second = await post({ idempotencyKey: key(), type: 'linkedin_message', direction: 'sent', body: 'Second touch', personId: person.id, occurredAt: '2026-02-21T09:00:00.000Z' });
      expect(delivery(await settled(first.activity.id)).status).toBe('waiting_for_export');
      expect(delivery(await settled(second.activity.id)).status).toBe('waiting_for_export');
      const reply = await post({ idempotencyKey: key(), type: 'email_reply', subject: 'Re: First touch', direction: 'incoming', sentiment: 'positive', personId: person.id, occurredAt: '2026-02-22T09:00:00.000Z' });
      const logged = await Promise.all([first, second, reply].map((x) => settled(x.activity.id, ['logged', 'failed'])));
      for (const l of logged) expect(delivery(l).status).toBe('logged');
      // Delivered oldest first.
      const times = logged.map((l) => Date.parse(delivery(l).loggedAt!));
      expect(times[0]!).toBeLessThanOrEqual(times[1]!);
      expect(times[1]!).toBeLessThanOrEqual(times[2]!);
      const contact = [...store().records.get('contacts')!.values()].find((c) => c.properties['email'] === addr)!;
      expect(timeline(contact.id).map((e) => e.id).sort()).toEqual(logged.map((l) => delivery(l).crmId!).sort());
    } finally {
      await request(t.server).put('/api/connections/hubspot/export-settings').set('Cookie', a.adminCookie).send({ policy: 'all_contacted' }).expect(200);
    }
  });

  it('held until export: a person exported another way (a manual push) gets their held activities logged without a new intake', async () => {
    await request(t.server).put('/api/connections/hubspot/export-settings').set('Cookie', a.adminCookie).send({ policy: 'replied_positive' }).expect(200);
    try {
      const person = await createPerson({ firstName: 'Pushed', lastName: 'Later', email: email() });
      const res = await post({ idempotencyKey: key(), type: 'email_sent', subject: 'Before the push', personId: person.id, occurredAt: new Date().toISOString() });
      expect(delivery(await settled(res.activity.id)).status).toBe('waiting_for_export');
      const pushed = await push(person.id);
      const d = delivery(await settled(res.activity.id, ['logged', 'failed']));
      expect(d.status).toBe('logged');
      expect(timeline(pushed.crmId!).map((e) => e.id)).toContain(d.crmId);
    } finally {
      await request(t.server).put('/api/connections/hubspot/export-settings').set('Cookie', a.adminCookie).send({ policy: 'all_contacted' }).expect(200);
    }
  });

  it('export first: an email sent makes a new person exportable under "all contacted", so they are exported, then the email is logged', async () => {
    const addr = email();
    const person = await createPerson({ firstName: 'Fresh', lastName: 'Lead', email: addr });
    const res = await post({ idempotencyKey: key(), type: 'email_sent', subject: 'Hello Fresh', personId: person.id, occurredAt: new Date().toISOString() });
    const d = delivery(await settled(res.activity.id, ['logged', 'failed']));
    expect(d.status).toBe('logged');
    const contact = [...store().records.get('contacts')!.values()].find((c) => c.properties['email'] === addr);
    expect(contact).toBeDefined();
    expect(timeline(contact!.id).map((e) => e.id)).toEqual([d.crmId]);
  });

  it('failed deliveries carry the CRM reason and can be retried', async () => {
    const person = await createPerson({ firstName: 'Gone', lastName: 'Contact', email: email(), assignedUserId: a.member.id });
    const pushed = await push(person.id);
    // The contact is deleted in HubSpot but Conduit still links to it: HubSpot refuses the association.
    sandbox.hubspot.control.archiveRecord('contacts', pushed.crmId!);
    const res = await post({ idempotencyKey: key(), type: 'note', body: 'Contact gone', personId: person.id, occurredAt: new Date().toISOString() });
    const failed = delivery(await settled(res.activity.id, ['logged', 'failed']));
    expect(failed.status).toBe('failed');
    expect(failed.reason).toBeTruthy();
    const list = (await request(t.server).get('/api/activities?status=failed').set('Cookie', a.memberCookie).expect(200)).body as { items: ActivityDto[] };
    expect(list.items.map((x) => x.id)).toContain(res.activity.id);
    const retried = (await request(t.server).post(`/api/activities/${res.activity.id}/retry`).set('Cookie', a.memberCookie).expect(200)).body as ActivityDto;
    expect(['pending', 'failed']).toContain(delivery(retried).status);
    expect(delivery(await settled(res.activity.id, ['failed'])).reason).toBeTruthy();
  });
});
