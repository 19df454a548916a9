import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ActivityDto, ActivityIntakeResultDto, Page as ApiPage, CrmLinkDto, PersonDto } from '@conduit/contracts';
import type { Browser, Page } from 'playwright-core';
import { screenshot } from './support/browser';
import { closeSession, connectCrm, openConnectionTab, openSession } from './support/session';
import type { Stack } from './support/stack';

describe('activity logging from the admin console', { timeout: 300_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;

  before(async () => {
    // The budget's clock is pinned at a quiet time (the last test spends the day and reads its reset), whatever the
    // wall clock says.
    ({ stack, browser, page } = await openSession({ pinBudgetClock: true }));
  });
  after(() => closeSession({ browser, stack }));

  /** A person already in HubSpot (exported by the first test). */
  let exportedPersonId = '';
  const postActivity = async (body: Record<string, unknown>) => {
    const response = await page.request.post(`${stack.adminUrl}/api/activities`, { data: body });
    assert.equal(response.status(), 201, await response.text());
    return ((await response.json()) as ActivityIntakeResultDto).activity;
  };
  const deliveryOf = async (id: string) => {
    const act = (await (await page.request.get(`${stack.adminUrl}/api/activities/${id}`)).json()) as ActivityDto;
    return act.deliveries.find((d) => d.crm === 'hubspot');
  };
  /** Waits (polling the API) until the HubSpot delivery reaches one of these statuses. */
  const settled = async (id: string, statuses: string[]) => {
    const until = Date.now() + 90_000;
    for (;;) {
      const d = await deliveryOf(id);
      if (d && statuses.includes(d.status)) return d;
      if (Date.now() > until) throw new Error(`activity ${id} is still ${d?.status ?? 'without a HubSpot delivery'}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  };

  it('turns notes off, logs an email with the label and keeps the note as "not synced (type off)"', async () => {
    // Connect HubSpot through the sandbox consent page.
    await connectCrm(page, stack, 'hubspot');

    // HubSpot's Activities tab: notes off, the default label stays.
    const dialog = await openConnectionTab(page, stack, 'hubspot', 'activities');
    const label = dialog.getByLabel(/Activity label/);
    await page.waitForFunction(() => [...document.querySelectorAll('input')].some((i) => i.value === '[Conduit]'));
    assert.equal(await label.inputValue(), '[Conduit]');
    const noteSwitch = dialog.getByRole('switch', { name: 'Note', exact: true });
    assert.equal(await noteSwitch.isChecked(), true);
    await noteSwitch.click();
    assert.equal(await noteSwitch.isChecked(), false);
    await dialog.getByRole('button', { name: 'Save activity settings' }).click();
    await page.getByText('Activity settings saved').first().waitFor();
    await screenshot(page, 'activity-settings');
    const saved = await page.request.get(`${stack.adminUrl}/api/connections/hubspot/activity-settings`);
    assert.equal(((await saved.json()) as { types: { note: boolean } }).types.note, false);
    await page.keyboard.press('Escape');

    // The engine reports an email and a note for a demo person with an email (session cookie, same origin).
    const people = (await (await page.request.get(`${stack.adminUrl}/api/people?pageSize=100`)).json()) as ApiPage<PersonDto>;
    const person = people.items.find((p) => p.email);
    assert.ok(person, 'the seed has a person with an email');
    exportedPersonId = person.id;
    const stamp = Date.now();
    const subject = `Quick question ${stamp}`;
    const post = async (body: Record<string, unknown>) => {
      const response = await page.request.post(`${stack.adminUrl}/api/activities`, { data: body });
      assert.equal(response.status(), 201, await response.text());
      return ((await response.json()) as ActivityIntakeResultDto).activity;
    };
    const email = await post({
      idempotencyKey: `e2e-email-${stamp}`,
      type: 'email_sent',
      personId: person.id,
      occurredAt: new Date().toISOString(),
      subject,
      bodyText: 'Hi, do you have 15 minutes next week?',
      from: 'alex@conduit.local',
      to: [person.email],
    });
    const note = await post({ idempotencyKey: `e2e-note-${stamp}`, type: 'note', personId: person.id, occurredAt: new Date().toISOString(), body: `Note ${stamp}` });

    // Activity log: the email is logged (with a link to HubSpot), the note is not synced.
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Activity' }).click();
    await page.waitForURL(/\/activity$/);
    const emailRow = page.getByTestId(`activity-${email.id}`);
    const noteRow = page.getByTestId(`activity-${note.id}`);
    await emailRow.locator('[data-status="logged"]').waitFor({ timeout: 60_000 });
    assert.match(await emailRow.innerText(), /Email sent/);
    await emailRow.getByRole('link', { name: 'Open in HubSpot' }).waitFor();
    await noteRow.locator('[data-status="not_synced_type_off"]').filter({ hasText: 'Not synced (type off)' }).waitFor();
    await screenshot(page, 'activity-log');

    // Filter by status: only the note.
    await page.locator('input[aria-label="Filter by status"]').click();
    await page.getByRole('option', { name: 'Not synced (type off)' }).click();
    await page.waitForURL((url) => url.searchParams.get('status') === 'not_synced_type_off');
    await noteRow.waitFor();
    await emailRow.waitFor({ state: 'detached' });

    // The person's timeline in Conduit.
    await page.goto(`${stack.adminUrl}/prospects/${person.id}`);
    const timeline = page.getByTestId('person-activity');
    await timeline.getByText(subject).waitFor();
    await timeline.getByText('Not synced (type off)').waitFor();

    // The HubSpot contact's timeline in the sandbox: the email, with the label; no note.
    const stored = (await (await page.request.get(`${stack.adminUrl}/api/activities/${email.id}`)).json()) as ActivityDto;
    const delivery = stored.deliveries.find((d) => d.crm === 'hubspot');
    assert.equal(delivery?.status, 'logged');
    const links = (await (await page.request.get(`${stack.adminUrl}/api/people/${person.id}/crm-links`)).json()) as CrmLinkDto[];
    const contact = links.find((l) => l.crm === 'hubspot' && l.object === 'contact');
    assert.ok(contact, 'the person was exported to HubSpot before the email was logged');
    const engagement = stack.sandbox.hubspot.control.getRecord('emails', delivery.crmId ?? '');
    assert.ok(engagement, 'the email engagement exists in HubSpot');
    assert.equal(engagement.properties['hs_email_subject'], `[Conduit] ${subject}`);
    const record = stack.sandbox.hubspot.control.getRecord('contacts', contact.crmId);
    assert.ok(record?.timeline.some((e) => e.id === delivery.crmId), 'the email is on the contact timeline');
    assert.ok(!record?.timeline.some((e) => e.type === 'notes'), 'the note was not logged');
    await page.goto(`${stack.sandbox.hubspot.url}/__sandbox/ui/contacts/${contact.crmId}`);
    await page.getByText(`[Conduit] ${subject}`).first().waitFor();
    await screenshot(page, 'activity-hubspot-timeline');
  });
  it('shows a failed activity with HubSpot\'s reason, and a retry logs it', async () => {
    assert.ok(exportedPersonId, 'the first test exported a person');
    // Someone deletes Conduit's activity id property in HubSpot: HubSpot refuses the next email and says why.
    stack.sandbox.hubspot.control.removeProperty('emails', 'conduit_activity_id');
    const stamp = Date.now();
    const act = await postActivity({ idempotencyKey: `e2e-refused-${stamp}`, type: 'email_sent', personId: exportedPersonId, occurredAt: new Date().toISOString(), subject: `Refused ${stamp}` });
    await settled(act.id, ['failed', 'logged']);

    await page.goto(`${stack.adminUrl}/activity`);
    const row = page.getByTestId(`activity-${act.id}`);
    await row.locator('[data-status="failed"]').filter({ hasText: 'Failed' }).waitFor();
    // HubSpot's own words, naming the property it does not know.
    await row.getByText(/Property values were not valid.*conduit_activity_id/).waitFor();
    await screenshot(page, 'activity-failed');

    // Retry: Conduit checks the property again (creates it), and the email is logged once.
    await row.getByRole('button', { name: 'Retry' }).click();
    await page.getByText('Queued for logging again').first().waitFor();
    await row.locator('[data-status="logged"]').waitFor({ timeout: 60_000 });
    await row.getByRole('link', { name: 'Open in HubSpot' }).waitFor();
    assert.equal(await row.getByRole('button', { name: 'Retry' }).count(), 0);
    const delivery = await deliveryOf(act.id);
    const engagement = stack.sandbox.hubspot.control.getRecord('emails', delivery?.crmId ?? '');
    assert.ok(engagement, 'the email engagement exists in HubSpot');
    assert.equal(engagement.properties['conduit_activity_id'], act.id);
    assert.equal(engagement.properties['hs_email_subject'], `[Conduit] Refused ${stamp}`);
    await screenshot(page, 'activity-retried');
  });

  it('holds an email "waiting for export" and logs it after the person is pushed to HubSpot', async () => {
    // Only people who replied positively are exported by policy: an email to a new person waits.
    const policy = await page.request.put(`${stack.adminUrl}/api/connections/hubspot/export-settings`, { data: { policy: 'replied_positive' } });
    assert.equal(policy.status(), 200, await policy.text());
    try {
      const stamp = Date.now();
      const created = await page.request.post(`${stack.adminUrl}/api/people`, { data: { firstName: 'Wanda', lastName: `Waits${stamp}`, email: `wanda.${stamp}@held-e2e.example` } });
      assert.equal(created.status(), 201, await created.text());
      const personId = ((await created.json()) as { id: string }).id;
      const subject = `Held ${stamp}`;
      const act = await postActivity({ idempotencyKey: `e2e-held-${stamp}`, type: 'email_sent', personId, occurredAt: new Date().toISOString(), subject });
      await settled(act.id, ['waiting_for_export']);

      await page.goto(`${stack.adminUrl}/activity`);
      const row = page.getByTestId(`activity-${act.id}`);
      await row.locator('[data-status="waiting_for_export"]').filter({ hasText: 'Waiting for export' }).waitFor();
      await screenshot(page, 'activity-waiting-for-export');

      // Export the person from their page; the held email follows without anything else being posted.
      await page.goto(`${stack.adminUrl}/prospects/${personId}`);
      await page.getByRole('button', { name: 'Push to HubSpot' }).click();
      const delivery = await settled(act.id, ['logged', 'failed']);
      assert.equal(delivery.status, 'logged', delivery.reason ?? '');
      await page.reload();
      await page.getByTestId('person-activity').getByText(subject).waitFor();
      await page.getByTestId('person-activity').locator('[data-status="logged"]').first().waitFor();

      await page.goto(`${stack.adminUrl}/activity`);
      await page.getByTestId(`activity-${act.id}`).locator('[data-status="logged"]').waitFor();
      const links = (await (await page.request.get(`${stack.adminUrl}/api/people/${personId}/crm-links`)).json()) as CrmLinkDto[];
      const contact = links.find((l) => l.crm === 'hubspot' && l.object === 'contact');
      assert.ok(contact, 'the person is in HubSpot now');
      const record = stack.sandbox.hubspot.control.getRecord('contacts', contact.crmId);
      assert.ok(record?.timeline.some((e) => e.id === delivery.crmId), 'the held email is on the new contact\'s timeline');
      assert.equal(stack.sandbox.hubspot.control.getRecord('emails', delivery.crmId ?? '')?.properties['hs_email_subject'], `[Conduit] ${subject}`);
    } finally {
      await page.request.put(`${stack.adminUrl}/api/connections/hubspot/export-settings`, { data: { policy: 'all_contacted' } });
    }
  });

  it('an activity past the daily API allocation (its live reserve too) waits, and the Activity page says why and when it is tried next', async () => {
    const control = stack.sandbox.hubspot.control;
    // The account reports a daily limit of 1,000 calls; Conduit may use 1 % of it (10 calls), already spent by the
    // tests before: once the CRM's figures reach Conduit, every new activity waits for the reset (00:00 UTC).
    control.configure({ rateLimit: { enabled: true, perTenSeconds: 10_000, daily: 1_000, searchPerSecond: 1_000 } });
    const connections = (await (await page.request.get(`${stack.adminUrl}/api/connections`)).json()) as { crm: string; id?: string }[];
    const connectionId = connections.find((c) => c.crm === 'hubspot')?.id;
    assert.ok(connectionId, 'HubSpot is connected');
    const allocation = await page.request.put(`${stack.adminUrl}/api/connections/${connectionId}/api-allocation`, { data: { dailyShare: 1, liveReserveShare: 50 } });
    assert.equal(allocation.status(), 200, await allocation.text());
    try {
      const stamp = Date.now();
      let waiting: ActivityDto | null = null;
      for (let i = 0; i < 10 && !waiting; i++) {
        const act = await postActivity({ idempotencyKey: `e2e-budget-${stamp}-${i}`, type: 'call', direction: 'outbound', personId: exportedPersonId, occurredAt: new Date().toISOString(), title: `Budget call ${i}` });
        const until = Date.now() + 60_000;
        for (;;) {
          const d = await deliveryOf(act.id);
          if (d?.status === 'pending' && d.waiting?.reason.startsWith('Waiting:')) {
            waiting = act;
            break;
          }
          if (d && d.status !== 'pending') break;
          if (Date.now() > until) throw new Error(`activity ${act.id} neither logged nor waiting`);
          await new Promise((r) => setTimeout(r, 500));
        }
      }
      assert.ok(waiting, 'an activity waits for the daily API budget');
      const d = await deliveryOf(waiting.id);
      assert.equal(d?.waiting?.reason, 'Waiting: daily HubSpot API allocation spent');
      assert.equal(d?.waiting?.nextAttemptAt, control.usage().resetsAt);

      await page.goto(`${stack.adminUrl}/activity`);
      const row = page.getByTestId(`activity-${waiting.id}`);
      await row.getByText('Waiting for API budget').waitFor();
      const text = await row.getByTestId('delivery-hubspot-waiting').innerText();
      assert.match(text, /^Waiting: daily HubSpot API allocation spent — next try at \d{2}:\d{2} \(in (\d+ h( \d+ min)?|\d+ min)\)$/);
      await screenshot(page, 'activity-waiting-for-api-budget');
      // The person's page says the same.
      await page.goto(`${stack.adminUrl}/prospects/${exportedPersonId}`);
      const onPerson = page.getByTestId('person-activity').getByText(/^Waiting: daily HubSpot API allocation spent — next try at /).first();
      await onPerson.waitFor();
      await onPerson.scrollIntoViewIfNeeded();
      await screenshot(page, 'person-activity-waiting-for-api-budget');
    } finally {
      await page.request.put(`${stack.adminUrl}/api/connections/${connectionId}/api-allocation`, { data: { dailyShare: 50, liveReserveShare: 10 } });
      control.configure({ rateLimit: { enabled: false } });
    }
  });
});
