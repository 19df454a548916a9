import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PersonDto, PushResultDto, StatusMappingDto } from '@conduit/contracts';
import type { Browser, Page } from 'playwright-core';
import { screenshot } from './support/browser';
import { closeSession, connectCrm, openConnectionTab, openSession, waitForApi } from './support/session';
import type { Stack } from './support/stack';

describe('Status mapping: Show advanced statuses', { timeout: 400_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ stack, browser, page } = await openSession());
  });
  after(() => closeSession({ browser, stack }));

  const api = async <T>(method: 'GET' | 'POST', path: string, data?: unknown): Promise<T> => {
    const res = method === 'GET' ? await page.request.get(`${stack.adminUrl}/api${path}`) : await page.request.post(`${stack.adminUrl}/api${path}`, { data });
    assert.ok(res.ok(), `${method} ${path}: ${res.status()} ${await res.text()}`);
    return (await res.json()) as T;
  };

  it('reveals the advanced rows, maps Meeting booked to its own value, and a person with a logged meeting gets it in HubSpot', async () => {
    await connectCrm(page, stack, 'hubspot');

    const settings = await openConnectionTab(page, stack, 'hubspot', 'export');
    await settings.getByRole('tab', { name: 'Status mapping' }).click();
    const meeting = settings.getByLabel('CRM value for Meeting booked', { exact: true });
    assert.equal(await meeting.count(), 0, 'advanced rows are hidden at first');
    await settings.getByRole('switch', { name: 'Show advanced statuses' }).check();
    await meeting.waitFor();
    // Empty: it uses its parent's value, and says which.
    const view = await api<StatusMappingDto>('GET', '/connections/hubspot/status-mapping');
    const parentLabel = view.options.find((o) => o.value === view.table['replied_positive'])?.label;
    assert.ok(parentLabel, 'the default mapping gives Replied positive a value');
    assert.equal(await meeting.getAttribute('placeholder'), `Uses Replied positive's value (${parentLabel})`);
    // Indented under its parent: the row right after Replied positive.
    const rows = await settings.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.querySelector('input:not([type=hidden])')?.getAttribute('aria-label') ?? ''));
    assert.equal(rows[rows.indexOf('CRM value for Replied positive') + 1], 'CRM value for Meeting booked');

    const openDeal = view.options.find((o) => o.value === 'OPEN_DEAL');
    assert.ok(openDeal, 'hs_lead_status has OPEN_DEAL');
    await meeting.click();
    await page.getByRole('option', { name: openDeal.label, exact: true }).click();
    await settings.getByRole('button', { name: 'Save status mapping' }).click();
    await waitForApi<StatusMappingDto>(page, stack, '/connections/hubspot/status-mapping', (m) => m.table['meeting_booked'] === 'OPEN_DEAL', 30_000, 500);
    await screenshot(page, 'status-mapping-advanced');

    // A person who replied positively and booked a meeting: pushed with the advanced value.
    const person = await api<PersonDto>('POST', '/people', { firstName: 'Meg', lastName: 'Booked', email: `meg-${Date.now().toString(36)}@advanced-e2e.example`, engagementState: 'contacted' });
    const at = new Date().toISOString();
    await api('POST', '/activities', { idempotencyKey: `e2e-reply-${person.id}`, type: 'email_reply', personId: person.id, occurredAt: at, subject: 'Re: hi', sentiment: 'positive' });
    await api('POST', '/activities', { idempotencyKey: `e2e-meeting-${person.id}`, type: 'meeting', personId: person.id, occurredAt: at, title: 'Intro', start: '2026-12-01T10:00:00Z', end: '2026-12-01T10:30:00Z' });
    const pushed = await api<PushResultDto>('POST', `/people/${person.id}/push/hubspot`);
    assert.ok(pushed.crmId);
    assert.equal(stack.sandbox.hubspot.control.getRecord('contacts', pushed.crmId)?.properties['hs_lead_status'], 'OPEN_DEAL');
  });
});
