import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, signIn } from './support/browser';
import { startStack, type Stack } from './support/stack';

describe('Import sync from Settings → Sync', { timeout: 400_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;

  before(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await signIn(page, stack.adminUrl);
    await page.waitForURL(/\/prospects$/);
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('previews a backfill (dry run), runs it, shows it in history and shows provenance on an imported person', async () => {
    // Connect HubSpot through the sandbox's consent page.
    await page.goto(`${stack.adminUrl}/settings/integrations`);
    await page.getByTestId('integration-hubspot').getByRole('button', { name: 'Connect HubSpot' }).click();
    await page.waitForURL((url) => url.origin === stack.sandbox.hubspot.url);
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL((url) => url.pathname === '/settings/integrations' && url.searchParams.get('connected') === 'hubspot');

    // The mapping dialog's rows carry import priority and export behaviour.
    await page.getByTestId('integration-hubspot').getByRole('button', { name: 'Configure mapping' }).click();
    let mapping = page.getByRole('dialog', { name: 'HubSpot field mapping' });
    const priority = () => mapping.getByLabel('Import priority for Qualification reasoning', { exact: true });
    const behaviour = () => mapping.getByLabel('Export behaviour for Qualification reasoning', { exact: true });
    await priority().click();
    await page.getByRole('option', { name: 'Conduit wins' }).click();
    await behaviour().click();
    await page.getByRole('option', { name: 'Overwrite' }).click();
    await mapping.getByRole('button', { name: 'Save mapping' }).click();
    await page.getByText(/Mapping saved/).first().waitFor();
    await page.reload();
    await page.getByTestId('integration-hubspot').getByRole('button', { name: 'Configure mapping' }).click();
    mapping = page.getByRole('dialog', { name: 'HubSpot field mapping' });
    await page.waitForFunction(() => [...document.querySelectorAll('input')].some((i) => i.value === 'Conduit wins'));
    assert.equal(await priority().inputValue(), 'Conduit wins');
    assert.equal(await behaviour().inputValue(), 'Overwrite');
    await screenshot(page, 'mapping-hubspot-rules');
    await mapping.getByRole('button', { name: 'Close' }).click();
    await mapping.waitFor({ state: 'hidden' });

    // Sync settings: the card appears once the connection's first run exists (the scheduler ticks every 30 s).
    await page.getByRole('link', { name: 'Sync', exact: true }).click();
    await page.waitForURL(/\/settings\/sync$/);
    const card = page.getByTestId('sync-hubspot');
    const runNow = card.getByRole('button', { name: 'Run backfill now' });
    await runNow.waitFor({ timeout: 90_000 });
    await card.getByLabel('Sync interval (minutes)').fill('7');
    await card.getByRole('button', { name: 'Save sync settings' }).click();
    await page.getByText('Sync settings saved').first().waitFor();

    // The first run (incremental from an empty cursor) must finish before a backfill can start.
    await page.waitForFunction(async () => {
      const runs = (await (await fetch('/api/sync/runs')).json()) as { status: string }[];
      return runs.length > 0 && runs.every((r) => r.status === 'done' || r.status === 'failed');
    }, undefined, { timeout: 120_000, polling: 1_000 });
    await page.reload();
    await runNow.waitFor();
    assert.equal(await card.getByLabel('Sync interval (minutes)').inputValue(), '7');

    // Dry run first: counts, then confirm.
    await runNow.click();
    const preview = page.getByRole('dialog', { name: 'HubSpot backfill preview' });
    await preview.getByTestId('dry-run-counts').waitFor({ timeout: 120_000 });
    const counts = Object.fromEntries(
      await Promise.all(
        (['created', 'updated', 'unchanged', 'failed'] as const).map(async (k) => [k, Number((await preview.getByTestId(`dry-run-${k}`).innerText()).replace(/,/g, ''))] as const),
      ),
    );
    assert.ok(counts.created! + counts.updated! + counts.unchanged! > 0, `dry run counted records: ${JSON.stringify(counts)}`);
    await screenshot(page, 'sync-dry-run');
    await preview.getByRole('button', { name: 'Confirm backfill' }).click();
    await preview.waitFor({ state: 'hidden' });
    await page.getByText('Backfill started').first().waitFor();

    // History: the backfill completes, with its counts and API calls.
    await page.goto(`${stack.adminUrl}/settings/sync-history`);
    await page.locator('[data-testid="sync-run-row"][data-kind="backfill"][data-status="done"]').first().waitFor({ timeout: 120_000 });
    await page.locator('[data-testid="sync-run-row"][data-kind="dry_run"][data-status="done"]').first().waitFor();
    await page.getByText('Records synced over time').waitFor();
    await screenshot(page, 'sync-history');

    // An imported person shows where its values came from.
    const db = new pg.Client({ connectionString: stack.databaseUrl });
    await db.connect();
    let personId: string | undefined;
    try {
      const { rows } = await db.query<{ entity_id: string }>(`SELECT entity_id FROM field_provenance WHERE entity = 'person' AND source = 'crm' LIMIT 1`);
      personId = rows[0]?.entity_id;
    } finally {
      await db.end();
    }
    assert.ok(personId, 'the import recorded provenance for a person');
    await page.goto(`${stack.adminUrl}/prospects/${personId}`);
    const panel = page.getByTestId('provenance-panel');
    await panel.getByText('Why is this value here?').waitFor();
    await panel.getByRole('table', { name: 'Field provenance' }).waitFor();
    assert.ok((await panel.getByText('CRM', { exact: true }).count()) > 0);
    await screenshot(page, 'person-provenance');
  });
});
