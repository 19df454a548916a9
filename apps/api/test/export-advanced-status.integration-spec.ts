import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ExportRunDto, PushResultDto, StatusMappingDto } from '@conduit/contracts';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import request from 'supertest';
import { EngagementDetails1765000000000 } from '../src/database/migrations/1765000000000-engagement-details.js';
import { Person } from '../src/people/person.entity.js';
import { createWorkspace, type TestWorkspace } from './support/fixtures.js';
import { connectCrm } from './support/crm-oauth.js';
import { startTestApp, type TestApp, waitFor } from './support/test-app.js';
import { crmSandboxConfig } from './support/crm-test-app.js';

/**
 * "Show advanced statuses" (issue 6): advanced statuses come from the activities Conduit records, export the value
 * of their own status-mapping entry when there is one and their parent's otherwise, and a change of one on a linked
 * person updates the CRM the way an engagement change does. Real HubSpot SDK against the sandbox.
 */
describe('Advanced statuses exported to HubSpot (real SDK against the sandbox)', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  let a: TestWorkspace;
  let seq = 0;
  const run = Date.now().toString(36);

  const BASE = { not_contacted: 'NEW', contacted: 'OPEN', replied: 'CONNECTED', replied_positive: 'IN_PROGRESS', replied_negative: 'UNQUALIFIED' };
  const leadStatus = (contactId: string) => sandbox.hubspot.control.store().records.get('contacts')!.get(contactId)!.properties['hs_lead_status'];
  const uniqueEmail = () => `advanced${run}${seq++}@advanced-status.example`;
  const createPerson = async (body: Record<string, unknown>): Promise<Person> => {
    const res = await request(t.server).post('/api/people').set('Cookie', a.adminCookie).send(body).expect(201);
    return t.dataSource.getRepository(Person).findOneByOrFail({ id: (res.body as { id: string }).id });
  };
  const push = async (personId: string) => (await request(t.server).post(`/api/people/${personId}/push/hubspot`).set('Cookie', a.memberCookie).expect(200)).body as PushResultDto;
  const activity = (personId: string, body: Record<string, unknown>) =>
    request(t.server)
      .post('/api/activities')
      .set('Cookie', a.memberCookie)
      .send({ idempotencyKey: `adv-${run}-${seq++}`, personId, occurredAt: new Date().toISOString(), ...body })
      .expect(201);
  const positiveReply = (personId: string) => activity(personId, { type: 'email_reply', subject: 'Re: hello', sentiment: 'positive' });
  const meeting = (personId: string) => activity(personId, { type: 'meeting', title: 'Intro call', start: '2026-12-01T10:00:00Z', end: '2026-12-01T10:30:00Z', outcome: 'scheduled' });
  const putMapping = (table: Record<string, string>, expected = 200) =>
    request(t.server).put('/api/connections/hubspot/status-mapping').set('Cookie', a.adminCookie).send({ enabled: true, crmField: 'hs_lead_status', source: 'engagementState', table }).expect(expected);
  const runsOf = async (personId: string) =>
    ((await t.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM export_run WHERE workspace_id = $1 AND $2 = ANY(person_ids)`, [a.id, personId]))[0]!).n;
  const detailsOf = async (personId: string) =>
    ((await t.dataSource.query<Array<{ engagement_details: unknown }>>(`SELECT engagement_details FROM person WHERE id = $1`, [personId]))[0]!).engagement_details;

  beforeAll(async () => {
    sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 11 });
    t = await startTestApp({ runProcessors: true, ...crmSandboxConfig(sandbox) });
    a = await createWorkspace(t.server, t.dataSource, 'AdvancedStatus');
    await connectCrm(t.server, a.adminCookie, 'hubspot');
  });

  afterAll(async () => {
    await t?.close();
    await sandbox?.stop();
  });

  it('advanced entries are validated against the field options; a blank one is stored as "use the parent"', async () => {
    const bad = await putMapping({ ...BASE, meeting_booked: 'BOOKED' }, 400);
    expect((bad.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['table.meeting_booked']);
    const unknown = await putMapping({ ...BASE, meeting_cancelled: 'NEW' }, 400);
    expect((unknown.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['table.meeting_cancelled']);
    const ok = (await putMapping({ ...BASE, meeting_booked: 'OPEN_DEAL', linkedin_connected: '' })).body as StatusMappingDto;
    expect(ok.table).toEqual({ ...BASE, meeting_booked: 'OPEN_DEAL' });
  });

  it('with a meeting_booked entry: a linked person whose meeting is logged gets that value, after their positive reply got the parent\'s', async () => {
    await putMapping({ ...BASE, meeting_booked: 'OPEN_DEAL' });
    const person = await createPerson({ firstName: 'Mia', lastName: 'Meeting', email: uniqueEmail(), engagementState: 'contacted' });
    const pushed = await push(person.id);
    expect(leadStatus(pushed.crmId!)).toBe('OPEN');
    await positiveReply(person.id);
    await waitFor(async () => leadStatus(pushed.crmId!) === 'IN_PROGRESS', 45_000);
    await meeting(person.id);
    expect(await detailsOf(person.id)).toEqual({ replied_positive: 'meeting_booked' });
    // No engagement change here: only the advanced status moved, and it reaches the CRM through the automatic export.
    expect((await t.dataSource.getRepository(Person).findOneByOrFail({ id: person.id })).engagementState).toBe('replied_positive');
    await waitFor(async () => leadStatus(pushed.crmId!) === 'OPEN_DEAL', 45_000);
  });

  it('a meeting logged before the positive reply counts once the person replied positively; a bulk export reads it', async () => {
    const person = await createPerson({ firstName: 'Early', lastName: 'Meeting', email: uniqueEmail(), engagementState: 'contacted' });
    await meeting(person.id);
    expect(await detailsOf(person.id)).toEqual({ replied_positive: 'meeting_booked' });
    await positiveReply(person.id);
    const started = (await request(t.server).post('/api/export/hubspot').set('Cookie', a.adminCookie).send({ personIds: [person.id] }).expect(202)).body as ExportRunDto;
    const done = await waitFor(async () => {
      const r = (await request(t.server).get(`/api/export/runs/${started.id}`).set('Cookie', a.memberCookie).expect(200)).body as ExportRunDto;
      return (r.status === 'done' || r.status === 'failed') && r;
    }, 45_000);
    expect(done).toMatchObject({ status: 'done', needsAttention: 0 });
    const [contact, more] = [...(sandbox.hubspot.control.store().records.get('contacts')?.values() ?? [])].filter((r) => !r.archived && r.properties['email'] === person.email);
    expect(more).toBeUndefined();
    expect(contact!.properties['hs_lead_status']).toBe('OPEN_DEAL');
  });

  it('without the entry: the same person gets the parent\'s value', async () => {
    await putMapping({ ...BASE });
    const person = await createPerson({ firstName: 'Noah', lastName: 'Parent', email: uniqueEmail(), engagementState: 'contacted' });
    await positiveReply(person.id);
    const runsBefore = await runsOf(person.id);
    expect(runsBefore).toBeGreaterThan(0); // the positive reply reached the export policy
    await meeting(person.id);
    expect(await detailsOf(person.id)).toEqual({ replied_positive: 'meeting_booked' });
    // meeting_booked and replied_positive resolve to the same value: the meeting queues no export (runs are created by the intake request itself).
    expect(await runsOf(person.id)).toBe(runsBefore);
    // The positive reply reaches the export policy, so an automatic export may have created the contact already.
    const pushed = await push(person.id);
    expect(pushed.outcome).not.toBe('needs_attention');
    expect(leadStatus(pushed.crmId!)).toBe('IN_PROGRESS');
  });

  it('contacted refinements: a linked person moving to linkedin_connected gets its entry, a later email does not move them back', async () => {
    await putMapping({ ...BASE, linkedin_connected: 'ATTEMPTED_TO_CONTACT' });
    const person = await createPerson({ firstName: 'Lin', lastName: 'Ked', email: uniqueEmail() });
    await activity(person.id, { type: 'email_sent', subject: 'Hello' });
    const pushed = await push(person.id);
    expect(leadStatus(pushed.crmId!)).toBe('OPEN');
    await activity(person.id, { type: 'linkedin_connection_request', state: 'accepted' });
    await waitFor(async () => leadStatus(pushed.crmId!) === 'ATTEMPTED_TO_CONTACT', 45_000);
    await activity(person.id, { type: 'email_sent', subject: 'Follow-up' });
    expect(await detailsOf(person.id)).toEqual({ contacted: 'linkedin_connected' });
    const again = await push(person.id);
    expect(leadStatus(again.crmId!)).toBe('ATTEMPTED_TO_CONTACT');
  });

  it('the migration folds existing activities in: highest rank per parent, nothing for replies, cancelled meetings or notes', async () => {
    const ranked = await createPerson({ firstName: 'Back', lastName: 'Filled', email: uniqueEmail(), engagementState: 'contacted' });
    await activity(ranked.id, { type: 'linkedin_connection_request', state: 'accepted' });
    await activity(ranked.id, { type: 'email_sent', subject: 'Hi' });
    await activity(ranked.id, { type: 'call', direction: 'outbound', outcome: 'no_answer' });
    await activity(ranked.id, { type: 'meeting', title: 'Demo', start: '2026-12-02T10:00:00Z', end: '2026-12-02T10:30:00Z', outcome: 'completed' });
    const none = await createPerson({ firstName: 'No', lastName: 'Detail', email: uniqueEmail(), engagementState: 'contacted' });
    await activity(none.id, { type: 'email_reply', subject: 'Re', sentiment: 'neutral' });
    await activity(none.id, { type: 'meeting', title: 'Demo', start: '2026-12-02T10:00:00Z', end: '2026-12-02T10:30:00Z', outcome: 'canceled' });
    await activity(none.id, { type: 'note', body: 'n' });
    await activity(none.id, { type: 'linkedin_message', direction: 'incoming', body: 'hey' });
    const intake = { ranked: await detailsOf(ranked.id), none: await detailsOf(none.id) };
    expect(intake).toEqual({ ranked: { contacted: 'linkedin_connected', replied_positive: 'meeting_held' }, none: {} });

    // Re-run the migration on these activities: it must arrive at what the intake wrote.
    const runner = t.dataSource.createQueryRunner();
    try {
      const migration = new EngagementDetails1765000000000();
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect({ ranked: await detailsOf(ranked.id), none: await detailsOf(none.id) }).toEqual(intake);
  });
});
