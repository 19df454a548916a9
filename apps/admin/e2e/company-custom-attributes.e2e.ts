import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { screenshot } from './support/browser';
import { closeSession, connectCrm, openConnectionTab, openSession, syncRunsSettled } from './support/session';
import type { Stack } from './support/stack';

/**
 * Issue 5: company custom attributes from the admin — a custom row on the Companies tab of the HubSpot mapping
 * (Conduit `custom.tier` ← HubSpot custom company property `conduit_tier`) imports into the company, whose page shows
 * the attribute and where it came from.
 */
describe('Company custom attributes (Companies mapping tab → import → company page)', { timeout: 400_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ stack, browser, page } = await openSession());
    const hubspot = stack.sandbox.hubspot.control;
    hubspot.addProperty('companies', { name: 'conduit_tier', label: 'Tier', type: 'string', fieldType: 'text', groupName: 'companyinformation' });
    hubspot.createRecord('companies', { name: 'E2E Tier Co', domain: 'e2e-tier.example', conduit_tier: 'gold' });
  });
  after(() => closeSession({ browser, stack }));

  const runsSettled = () => syncRunsSettled(page, stack);

  it('adds a company custom row, imports it and shows it with its provenance on the company page', async () => {
    await connectCrm(page, stack, 'hubspot');

    // Companies tab: add tier ← Tier (custom), remove a second row added by mistake, save.
    let mapping = await openConnectionTab(page, stack, 'hubspot', 'mapping');
    await mapping.getByText('Companies', { exact: true }).click();
    await mapping.getByTestId('mapping-row-domain').waitFor();
    let customRows = mapping.getByTestId('custom-rows');
    await customRows.getByText(/into a Conduit company custom attribute/).waitFor();
    await customRows.getByRole('button', { name: 'Add custom row' }).click();
    await customRows.getByLabel('Conduit custom attribute 1').fill('tier');
    await customRows.getByLabel('HubSpot field for custom attribute 1').click();
    await customRows.getByLabel('HubSpot field for custom attribute 1').fill('conduit_tier');
    await page.getByRole('option', { name: 'Tier (conduit_tier) · custom' }).click();
    await customRows.getByRole('button', { name: 'Add custom row' }).click();
    await customRows.getByLabel('Conduit custom attribute 2').fill('mistake');
    await customRows.getByRole('button', { name: 'Remove custom row 2' }).click();
    await customRows.getByLabel('Conduit custom attribute 2').waitFor({ state: 'detached' });
    await screenshot(page, 'mapping-companies-custom-row');
    await mapping.getByRole('button', { name: 'Save mapping' }).click();
    await page.getByText(/Mapping saved/).first().waitFor();

    // Opened again, the row is there.
    mapping = await openConnectionTab(page, stack, 'hubspot', 'mapping');
    customRows = mapping.getByTestId('custom-rows');
    await mapping.getByText('Companies', { exact: true }).click();
    await page.waitForFunction(() => [...document.querySelectorAll('input')].some((i) => i.value === 'Tier (conduit_tier) · custom'));
    assert.equal(await customRows.getByLabel('Conduit custom attribute 1').inputValue(), 'tier');
    assert.equal(await customRows.getByLabel('Conduit custom attribute 2').count(), 0);

    // Whatever the schedule started before the row existed has finished; a backfill now applies the saved rows.
    await runsSettled();
    await page.evaluate(async () => {
      const connections = (await (await fetch('/api/connections')).json()) as { crm: string; id: string | null }[];
      const id = connections.find((c) => c.crm === 'hubspot')?.id;
      const res = await fetch(`/api/sync/connections/${id ?? ''}/backfill`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      if (res.status !== 202) throw new Error(`backfill answered ${res.status}`);
    });
    await runsSettled();

    // The company page: the attribute, and "why is this value here?" for it.
    await page.goto(`${stack.adminUrl}/companies`);
    await page.getByLabel('Search companies').fill('e2e-tier');
    await page.getByRole('link', { name: 'E2E Tier Co' }).click();
    await page.waitForURL(/\/companies\/[0-9a-f-]{36}$/);
    const attributes = page.getByTestId('company-custom-attributes');
    const table = attributes.getByRole('table', { name: 'Company custom attributes' });
    await table.waitFor();
    assert.match(await table.innerText(), /tier\s+gold/);
    const provenance = page.getByTestId('provenance-custom.tier');
    await provenance.waitFor();
    const text = await provenance.innerText();
    assert.match(text, /gold/);
    assert.match(text, /CRM wins/);
    // The CRM field by its label (the HubSpot property conduit_tier is "Tier"), not its key (#21).
    assert.match(text, /field Tier/);
    await screenshot(page, 'company-custom-attributes');
  });
});
