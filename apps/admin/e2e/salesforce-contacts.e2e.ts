import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ExportSettingsDto, PersonDto } from '@conduit/contracts';
import type { Browser, Page } from 'playwright-core';
import { screenshot } from './support/browser';
import { closeSession, connectCrm, openConnectionTab, openSession } from './support/session';
import type { Stack } from './support/stack';

/** #19: a RevOps admin switches Salesforce exports to Contacts under an Account and pushes a prospect. */
describe('Export to Salesforce as Contact + Account', { timeout: 400_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ stack, browser, page } = await openSession());
  });
  after(() => closeSession({ browser, stack }));

  it('chooses Contacts under an Account in the export settings, pushes a prospect, and the sandbox shows the Contact under a new Account', async () => {
    await connectCrm(page, stack, 'salesforce');

    const settings = await openConnectionTab(page, stack, 'salesforce', 'export');
    assert.equal(await settings.getByRole('radio', { name: 'Leads' }).isChecked(), true);
    await settings.getByRole('radio', { name: 'Contacts under an Account' }).click();
    await page.getByText('Prospects are created in Salesforce as contacts under an account').first().waitFor();
    await settings.getByLabel('When the prospect is already a Lead with the same email').first().waitFor();
    await screenshot(page, 'salesforce-export-object');
    const saved = (await (await page.request.get(`${stack.adminUrl}/api/connections/salesforce/export-settings`)).json()) as ExportSettingsDto;
    assert.equal(saved.salesforceObject, 'contact');

    // A prospect of a company Salesforce has never heard of.
    const stamp = Date.now().toString(36);
    const companyName = `Acme Rockets ${stamp}`;
    const company = await page.request.post(`${stack.adminUrl}/api/companies`, { data: { name: companyName, domain: `acme-rockets-${stamp}.example` } });
    assert.equal(company.status(), 201, await company.text());
    const email = `wile.${stamp}@acme-rockets-${stamp}.example`;
    const created = await page.request.post(`${stack.adminUrl}/api/people`, {
      data: { firstName: 'Wile', lastName: `Coyote ${stamp}`, email, jobTitle: 'Founder', companyId: ((await company.json()) as { id: string }).id },
    });
    assert.equal(created.status(), 201, await created.text());
    const person = (await created.json()) as PersonDto;

    await page.goto(`${stack.adminUrl}/prospects?search=${encodeURIComponent(email)}`);
    const row = page.getByRole('table', { name: 'Prospects' }).locator('tbody tr', { hasText: email });
    await row.waitFor();
    await row.getByRole('button', { name: 'Row actions' }).click();
    await page.getByRole('menuitem', { name: 'Push to Salesforce' }).click();
    await page.getByText('Created in Salesforce').first().waitFor();
    await page.getByRole('link', { name: 'Under a new Account for the company' }).first().waitFor();
    const badge = row.getByRole('link', { name: `Open Wile Coyote ${stamp} in Salesforce (Contact)` });
    await badge.waitFor();
    await screenshot(page, 'salesforce-contact-badge');

    // The sandbox's Contact page: under a new Account named after the company.
    const links = (await (await page.request.get(`${stack.adminUrl}/api/people/${person.id}/crm-links`)).json()) as { object: string; crmId: string }[];
    assert.deepEqual(links.map((l) => l.object), ['contact']);
    await page.goto(`${stack.sandbox.salesforce.url}/__sandbox/ui/Contact/${links[0]!.crmId}`);
    const accountRow = page.locator('tr', { has: page.locator('code', { hasText: /^AccountId$/ }) });
    assert.equal((await accountRow.locator('td').last().innerText()).trim(), companyName);
    await screenshot(page, 'salesforce-contact-under-account');
    await accountRow.getByRole('link', { name: companyName }).click();
    await page.getByRole('heading', { name: companyName }).waitFor();
    const website = page.locator('tr', { has: page.locator('code', { hasText: /^Website$/ }) });
    assert.equal((await website.locator('td').last().innerText()).trim(), `acme-rockets-${stamp}.example`);
  });
});
