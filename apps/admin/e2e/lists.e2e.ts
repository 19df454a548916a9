import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CrmListDto, RecipientCountsDto } from '@conduit/contracts';
import type { Page } from 'playwright-core';
import { screenshot } from './support/browser';
import { apiGet, connectCrm, sessionPerSuite, waitForApi } from './support/session';
import type { Stack } from './support/stack';

const AUDIENCE = 'Q1 outbound – hand-picked';
const SUPPRESSION = 'Conference leads – SaaStr Europa 2025';

describe('CRM lists as campaign audience and suppression list', { timeout: 400_000 }, () => {
  let stack: Stack;
  let page: Page;

  sessionPerSuite({ height: 1100 }, (s) => ({ stack, page } = s));
  const api = <T>(path: string): Promise<T> => apiGet<T>(page, stack, path);

  it('picks a HubSpot list as audience and another as suppression, and shows the counts and the excluded people with reasons', async () => {
    // Two seeded static HubSpot lists; make sure they overlap by two contacts, and put a third audience member on a DNC domain.
    const store = stack.sandbox.hubspot.control.store();
    const byName = (name: string) => [...store.lists.values()].find((l) => l.name === name);
    const audience = byName(AUDIENCE);
    const suppression = byName(SUPPRESSION);
    assert.ok(audience && suppression, 'the sandbox seeds both lists');
    const contacts = store.records.get('contacts')!;
    const email = (id: string) => String(contacts.get(id)?.properties['email'] ?? '').toLowerCase();
    const outside = [...audience.members.keys()].filter((id) => !suppression.members.has(id) && email(id) !== '');
    for (const id of outside.slice(0, 2)) suppression.members.set(id, Date.now());
    const overlap = [...audience.members.keys()].filter((id) => suppression.members.has(id));
    const suppressedEmail = email(overlap[0]!);
    const dncId = outside[2]!;
    const dncEmail = email(dncId);
    const dncDomain = dncEmail.split('@')[1]!;
    const dncDomainMembers = [...audience.members.keys()].filter((id) => !suppression.members.has(id) && email(id).endsWith(`@${dncDomain}`));

    // Connect HubSpot through the sandbox consent page.
    await connectCrm(page, stack, 'hubspot');

    // Lists page: the HubSpot lists with their type and size; search by name.
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Lists' }).click();
    await page.waitForURL(/\/lists$/);
    const audienceRow = page.getByTestId(`crm-list-${audience.listId}`);
    await audienceRow.waitFor();
    assert.match(await audienceRow.innerText(), /static/i);
    assert.match(await audienceRow.innerText(), new RegExp(String(audience.members.size)));
    await page.getByTestId(`crm-list-${[...store.lists.values()].find((l) => l.processingType === 'DYNAMIC')!.listId}`).getByText('Dynamic').waitFor();
    await page.getByLabel('Search lists').fill('SaaStr');
    await audienceRow.waitFor({ state: 'detached' });
    await page.getByTestId(`crm-list-${suppression.listId}`).waitFor();
    await screenshot(page, 'lists-search');

    // Settings → Do not contact: the domain of one audience member.
    await page.goto(`${stack.adminUrl}/settings/dnc`);
    const domains = page.getByLabel('Do-not-contact domains');
    await domains.fill('not a domain');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText(/must be a domain such as example\.com/).waitFor();
    await domains.fill(dncDomain);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Do-not-contact settings saved').first().waitFor();

    // New campaign: audience and suppression lists picked in the editor.
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Campaigns' }).click();
    await page.getByTestId('campaigns-empty').waitFor();
    await page.getByRole('link', { name: 'New campaign' }).click();
    await page.waitForURL(/\/campaigns\/new$/);
    await page.getByRole('button', { name: 'Create campaign' }).click();
    // The API's 400 shows on the Name field.
    const name = page.getByRole('textbox', { name: 'Name' });
    await page.waitForFunction(() => document.querySelector('input[aria-invalid="true"]') !== null);
    assert.equal(await name.getAttribute('aria-invalid'), 'true');
    await page.getByText(/^Name /).first().waitFor();
    await name.fill('Q1 outbound minus SaaStr');
    await page.getByRole('combobox', { name: 'Audience lists' }).click();
    await page.getByRole('option', { name: new RegExp(`^${AUDIENCE}`) }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('combobox', { name: 'Suppression lists' }).click();
    await page.getByRole('option', { name: new RegExp(`^${SUPPRESSION}`) }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}$/);
    const campaignId = page.url().split('/').pop()!;

    // Both lists sync on first use; the preview polls until the counts settle.
    const expected = { audience: audience.members.size, suppressed: overlap.length };
    const want = { audience: expected.audience.toLocaleString('en'), suppressed: expected.suppressed.toLocaleString('en') };
    for (const deadline = Date.now() + 120_000; ; ) {
      const shown = { audience: await page.getByTestId('count-audience').textContent(), suppressed: await page.getByTestId('count-suppressed').textContent() };
      if (shown.audience === want.audience && shown.suppressed === want.suppressed) break;
      if (Date.now() > deadline) {
        const state = (await api<CrmListDto[]>('/crm-lists?crm=hubspot')).filter((l) => l.usedBy.length).map((l) => [l.name, l.syncStatus, l.memberCount, l.lastError]);
        assert.fail(`counts shown ${JSON.stringify(shown)}, want ${JSON.stringify(want)}; lists ${JSON.stringify(state)}`);
      }
      await page.waitForTimeout(500);
    }
    const counts = await api<RecipientCountsDto>(`/campaigns/${campaignId}/recipients/counts`);
    assert.equal(counts.audience, audience.members.size);
    assert.equal(counts.suppressed, overlap.length);
    assert.ok(counts.dnc >= dncDomainMembers.length, `at least the ${dncDomainMembers.length} audience people at ${dncDomain} are DNC`);
    assert.equal(counts.final, counts.audience - counts.suppressed - counts.dnc);
    assert.equal(await page.getByTestId('count-final').innerText(), counts.final.toLocaleString('en'));
    assert.equal(await page.getByTestId('count-dnc').innerText(), counts.dnc.toLocaleString('en'));
    await screenshot(page, 'campaign-recipients');

    // Excluded: each person with the reason (the suppression list's name, the DNC domain).
    await page.getByRole('tab', { name: /^Excluded/ }).click();
    await page.getByRole('combobox', { name: 'Rows per page' }).last().click();
    await page.getByRole('option', { name: '100' }).click();
    const suppressedRow = page.locator(`[data-testid="excluded-row"][data-email="${suppressedEmail}"]`);
    await suppressedRow.locator('[data-reason="suppressed"]').filter({ hasText: `Suppression list: ${SUPPRESSION}` }).waitFor();
    const dncRow = page.locator(`[data-testid="excluded-row"][data-email="${dncEmail}"]`);
    await dncRow.locator('[data-reason="dnc_domain"]').filter({ hasText: dncDomain }).waitFor();
    assert.equal(await page.getByTestId('excluded-row').count(), Math.min(100, counts.suppressed + counts.dnc));
    await screenshot(page, 'campaign-excluded');

    // Lists page shows where the lists are used.
    const lists = await api<CrmListDto[]>('/crm-lists?crm=hubspot');
    const used = lists.find((l) => l.crmListId === audience.listId);
    assert.deepEqual(used?.usedBy.map((u) => [u.campaignId, u.role]), [[campaignId, 'audience']]);

    // The DNC person's page shows the status and the reason.
    await dncRow.getByRole('link').first().click();
    await page.waitForURL(/\/prospects\/[0-9a-f-]{36}$/);
    const panel = page.getByTestId('person-dnc');
    await panel.locator('[data-dnc="true"]').waitFor();
    await panel.locator('[data-reason="domain"]').filter({ hasText: dncDomain }).waitFor();
    await screenshot(page, 'person-dnc');

    // HubSpot adds someone to the audience list: the campaign's Refresh re-reads its lists and says when it finished.
    const joiner = [...contacts.keys()].find((id) => !audience.members.has(id) && !suppression.members.has(id) && email(id) !== '' && !email(id).endsWith(`@${dncDomain}`))!;
    audience.members.set(joiner, Date.now());
    await page.goto(`${stack.adminUrl}/campaigns/${campaignId}`);
    const status = page.getByTestId('lists-refresh-status');
    await status.getByText(/^CRM lists refreshed /).waitFor();
    assert.equal(await page.getByTestId('count-audience').innerText(), counts.audience.toLocaleString('en'));
    const clicked = Date.now();
    await page.getByTestId('recipients-preview').getByRole('button', { name: 'Refresh' }).click();
    await page.getByTestId('count-audience').getByText((counts.audience + 1).toLocaleString('en'), { exact: true }).waitFor({ timeout: 120_000 });
    // Both lists were read again (not only the counts recomputed), and the page says the lists are refreshed.
    const ids = [audience.listId, suppression.listId];
    await waitForApi<CrmListDto[]>(
      page,
      stack,
      '/crm-lists?crm=hubspot',
      (all) => {
        const mine = all.filter((l) => ids.includes(l.crmListId));
        return mine.length === 2 && mine.every((l) => l.syncStatus === 'ok' && l.lastSyncedAt !== null && Date.parse(l.lastSyncedAt) >= clicked - 1000);
      },
      120_000,
      500,
    );
    await status.getByText(/^CRM lists refreshed /).waitFor();
    await screenshot(page, 'campaign-refresh-lists');
  });
});
