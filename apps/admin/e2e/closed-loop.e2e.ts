import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { screenshot } from './support/browser';
import { control, salesforceRest } from './support/crms';
import { closeSession, connectCrm, openSession } from './support/session';
import type { Stack } from './support/stack';

describe('closed loop: Salesforce Opportunities to HubSpot deals, from the admin', { timeout: 400_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ stack, browser, page } = await openSession({ height: 1200 }));
  });
  after(() => closeSession({ browser, stack }));

  it('enables Opportunity → HubSpot deal; a stage change made in Salesforce shows on the deal in HubSpot', async () => {
    await connectCrm(page, stack, 'hubspot');
    await connectCrm(page, stack, 'salesforce');
    await page.getByRole('link', { name: 'Workflows', exact: true }).click();
    await page.waitForURL(/\/workflows$/);
    const card = page.getByTestId('workflow-card-opportunity_deal');
    assert.equal(await card.getByTestId('workflow-status').textContent(), 'Disabled');
    await page.getByTestId('workflow-card-account_company').waitFor();
    await card.getByRole('link', { name: 'Configure Opportunity → HubSpot deal' }).click();
    await page.waitForURL(/\/workflows\/opportunity-deal$/);

    // The stage table: Salesforce stages → stages of HubSpot's pipeline, shown by their labels.
    const pipeline = page.getByRole('combobox', { name: 'HubSpot pipeline' });
    await page.waitForFunction((el) => (el as HTMLInputElement | null)?.value === 'Sales Pipeline', await pipeline.elementHandle(), { timeout: 20_000 });
    const stages = page.getByRole('table', { name: 'Stage table' });
    assert.equal(await stages.getByLabel("HubSpot deal stage for 'Closed Won'", { exact: true }).inputValue(), 'Closed Won');
    assert.equal(await stages.getByLabel("HubSpot deal stage for 'Prospecting'", { exact: true }).inputValue(), 'Appointment Scheduled');
    // Negotiation/Review goes to Contract Sent by default; the admin moves it to Decision Maker Bought-In.
    await stages.getByLabel("HubSpot deal stage for 'Negotiation/Review'", { exact: true }).click();
    await page.getByRole('option', { name: 'Decision Maker Bought-In', exact: true }).click();

    // The owner table: the Salesforce user who owns the Opportunities → a HubSpot owner, picked by name.
    const { id: salesforceUser, name: salesforceName } = (await control<{ id: string; name: string; active: boolean }[]>(stack.sandbox.salesforce.url, 'GET', '/__sandbox/users'))[0]!;
    await page.getByRole('button', { name: 'Add owner' }).click();
    const owners = page.getByRole('table', { name: 'Owner table' });
    await owners.getByLabel('Salesforce user of owner row 1', { exact: true }).click();
    await page.getByRole('option', { name: new RegExp(`^${salesforceName}`) }).click();
    await owners.getByLabel(`HubSpot owner for '${salesforceUser}'`, { exact: true }).click();
    await page.getByRole('option', { name: /^Aylin Yilmaz/ }).click();
    await page.getByRole('button', { name: 'Save workflow' }).click();
    await page.getByText('Opportunity → HubSpot deal saved').first().waitFor();
    await screenshot(page, 'workflow-opportunity-deal-editor');
    await page.getByRole('switch', { name: 'Enable Opportunity → HubSpot deal' }).click({ force: true });
    await page.waitForFunction(() => document.querySelector('[data-testid="workflow-status"]')?.textContent === 'Enabled');

    // A rep's Opportunity in Salesforce, with a contact role, at an Account whose company and contact HubSpot has.
    const tag = Date.now().toString(36);
    const domain = `loop-${tag}.example-e2e.com`;
    const hubspot = stack.sandbox.hubspot.url;
    const hsContact = await control<{ id: string }>(hubspot, 'POST', '/__sandbox/records/contacts', { email: `buyer@${domain}`, firstname: 'Bea', lastname: `Buyer${tag}` });
    const hsCompany = await control<{ id: string }>(hubspot, 'POST', '/__sandbox/records/companies', { name: `Acme ${tag}`, domain });
    const sf = await salesforceRest(stack);
    const accountId = await sf.create('Account', { Name: `Acme ${tag}`, Website: `https://${domain}` });
    const contactId = await sf.create('Contact', { LastName: `Buyer${tag}`, FirstName: 'Bea', Email: `buyer@${domain}`, AccountId: accountId });
    const dealName = `Acme ${tag} — renewal`;
    const oppId = await sf.create('Opportunity', { Name: dealName, StageName: 'Prospecting', Amount: 1000, CloseDate: '2026-12-31', AccountId: accountId });
    await sf.create('OpportunityContactRole', { OpportunityId: oppId, ContactId: contactId, IsPrimary: true });

    // The run log: the admin asks for Salesforce's changes now; the deal is created and the run says so in words.
    await page.getByRole('tab', { name: 'Run log' }).click();
    await page.getByRole('button', { name: 'Check Salesforce now' }).click();
    // Runs are found by the Opportunity they name (its id is behind its name, for machines).
    const runsOf = page.locator('[data-testid="workflow-run"]').filter({ has: page.locator(`[data-testid="run-record"][data-crm-id="${oppId}"]`) });
    const createdRun = runsOf.filter({ hasText: `Deal '${dealName}' created in Appointment Scheduled` }).first();
    await createdRun.waitFor({ timeout: 90_000 });
    assert.equal(await createdRun.getAttribute('data-result'), 'success');
    assert.match(await createdRun.innerText(), /owner Aylin Yilmaz\); associated with 1 contact and company Acme/);
    const target = createdRun.getByTestId('run-target');
    const dealId = (await target.getAttribute('data-crm-id')) ?? '';
    // The deal is named, with a link to it in HubSpot, not shown as an id.
    assert.equal((await target.getByTestId('record-crm-link').innerText()).trim(), 'HubSpot deal');
    assert.doesNotMatch(await createdRun.innerText(), new RegExp(`\\b(${oppId}|${dealId})\\b`));

    // The rep moves the Opportunity to Closed Won.
    await sf.update('Opportunity', oppId, { StageName: 'Closed Won', Amount: 2500 });
    await page.getByRole('button', { name: 'Check Salesforce now' }).click();
    const movedRun = runsOf.filter({ hasText: `Deal '${dealName}' moved to Closed Won and amount 1,000 → 2,500` }).first();
    await movedRun.waitFor({ timeout: 90_000 });
    assert.equal(await movedRun.getAttribute('data-result'), 'success');
    assert.equal(await movedRun.getByTestId('run-target').getAttribute('data-crm-id'), dealId);
    await page.getByTestId('latency-chart-opportunity_deal').waitFor();
    await screenshot(page, 'workflow-opportunity-deal-run-log');

    // The deal in the sandbox HubSpot: the new stage, the amount, the owner, its contact and company.
    const deal = await control<{ properties: Record<string, string>; associations?: unknown }>(hubspot, 'GET', `/__sandbox/records/deals/${dealId}`);
    assert.equal(deal.properties['dealstage'], 'closedwon');
    assert.equal(deal.properties['amount'], '2500');
    assert.equal(deal.properties['dealname'], dealName);
    const hsPage = await page.context().newPage();
    await hsPage.goto(`${hubspot}/__sandbox/ui/deals/${dealId}`);
    await hsPage.getByText(dealName).first().waitFor();
    await hsPage.getByText('closedwon').first().waitFor();
    const dealView = await hsPage.content();
    assert.ok(dealView.includes(`contact ${hsContact.id}`), 'the deal page lists its contact');
    assert.ok(dealView.includes(`company ${hsCompany.id}`), 'the deal page lists its company');
    await screenshot(hsPage, 'workflow-opportunity-deal-hubspot-deal');
    await hsPage.close();

    // Account → HubSpot company: its editor (quality gate, fields, industry lookup).
    await page.goto(`${stack.adminUrl}/workflows/account-company`);
    await page.getByText('Create a HubSpot company when none has the Account\'s domain').waitFor();
    await page.getByRole('table', { name: 'Industry lookup' }).waitFor();
    await screenshot(page, 'workflow-account-company-editor');
  });
});
