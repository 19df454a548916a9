import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CampaignDto, CrmListDto, RecipientCountsDto } from '@conduit/contracts';
import type { Page } from 'playwright-core';
import { screenshot } from './support/browser';
import { apiGet, connectCrm, sessionPerSuite } from './support/session';
import type { Stack } from './support/stack';

const VIEW = 'Technology industry';
const OPTION = `Salesforce list view · Leads · ${VIEW}`;

/** #19: a Salesforce list view on Leads as a campaign audience, and the campaign telling when the view is deleted. */
describe('Salesforce list view as a campaign audience', { timeout: 400_000 }, () => {
  let stack: Stack;
  let page: Page;

  sessionPerSuite({ height: 1100 }, (s) => ({ stack, page } = s));
  const api = <T>(path: string): Promise<T> => apiGet<T>(page, stack, path);
  /** Ids a SOQL query selects in the sandbox org (one page is enough here). */
  const soqlIds = async (q: string): Promise<string[]> => {
    const token = stack.sandbox.salesforce.control.mintToken({ expiresInSec: 600 }).accessToken;
    const res = await fetch(`${stack.sandbox.salesforce.url}/services/data/v62.0/query?q=${encodeURIComponent(q)}`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    return ((await res.json()) as { records: { Id: string }[] }).records.map((r) => r.Id);
  };

  it('picks a Lead list view as the audience, shows its members, and flags the campaign once the view is deleted in Salesforce', async () => {
    const members = await soqlIds(`SELECT Id FROM Lead WHERE IsConverted = false AND Industry = 'Technology'`);
    assert.ok(members.length > 5, 'the demo org has Technology leads');

    await connectCrm(page, stack, 'salesforce');

    // Lists page: the list views beside the Campaigns, named by their object.
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Lists' }).click();
    await page.waitForURL(/\/lists$/);
    const view = (await api<CrmListDto[]>('/crm-lists?crm=salesforce')).find((l) => l.source === 'list_view' && l.name === VIEW);
    assert.ok(view, 'the catalog offers the list view');
    const row = page.getByTestId(`crm-list-${view.crmListId}`);
    await row.waitFor();
    assert.match(await row.innerText(), /Salesforce list view · Leads/);
    assert.match(await row.innerText(), /Dynamic/i);
    await page.getByTestId(`crm-list-Contact/${stack.sandbox.salesforce.control.listViews().find((v) => v.label === 'Contacts in California')!.id}`).getByText('Salesforce list view · Contacts').waitFor();
    await page.getByLabel('Search lists').fill('industry');
    await page.locator('[data-list-name="My open leads"]').waitFor({ state: 'detached' });
    await row.waitFor();
    await screenshot(page, 'lists-salesforce-list-views');

    // New campaign with the list view as its audience, picked by its plain label.
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('link', { name: 'New campaign' }).click();
    await page.waitForURL(/\/campaigns\/new$/);
    await page.getByRole('textbox', { name: 'Name' }).fill('Technology leads');
    await page.getByRole('combobox', { name: 'Audience lists' }).click();
    await page.getByRole('option', { name: new RegExp(`^${OPTION}`) }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}$/);
    const campaignId = page.url().split('/').pop()!;

    // The view syncs on first use; the preview polls until the audience is every member of the view.
    const want = members.length.toLocaleString('en');
    for (const deadline = Date.now() + 120_000; ; ) {
      if ((await page.getByTestId('count-audience').textContent()) === want) break;
      if (Date.now() > deadline) assert.fail(`audience shown ${await page.getByTestId('count-audience').textContent()}, want ${want}`);
      await page.waitForTimeout(500);
    }
    assert.equal((await api<RecipientCountsDto>(`/campaigns/${campaignId}/recipients/counts`)).audience, members.length);
    await page.getByRole('combobox', { name: 'Audience lists' }).waitFor();
    assert.match(await page.locator('form').innerText(), new RegExp(OPTION));
    await screenshot(page, 'campaign-list-view-audience');

    // The view is deleted in Salesforce; the next sync (here: Sync now on the Lists page) flags it, and the campaign says so.
    assert.equal(stack.sandbox.salesforce.control.deleteListView(view.crmListId.split('/')[1]!), true);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Lists' }).click();
    await page.getByRole('button', { name: `Sync ${VIEW} now` }).click();
    // Sync now asks first, with the forecast of what it will cost (#17).
    await page.getByRole('dialog', { name: `Sync ${VIEW} now` }).getByRole('button', { name: 'Sync now' }).click();
    await page.getByText(`Syncing ${VIEW}`).first().waitFor();
    await row.getByTestId('list-unavailable').filter({ hasText: 'Deleted in Salesforce' }).waitFor({ timeout: 60_000 });
    await screenshot(page, 'lists-list-view-deleted');

    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('link', { name: 'Technology leads' }).waitFor();
    await page.getByText('List deleted in CRM').first().waitFor();
    await page.getByRole('link', { name: 'Technology leads' }).click();
    const alert = page.getByTestId('deleted-lists-alert');
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /A list of this campaign was deleted in the CRM/);
    assert.match(text, new RegExp(`${OPTION}: This list view was deleted in Salesforce, or is no longer shared with the connected Salesforce user\\.`));
    assert.match(text, new RegExp(`keeps its last known ${want} members`));
    // Nobody left the campaign: its audience is still the view's last members.
    assert.equal(await page.getByTestId('count-audience').innerText(), want);
    const campaign = await api<CampaignDto>(`/campaigns/${campaignId}`);
    assert.deepEqual(campaign.unavailableLists.map((l) => [l.name, l.state]), [[VIEW, 'deleted']]);
    await screenshot(page, 'campaign-list-view-deleted');
  });
});
