import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signV3 } from '@conduit/crm-sandbox';
import type { Browser, Page } from 'playwright-core';
import { screenshot } from './support/browser';
import { control } from './support/crms';
import { closeSession, connectCrm, openSession } from './support/session';
import type { Stack } from './support/stack';

describe('HubSpot ↔ Salesforce workflows from the admin', { timeout: 400_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ stack, browser, page } = await openSession());
  });
  after(() => closeSession({ browser, stack }));

  it('enables the MQL handoff with a filter; a sandbox contact turning MQL shows in the run log and as a Lead in Salesforce', async () => {
    // Both CRMs, through their consent pages.
    await connectCrm(page, stack, 'hubspot');
    await connectCrm(page, stack, 'salesforce');

    // Workflows → MQL handoff.
    await page.getByRole('link', { name: 'Workflows', exact: true }).click();
    await page.waitForURL(/\/workflows$/);
    const card = page.getByTestId('workflow-card-mql_handoff');
    assert.equal(await card.getByTestId('workflow-status').textContent(), 'Disabled');
    await page.getByTestId('workflow-card-stage_lifecycle').waitFor();
    await page.getByTestId('workflow-card-email_change').waitFor();
    await page.getByTestId('workflow-card-account_hygiene').waitFor();
    await screenshot(page, 'workflows-overview-empty');
    await card.getByRole('link', { name: 'Configure MQL handoff' }).click();
    await page.waitForURL(/\/workflows\/mql-handoff$/);

    // A property name HubSpot's field discovery does not know is kept in the form, marked, and refused by the API.
    const filters = page.getByRole('table', { name: 'Filter conditions' });
    await page.getByRole('button', { name: 'Add condition' }).click();
    await filters.getByLabel('HubSpot property of condition 1', { exact: true }).fill('budget_score');
    await filters.getByText('Not a discovered HubSpot contact property: re-discover fields if it was just created').waitFor();
    await filters.getByLabel("Value for 'budget_score'", { exact: true }).fill('10');
    await page.getByRole('button', { name: 'Save workflow' }).click();
    await filters.getByText('HubSpot has no contact property "budget_score"', { exact: false }).waitFor();
    assert.equal(await filters.getByLabel('HubSpot property of condition 1', { exact: true }).getAttribute('aria-invalid'), 'true');

    // Property names come from HubSpot's discovered contact properties: search by label, pick by API name.
    await filters.getByLabel('HubSpot property of condition 1', { exact: true }).fill('score');
    await page.getByRole('option', { name: /HubSpot Score\s*hubspotscore/ }).click();
    assert.equal(await filters.getByLabel('HubSpot property of condition 1', { exact: true }).inputValue(), 'hubspotscore');
    await filters.getByText('HubSpot Score', { exact: true }).waitFor();

    // A filter value the API refuses: the 400 shows next to that value (each input is named by its row).
    await filters.getByLabel("Operator for 'hubspotscore'", { exact: true }).click();
    await page.getByRole('option', { name: '>', exact: true }).click();
    await filters.getByLabel("Value for 'hubspotscore'", { exact: true }).fill('high');
    await page.getByRole('button', { name: 'Save workflow' }).click();
    await page.getByText('value must be a number for gt, gte, lt and lte').waitFor();
    assert.equal(await filters.getByLabel("Value for 'hubspotscore'", { exact: true }).getAttribute('aria-invalid'), 'true');
    await screenshot(page, 'workflow-mql-field-error');

    // The real filter: country is any of Germany, France.
    await filters.getByLabel('HubSpot property of condition 1', { exact: true }).fill('country/reg');
    await page.getByRole('option', { name: /Country\/Region\s*country$/ }).click();
    await filters.getByLabel("Operator for 'country'", { exact: true }).click();
    await page.getByRole('option', { name: 'is any of', exact: true }).click();
    await filters.getByLabel("Value for 'country'", { exact: true }).fill('Germany, France');

    // A Lead field picked from Salesforce's discovered (writable) Lead fields, its default from the picklist values.
    const fieldMap = page.getByRole('table', { name: 'Field mapping' });
    const rowsBefore = await fieldMap.getByTestId('config.fieldMap-row').count();
    await page.getByRole('button', { name: 'Add field' }).click();
    await fieldMap.getByLabel(`Salesforce Lead field of mapped field ${rowsBefore + 1}`, { exact: true }).fill('rating');
    await page.getByRole('option', { name: /^Rating\s*options$/ }).click();
    await fieldMap.getByLabel("Default for 'Rating'", { exact: true }).click();
    await page.getByRole('option', { name: 'Hot', exact: true }).click();
    assert.equal(await fieldMap.getByLabel("HubSpot property for 'Rating'", { exact: true }).inputValue(), '');
    // The custom external id field is named by its label.
    await page.getByText('HubSpot Contact ID · custom').waitFor();
    await screenshot(page, 'workflow-mql-pickers');

    await page.getByRole('button', { name: 'Save workflow' }).click();
    await page.getByText('MQL handoff saved').first().waitFor();
    await page.getByRole('switch', { name: 'Enable MQL handoff' }).click({ force: true });
    await page.waitForFunction(() => document.querySelector('[data-testid="workflow-status"]')?.textContent === 'Enabled');
    await page.reload();
    assert.equal(await filters.getByLabel("Value for 'country'", { exact: true }).inputValue(), 'Germany, France');
    assert.equal(await fieldMap.getByLabel("Default for 'Rating'", { exact: true }).inputValue(), 'Hot');
    assert.equal(await page.getByRole('switch', { name: 'Enable MQL handoff' }).isChecked(), true);

    // HubSpot: webhooks to the API; a marketer's contact in Germany and one in Brazil become MQLs.
    const hubspot = stack.sandbox.hubspot.url;
    await control(hubspot, 'PUT', '/__sandbox/webhooks', { targetUrl: `${stack.apiUrl}/api/webhooks/hubspot` });
    const tag = Date.now().toString(36);
    const germany = await control<{ id: string }>(hubspot, 'POST', '/__sandbox/records/contacts', {
      email: `mql-${tag}@e2e-workflows.example`,
      firstname: 'Greta',
      lastname: `Handoff${tag}`,
      company: 'E2E Maschinenbau',
      jobtitle: 'Head of Operations',
      country: 'Germany',
    });
    const brazil = await control<{ id: string }>(hubspot, 'POST', '/__sandbox/records/contacts', { email: `out-${tag}@e2e-workflows.example`, lastname: `Outside${tag}`, country: 'Brazil' });
    await control(hubspot, 'PATCH', `/__sandbox/records/contacts/${germany.id}`, { lifecyclestage: 'marketingqualifiedlead' });
    await control(hubspot, 'PATCH', `/__sandbox/records/contacts/${brazil.id}`, { lifecyclestage: 'marketingqualifiedlead' });
    await control(hubspot, 'POST', '/__sandbox/webhooks/flush');

    // The run log shows the handoff (webhook trigger, filter passed, Lead created) and the filtered contact.
    await page.getByRole('tab', { name: 'Run log' }).click();
    // Runs are found by the contact they name (its id is behind its name, for machines).
    const runOf = (id: string) => ({ has: page.locator(`[data-testid="run-record"][data-crm-id="${id}"]`) });
    const runsOf = (id: string) => page.locator('[data-testid="workflow-run"]').filter(runOf(id));
    // The webhook's run (the 30 s poll could also pick the change up; the upsert keeps that to one Lead).
    await runsOf(germany.id).filter({ hasText: 'HubSpot webhook' }).first().waitFor({ timeout: 90_000 });
    const success = page.locator('[data-testid="workflow-run"][data-result="success"]').filter(runOf(germany.id)).first();
    await success.waitFor({ timeout: 90_000 });
    assert.match(await success.innerText(), /Created Lead in Salesforce|Updated Lead in Salesforce/);
    assert.match(await success.innerText(), /passed/);
    const filtered = page.locator('[data-testid="workflow-run"][data-result="filtered"]').filter(runOf(brazil.id)).first();
    await filtered.waitFor({ timeout: 60_000 });
    assert.match(await filtered.innerText(), /country in \["Germany","France"\] failed \(value: "Brazil"\)/);
    const leadId = (await success.getByTestId('run-target').getAttribute('data-crm-id')) ?? '';
    // Words, not ids (#21): the contact and the Lead it became by name, each linked to its CRM page.
    const successText = await success.innerText();
    assert.doesNotMatch(successText, new RegExp(`\\b(${germany.id}|${leadId})\\b`));
    assert.equal((await success.getByTestId('run-target').getByTestId('record-crm-link').innerText()).trim(), 'Salesforce Lead');
    assert.equal((await success.getByTestId('run-record').getByTestId('record-crm-link').innerText()).trim(), 'HubSpot contact');
    assert.match(successText, /Lifecycle stage → Marketing Qualified Lead/);
    assert.match(successText, new RegExp(`Greta Handoff${tag}`));
    // The counts above the log follow the runs.
    await page.waitForFunction(() => /Succeeded\s*[1-9]/.test(document.querySelector('[data-testid="workflow-counts-mql_handoff"]')?.textContent ?? ''));
    assert.match(leadId, /^00Q/);

    // The transformed payload, and the filter by result.
    await success.getByRole('button', { name: 'Show run details' }).click();
    const payload = page.getByTestId('run-payload').filter({ visible: true }).first();
    await payload.waitFor();
    assert.match(await payload.innerText(), /"HubSpot_Contact_ID__c": "\d+"/);
    await screenshot(page, 'workflow-mql-run-log');
    await page.getByLabel('Filter by result').click();
    await page.getByRole('option', { name: 'Filtered', exact: true }).click();
    await page.locator('[data-testid="workflow-run"][data-result="filtered"]').first().waitFor();
    assert.equal(await page.locator('[data-testid="workflow-run"][data-result="success"]').count(), 0);
    await page.getByTestId('latency-chart-mql_handoff').waitFor();

    // HubSpot delivers the Germany change again, late (it happened a minute ago, before the handoff read the contact):
    // that run is skipped as replaced by the handoff, says so in words, links it, and offers no Retry.
    const webhookUrl = `${stack.apiUrl}/api/webhooks/hubspot`;
    const late = JSON.stringify([
      {
        eventId: 9_000_001,
        subscriptionId: 3_100_002,
        subscriptionType: 'contact.propertyChange',
        portalId: stack.sandbox.hubspot.control.portalId,
        occurredAt: Date.now() - 60_000,
        attemptNumber: 1,
        objectId: Number(germany.id),
        propertyName: 'lifecyclestage',
        propertyValue: 'marketingqualifiedlead',
        changeSource: 'CRM_UI',
      },
    ]);
    const signedAt = Date.now();
    const delivered = await fetch(webhookUrl, {
      method: 'POST',
      body: late,
      headers: {
        'content-type': 'application/json',
        'x-hubspot-signature-v3': signV3(stack.sandbox.hubspot.control.app.clientSecret, 'POST', webhookUrl, late, signedAt),
        'x-hubspot-request-timestamp': String(signedAt),
      },
    });
    assert.equal(delivered.status, 204);
    await page.getByLabel('Filter by result').click();
    await page.getByRole('option', { name: 'Skipped', exact: true }).click();
    const skipped = page.locator('[data-testid="workflow-run"][data-result="skipped"]').filter(runOf(germany.id)).filter({ hasText: 'HubSpot webhook' }).first();
    await skipped.waitFor({ timeout: 60_000 });
    assert.equal(
      (await skipped.getByTestId('run-reason').innerText()).trim(),
      'A later run of this record replaced this one: it read the record after this change, so there was nothing left to do. Show the later run',
    );
    assert.match(await skipped.innerText(), /Not evaluated: replaced by a later run/);
    assert.equal(await skipped.getByRole('button', { name: 'Retry' }).count(), 0);
    await screenshot(page, 'workflow-mql-superseded-run');
    await skipped.getByRole('button', { name: 'Show the later run' }).click();
    // The log shows every result again, with the handoff that replaced it marked and its details open.
    const shownRun = page.locator('[data-testid="workflow-run"][data-shown="true"]');
    await shownRun.waitFor();
    assert.equal(await shownRun.getAttribute('data-result'), 'success');
    assert.equal(await shownRun.getByTestId('run-record').getAttribute('data-crm-id'), germany.id);
    await page.getByTestId('run-payload').filter({ visible: true }).first().waitFor();
    await screenshot(page, 'workflow-mql-later-run-shown');

    // The Lead in the sandbox Salesforce: its control API and its record page.
    const lead = await control<{ record: Record<string, unknown> }>(stack.sandbox.salesforce.url, 'GET', `/__sandbox/records/Lead/${leadId}`);
    assert.equal(lead.record['HubSpot_Contact_ID__c'], germany.id);
    assert.equal(lead.record['LastName'], `Handoff${tag}`);
    assert.equal(lead.record['Country'], 'Germany');
    assert.equal(lead.record['Title'], 'Head of Operations');
    assert.equal(lead.record['Rating'], 'Hot');
    const sfPage = await page.context().newPage();
    await sfPage.goto(`${stack.sandbox.salesforce.url}/__sandbox/ui/Lead/${leadId}`);
    await sfPage.getByText(`Handoff${tag}`).first().waitFor();
    await sfPage.getByText('E2E Maschinenbau').first().waitFor();
    await screenshot(sfPage, 'workflow-mql-salesforce-lead');
    await sfPage.close();

    // The overview counts the runs.
    await page.goto(`${stack.adminUrl}/workflows`);
    const counts = page.getByTestId('workflow-counts-mql_handoff');
    await counts.waitFor();
    assert.ok(Number(/Succeeded\s+(\d+)/.exec(await counts.innerText())?.[1]) >= 1, await counts.innerText());
    assert.equal(await page.getByTestId('workflow-card-mql_handoff').getByTestId('workflow-status').textContent(), 'Enabled');
    await screenshot(page, 'workflows-overview');

    // Stage → lifecycle: Opportunity stages come from Salesforce (a live describe), each row's inputs named by its stage.
    await page.getByTestId('workflow-card-stage_lifecycle').getByRole('link', { name: 'Configure Stage → lifecycle' }).click();
    await page.waitForURL(/\/workflows\/stage-lifecycle$/);
    const rules = page.getByRole('table', { name: 'Stage rules' });
    await rules.getByLabel('Opportunity stage of stage rule 1', { exact: true }).waitFor();
    const ruleCount = await rules.getByTestId('config.rules-row').count();
    assert.ok(ruleCount > 0);
    await page.getByRole('button', { name: 'Add stage' }).click();
    await rules.getByLabel(`Opportunity stage of stage rule ${ruleCount + 1}`, { exact: true }).fill('value prop');
    await page.getByRole('option', { name: 'Value Proposition', exact: true }).click();
    assert.equal(await rules.getByLabel(`Opportunity stage of stage rule ${ruleCount + 1}`, { exact: true }).inputValue(), 'Value Proposition');
    assert.equal(await rules.getByLabel('Opportunity stage of stage rule 1', { exact: true }).inputValue(), 'Prospecting');
    await rules.getByLabel("HubSpot lifecycle stage for 'Value Proposition'", { exact: true }).waitFor();
    assert.equal(await rules.getByLabel("Minimum amount (exclusive) for 'Closed Won'", { exact: true }).inputValue(), '0');
    await screenshot(page, 'workflow-stage-pickers');
  });
});
