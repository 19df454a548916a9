import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConnectionDto, ConnectionMappingDto, SourceOfTruthDto, SyncRunDto } from '@conduit/contracts';
import type { Browser, Page } from 'playwright-core';
import { screenshot } from './support/browser';
import { control } from './support/crms';
import { closeSession, connectCrm, openConnectionTab, openSession, waitForApi } from './support/session';
import type { Stack } from './support/stack';

/**
 * Issue 21 in HubSpot's Field mapping tab, with both sandbox CRMs connected (Salesforce first): the source of truth per field
 * and the value maps of lead status (suggested, edited, unmapped values counted after an import).
 */
describe('Mapping: source of truth and value maps', { timeout: 600_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ stack, browser, page } = await openSession({ timeoutMs: 30_000 }));
  });
  after(() => closeSession({ browser, stack }));

  const api = async <T>(method: 'GET' | 'POST', path: string, data?: unknown): Promise<T> => {
    const res = method === 'GET' ? await page.request.get(`${stack.adminUrl}/api${path}`) : await page.request.post(`${stack.adminUrl}/api${path}`, { data });
    assert.ok(res.ok(), `${method} ${path}: ${res.status()} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const openMapping = async () => {
    const dialog = await openConnectionTab(page, stack, 'hubspot', 'mapping');
    await dialog.getByTestId('source-of-truth').waitFor();
    return dialog;
  };

  it('shows where each field comes from, saves a choice, and says the import priority follows it', async () => {
    await connectCrm(page, stack, 'salesforce');
    await connectCrm(page, stack, 'hubspot');
    const dialog = await openMapping();
    // Default: Salesforce, connected first, with the other CRM filling blanks; said in words.
    const status = dialog.getByTestId('source-row-leadStatus');
    assert.equal(await status.getByLabel('Source of truth for Lead status').inputValue(), 'Salesforce');
    assert.match(await status.innerText(), /Salesforce’s value wins; HubSpot only fills it when it is blank\./);
    assert.match(await dialog.getByTestId('priority-by-source-jobTitle').innerText(), /Set by the source of truth above/);

    const title = dialog.getByTestId('source-row-jobTitle');
    await title.getByLabel('Source of truth for Job title').click();
    await page.getByRole('option', { name: 'HubSpot', exact: true }).click();
    await title.getByLabel('Other CRMs for Job title').click();
    await page.getByRole('option', { name: 'Never write', exact: true }).click();
    assert.match(await title.innerText(), /HubSpot’s value wins; Salesforce never writes it\./);
    const city = dialog.getByTestId('source-row-city');
    await city.getByLabel('Source of truth for City').click();
    await page.getByRole('option', { name: 'Most recent change wins', exact: true }).click();
    assert.equal(await city.getByLabel('Other CRMs for City').isDisabled(), true);
    await screenshot(page, 'mapping-source-of-truth');
    await dialog.getByRole('button', { name: 'Save mapping' }).click();
    await page.getByText(/Mapping saved with the new sources of truth/).first().waitFor();

    const saved = await api<SourceOfTruthDto>('GET', '/mapping/source-of-truth/contacts');
    assert.deepEqual(
      saved.fields.filter((f) => ['jobTitle', 'city', 'leadStatus'].includes(f.conduitField)).map((f) => [f.conduitField, f.source, f.others, f.isDefault]),
      [
        ['jobTitle', 'hubspot', 'never', false],
        ['city', 'latest', 'fill_blanks', false],
        ['leadStatus', 'salesforce', 'fill_blanks', true],
      ],
    );
  });

  it('suggests lead status values by label, saves an edit, and counts values left unmapped after an import', async () => {
    let dialog = await openMapping();
    const values = dialog.getByTestId('value-map-leadStatus');
    await values.scrollIntoViewIfNeeded();
    // Labels, never codes: "Bad Timing" (BAD_TIMING) is suggested as Conduit's "Bad timing".
    const badTiming = values.getByLabel('Conduit value for HubSpot Lead status Bad Timing');
    assert.equal(await badTiming.inputValue(), 'Bad timing');
    assert.doesNotMatch(await values.innerText(), /BAD_TIMING|OPEN_DEAL/);
    // The export direction beside it (status mapping: engagement state → HubSpot value).
    assert.match(await values.innerText(), /Written to HubSpot as/);

    await badTiming.click();
    await page.getByRole('option', { name: 'Nurturing', exact: true }).click();
    // "Open Deal" left unmapped.
    const openDeal = dialog.getByTestId('value-row-leadStatus-OPEN_DEAL');
    await openDeal.getByLabel('Conduit value for HubSpot Lead status Open Deal').click();
    await page.getByRole('option', { name: 'Unmapped — not imported', exact: true }).click();
    assert.equal(await values.getByLabel('Conduit value for HubSpot Lead status Open Deal').inputValue(), 'Unmapped — not imported');
    await dialog.getByRole('button', { name: 'Save mapping' }).click();
    await page.getByText(/Mapping saved/).first().waitFor();
    const mapping = await api<ConnectionMappingDto>('GET', '/connections/hubspot/mappings/contacts');
    const row = mapping.rows.find((r) => r.conduitField === 'leadStatus');
    assert.equal(row?.valueMap?.['BAD_TIMING'], 'Nurturing');
    // "Unmapped — not imported" is kept as a blank entry (not dropped): the import must not fall back to the spelling.
    assert.equal(row?.valueMap?.['OPEN_DEAL'], '');

    // A HubSpot contact in "Open Deal", imported: not stored, counted.
    await control(stack.sandbox.hubspot.url, 'POST', '/__sandbox/records/contacts', { email: 'open-deal@truth-e2e.example', firstname: 'Otto', lastname: 'Deal', hs_lead_status: 'OPEN_DEAL' });
    const hubspot = (await api<ConnectionDto[]>('GET', '/connections')).find((c) => c.crm === 'hubspot')!;
    await waitForApi<SyncRunDto[]>(page, stack, `/sync/runs?connectionId=${hubspot.id}`, (runs) => runs.length > 0 && runs.every((r) => r.status !== 'pending' && r.status !== 'running'), 240_000);
    const run = await api<SyncRunDto>('POST', `/sync/connections/${hubspot.id}/backfill`, { objects: ['contact'] });
    await waitForApi<SyncRunDto>(page, stack, `/sync/runs/${run.id}`, (r) => r.status === 'done' || r.status === 'failed', 240_000);
    dialog = await openMapping();
    const unmapped = dialog.getByTestId('unmapped-leadStatus');
    await unmapped.waitFor();
    assert.match(await unmapped.innerText(), /Unmapped: Open Deal from HubSpot — \d+ records?/);
    await unmapped.scrollIntoViewIfNeeded();
    await screenshot(page, 'mapping-value-maps');
  });
});
