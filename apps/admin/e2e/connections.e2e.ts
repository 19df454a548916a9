import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { screenshot } from './support/browser';
import { closeSession, openSession } from './support/session';
import type { Stack } from './support/stack';

const CASES = [
  { crm: 'hubspot', name: 'HubSpot', account: 'sandbox-20000001.conduit.example', approve: 'Approve', scopeInWords: 'Create and update contacts', customField: 'conduit_personalized_opener', defaultField: 'conduit_qualification_reasoning' },
  // A Salesforce org by its name and who connected it, not its id (00D8d0000000001EAA).
  { crm: 'salesforce', name: 'Salesforce', account: 'Northwind Demo Org (alex.morgan@northwind-demo.com)', approve: 'Allow', scopeInWords: 'Stay connected without asking you to sign in again', customField: 'Conduit_Notes__c', defaultField: 'Description' },
] as const;

describe('CRM connections from Settings → Integrations', { timeout: 300_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ stack, browser, page } = await openSession());
  });
  after(() => closeSession({ browser, stack }));

  const card = (crm: string) => page.getByTestId(`integration-${crm}`);

  /** The Field mapping tab of the connection's page (the page is open). */
  async function openMapping(name: string) {
    const dialog = page.getByTestId('connection-tab-mapping');
    await dialog.waitFor();
    const select = dialog.getByLabel(`${name} field for Qualification reasoning`, { exact: true });
    await select.waitFor();
    return { dialog, select };
  }

  it('shows a denied consent as a clear message on the card', async () => {
    await page.goto(`${stack.adminUrl}/settings/integrations`);
    await card('salesforce').getByRole('button', { name: 'Connect Salesforce' }).click();
    await page.waitForURL((url) => url.origin === stack.sandbox.salesforce.url);
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.waitForURL((url) => url.pathname === '/settings/integrations' && url.searchParams.get('error') === 'access_denied');
    await card('salesforce').getByText(/Access was not granted in Salesforce/).waitFor();
    assert.equal(await card('salesforce').getByRole('button', { name: 'Connect Salesforce' }).isEnabled(), true);
    await screenshot(page, 'integrations-denied');
  });

  for (const c of CASES) {
    it(`connects ${c.name} through the consent page, maps qualification reasoning to a custom field, resets, disconnects`, async () => {
      await page.goto(`${stack.adminUrl}/settings/integrations`);
      await card(c.crm).getByRole('button', { name: `Connect ${c.name}` }).click();
      // The sandbox's own consent page, as the CRM would show it.
      await page.waitForURL((url) => url.origin === (c.crm === 'hubspot' ? stack.sandbox.hubspot.url : stack.sandbox.salesforce.url));
      await page.getByRole('button', { name: c.approve }).click();
      await page.waitForURL((url) => url.pathname === '/settings/integrations' && url.searchParams.get('connected') === c.crm);
      await card(c.crm).getByText('Connected', { exact: true }).first().waitFor();
      await card(c.crm).getByText(`${c.name} connected.`, { exact: false }).waitFor();
      // The card summarises (account once, last sync, open failures) and links to the connection's own page.
      await card(c.crm).getByTestId(`open-failures-${c.crm}`).getByText('None', { exact: true }).waitFor();
      assert.equal(await card(c.crm).getByTestId('integration-account').innerText(), c.account);
      await screenshot(page, `integrations-${c.crm}-connected`);
      await card(c.crm).getByRole('link', { name: `Manage ${c.name}` }).click();
      await page.waitForURL((url) => url.pathname === `/settings/integrations/${c.crm}`);
      await page.getByTestId(`token-health-${c.crm}`).filter({ hasText: 'Token OK' }).waitFor();
      assert.match(await page.getByTestId(`connection-details-${c.crm}`).innerText(), /by Alex Admin/);
      assert.ok((await page.getByTestId(`connection-details-${c.crm}`).innerText()).includes(c.account));
      // Scopes in words, behind a disclosure.
      await page.getByRole('button', { name: `What Conduit may do in ${c.name}` }).click();
      await page.getByTestId(`scopes-${c.crm}`).getByText(c.scopeInWords).waitFor();
      await screenshot(page, `connection-${c.crm}-overview`);

      // Map qualification reasoning to a custom field through the searchable list, on the Field mapping tab.
      await page.getByRole('tab', { name: 'Field mapping' }).click();
      await page.waitForURL((url) => url.searchParams.get('tab') === 'mapping');
      let { dialog, select } = await openMapping(c.name);
      await page.waitForFunction((field) => [...document.querySelectorAll('input')].some((i) => i.value.includes(field)), c.defaultField);
      await select.click();
      await select.fill(c.customField);
      await page.getByRole('option', { name: new RegExp(c.customField) }).click();
      await dialog.getByRole('button', { name: 'Save mapping' }).click();
      await page.getByText(/Mapping saved/).first().waitFor();
      assert.match(await select.inputValue(), new RegExp(c.customField));
      await screenshot(page, `mapping-${c.crm}-saved`);

      // Kept after a reload (which comes back to the tab: it is in the URL).
      await page.reload();
      ({ dialog, select } = await openMapping(c.name));
      await page.waitForFunction((field) => [...document.querySelectorAll('input')].some((i) => i.value.includes(field)), c.customField);
      assert.match(await select.inputValue(), new RegExp(c.customField));

      // Reset to the defaults.
      await dialog.getByRole('button', { name: 'Reset to defaults' }).click();
      // Resetting asks first: every choice of the mapping would be lost.
      await page.getByRole('dialog', { name: 'Reset mapping to defaults' }).getByRole('button', { name: 'Reset', exact: true }).click();
      await page.waitForFunction((field) => [...document.querySelectorAll('input')].some((i) => i.value.includes(field)), c.defaultField);
      assert.match(await select.inputValue(), new RegExp(c.defaultField));

      // Disconnect from the Overview (with confirmation): back on Integrations.
      await page.getByRole('tab', { name: 'Overview' }).click();
      await page.getByTestId('connection-tab-overview').getByRole('button', { name: 'Disconnect' }).click();
      const confirm = page.getByRole('dialog', { name: `Disconnect ${c.name}` });
      await confirm.getByRole('button', { name: 'Disconnect' }).click();
      await confirm.waitFor({ state: 'hidden' });
      await page.waitForURL((url) => url.pathname === '/settings/integrations');
      await card(c.crm).getByRole('button', { name: `Connect ${c.name}` }).waitFor();
      await card(c.crm).getByText('Not connected').waitFor();
    });
  }
});
