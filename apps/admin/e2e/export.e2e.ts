import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConnectionMappingDto, ExportSettingsDto, OwnerMappingDto, PersonDto, SessionDto, StatusMappingDto } from '@conduit/contracts';
import type { Browser, Page } from 'playwright-core';
import { screenshot } from './support/browser';
import { closeSession, connectCrm, openConnectionTab, openSession, waitForApi } from './support/session';
import type { Stack } from './support/stack';

describe('Export to HubSpot from the Prospects table', { timeout: 400_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ stack, browser, page } = await openSession());
  });
  after(() => closeSession({ browser, stack }));

  /** The value of one property row on the sandbox's HubSpot record page. */
  const sandboxProperty = async (name: string) => (await page.locator('tr', { has: page.locator('th', { hasText: new RegExp(`^${name}$`) }) }).locator('td').innerText()).trim();

  it('configures export behaviour, owner and status mapping, pushes a prospect and follows its CRM badge to the record', async () => {
    // A custom "lead source" enumeration in the portal before connecting: discovery brings it to the contact-source picker.
    stack.sandbox.hubspot.control.addProperty('contacts', {
      name: 'conduit_origin',
      label: 'Origin (Conduit)',
      type: 'enumeration',
      fieldType: 'select',
      groupName: 'contactinformation',
      options: [{ label: 'Website', value: 'website', displayOrder: 0, hidden: false }, { label: 'Conduit', value: 'conduit_outbound', displayOrder: 1, hidden: false }],
    });
    await connectCrm(page, stack, 'hubspot');

    // HubSpot's Field mapping tab: job title overwrites the CRM, phone is never exported (first name stays "fill if empty").
    const mapping = await openConnectionTab(page, stack, 'hubspot', 'mapping');
    await mapping.getByLabel('Export behaviour for Job title', { exact: true }).click();
    await page.getByRole('option', { name: 'Overwrite' }).click();
    await mapping.getByLabel('Export behaviour for Phone', { exact: true }).click();
    await page.getByRole('option', { name: 'Do not export' }).click();
    assert.equal(await mapping.getByLabel('Export behaviour for Job title', { exact: true }).inputValue(), 'Overwrite');
    await mapping.getByRole('button', { name: 'Save mapping' }).click();
    await page.getByText(/Mapping saved/).first().waitFor();


    // Export tab → Owner mapping: a HubSpot owner → the signed-in admin; Status mapping: Contacted → Connected.
    const session = (await (await page.request.get(`${stack.adminUrl}/api/auth/me`)).json()) as SessionDto;
    const ownersView = (await (await page.request.get(`${stack.adminUrl}/api/connections/hubspot/owner-mapping`)).json()) as OwnerMappingDto;
    const owner = ownersView.owners.find((o) => o.active && !o.memberId);
    assert.ok(owner, 'the sandbox portal has an unmapped active owner');
    const settings = await openConnectionTab(page, stack, 'hubspot', 'export');
    // Basic sync → Contact source: the property is found by its label, the value is one of its options (Conduit preselected).
    await settings.getByRole('combobox', { name: 'Property' }).fill('origin');
    await page.getByRole('option', { name: /Origin \(Conduit\)/ }).click();
    assert.equal(await settings.getByRole('combobox', { name: 'Value' }).inputValue(), 'Conduit');
    await settings.getByRole('combobox', { name: 'Value' }).click();
    assert.deepEqual(await page.getByRole('option').allInnerTexts(), ['Website', 'Conduit']);
    await page.keyboard.press('Escape');
    await screenshot(page, 'export-contact-source');
    await settings.getByRole('button', { name: 'Save source' }).click();
    await page.getByText('Contact source: Origin (Conduit) = Conduit').first().waitFor();
    const savedSettings = (await (await page.request.get(`${stack.adminUrl}/api/connections/hubspot/export-settings`)).json()) as ExportSettingsDto;
    assert.deepEqual(savedSettings.contactSource, { crmField: 'conduit_origin', value: 'conduit_outbound' });
    await settings.getByRole('tab', { name: 'Owner mapping' }).click();
    await settings.getByLabel(`Team member for ${owner.name}`, { exact: true }).click();
    await page.getByRole('option', { name: new RegExp(session.user.email.replace(/[.]/g, '\\.')) }).click();
    await waitForApi<OwnerMappingDto>(page, stack, '/connections/hubspot/owner-mapping', (view) => view.overrides.some((o) => o.crmOwnerId === owner.id && o.memberId === session.user.id), 30_000, 500);
    await settings.getByRole('tab', { name: 'Status mapping' }).click();
    await settings.getByLabel('CRM value for Contacted', { exact: true }).click();
    await page.getByRole('option', { name: 'Connected', exact: true }).click();
    await settings.getByRole('button', { name: 'Save status mapping' }).click();
    await waitForApi<StatusMappingDto>(page, stack, '/connections/hubspot/status-mapping', (m) => m.table['contacted'] === 'CONNECTED', 30_000, 500);
    await screenshot(page, 'export-status-mapping');

    // The CRM already has the contact (a rep typed it in): first name, job title and phone filled there.
    const stamp = Date.now().toString(36);
    const email = `edith.${stamp}@export-e2e.example`;
    stack.sandbox.hubspot.control.createRecord('contacts', { email, firstname: 'Edie', jobtitle: 'Rep Title', phone: '+1 555 0100' });
    const created = await page.request.post(`${stack.adminUrl}/api/people`, {
      data: { firstName: 'Edith', lastName: `Export ${stamp}`, email, jobTitle: 'VP Sales', phone: '+49 30 9999999', engagementState: 'contacted', assignedUserId: session.user.id },
    });
    assert.equal(created.status(), 201, await created.text());
    const person = (await created.json()) as PersonDto;

    // Prospects: no badge yet; push from the row actions; the HubSpot badge appears.
    await page.goto(`${stack.adminUrl}/prospects?search=${encodeURIComponent(email)}`);
    const row = page.getByRole('table', { name: 'Prospects' }).locator('tbody tr', { hasText: email });
    await row.waitFor();
    assert.equal(await row.getByTestId('crm-badge-hubspot').count(), 0);
    await row.getByRole('button', { name: 'Row actions' }).click();
    await page.getByRole('menuitem', { name: 'Push to HubSpot' }).click();
    await page.getByText('Updated in HubSpot').first().waitFor();
    const badge = row.getByRole('link', { name: `Open Edith Export ${stamp} in HubSpot (Contact)` });
    await badge.waitFor();
    await screenshot(page, 'export-prospects-badge');

    // Follow the badge (it opens a new tab) to the sandbox record and check what was exported.
    const [tab] = await Promise.all([page.context().waitForEvent('page'), badge.click()]);
    await tab.waitForLoadState();
    assert.ok(tab.url().startsWith(`${stack.sandbox.hubspot.url}/__sandbox/ui/contacts/`), tab.url());
    const contactId = decodeURIComponent(new URL(tab.url()).pathname.split('/').pop() ?? '');
    await tab.close();
    await page.goto(`${stack.sandbox.hubspot.url}/__sandbox/ui/contacts/${encodeURIComponent(contactId)}`);
    assert.equal(await sandboxProperty('email'), email);
    assert.equal(await sandboxProperty('firstname'), 'Edie'); // fill if empty: the CRM's value is kept
    assert.equal(await sandboxProperty('lastname'), `Export ${stamp}`); // blank in the CRM: filled
    assert.equal(await sandboxProperty('jobtitle'), 'VP Sales'); // overwrite
    assert.equal(await sandboxProperty('phone'), '+1 555 0100'); // do not export
    assert.equal(await sandboxProperty('hs_lead_status'), 'CONNECTED'); // status mapping
    assert.equal(await sandboxProperty('hubspot_owner_id'), owner.id); // owner mapping
    await screenshot(page, 'export-sandbox-record');

    // The link is recorded for the person (one contact in HubSpot for the email).
    const links = (await (await page.request.get(`${stack.adminUrl}/api/people/${person.id}/crm-links`)).json()) as { crmId: string }[];
    assert.deepEqual(links.map((l) => l.crmId), [contactId]);

    const mappingAgain = await openConnectionTab(page, stack, 'hubspot', 'mapping');
    // Field mapping again: an unsaved edit is marked, and leaving the tab asks first: stay keeps the edit, discard leaves without it.
    await mappingAgain.getByLabel('Export behaviour for City', { exact: true }).click();
    await page.getByRole('option', { name: 'Overwrite' }).click();
    await mappingAgain.getByTestId('mapping-unsaved').waitFor();
    await page.getByRole('tab', { name: 'Export' }).first().click();
    const leave = page.getByRole('dialog', { name: 'Leave without saving?' });
    await leave.waitFor();
    await screenshot(page, 'mapping-leave-unsaved');
    await leave.getByRole('button', { name: 'Stay and keep editing' }).click();
    await leave.waitFor({ state: 'hidden' });
    assert.match(page.url(), /tab=mapping/);
    assert.equal(await mappingAgain.getByLabel('Export behaviour for City', { exact: true }).inputValue(), 'Overwrite');
    await page.getByRole('tab', { name: 'Export' }).first().click();
    await leave.getByRole('button', { name: 'Discard changes' }).click();
    await page.waitForURL(/tab=export/);
    const cityRule = (await (await page.request.get(`${stack.adminUrl}/api/connections/hubspot/mappings/contacts`)).json()) as ConnectionMappingDto;
    assert.notEqual(cityRule.rows.find((r) => r.conduitField === 'city')?.exportBehaviour, 'overwrite', 'the discarded edit was not saved');
  });
});
