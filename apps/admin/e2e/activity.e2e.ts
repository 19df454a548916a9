import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ActivityDto, ActivityIntakeResultDto, Page as ApiPage, CrmLinkDto, PersonDto } from '@conduit/contracts';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, signIn } from './support/browser';
import { startStack, type Stack } from './support/stack';

describe('activity logging from the admin console', { timeout: 300_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;

  before(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await signIn(page, stack.adminUrl);
    await page.waitForURL(/\/prospects$/);
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const card = () => page.getByTestId('integration-hubspot');

  it('turns notes off, logs an email with the label and keeps the note as "not synced (type off)"', async () => {
    // Connect HubSpot through the sandbox consent page.
    await page.goto(`${stack.adminUrl}/settings/integrations`);
    await card().getByRole('button', { name: 'Connect HubSpot' }).click();
    await page.waitForURL((url) => url.origin === stack.sandbox.hubspot.url);
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL((url) => url.pathname === '/settings/integrations' && url.searchParams.get('connected') === 'hubspot');

    // Activity tab: notes off, the default label stays.
    await card().getByRole('button', { name: 'Activity settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Activity sync to HubSpot' });
    await dialog.waitFor();
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
});
