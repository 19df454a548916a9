import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { screenshot } from './support/browser';
import { connectCrm, sessionPerSuite, syncRunsSettled } from './support/session';
import type { Stack } from './support/stack';

/** #21: runs speak of records by name (with links), "Sync now" sits on the Integrations card, a person re-read says what it was. */
describe('Sync runs in words: named records, Sync now on the card, person re-reads', { timeout: 400_000 }, () => {
  let stack: Stack;
  let page: Page;
  sessionPerSuite({}, (s) => ({ stack, page } = s));
  const noOpenRun = () => syncRunsSettled(page, stack);

  it('"Sync now" on the Integrations card says started / already running, and a failed record is named with its links', async () => {
    await connectCrm(page, stack, 'hubspot');
    const card = page.getByTestId('integration-hubspot');
    const syncNow = card.getByTestId('sync-now-hubspot');
    const feedback = card.getByTestId('sync-now-feedback-hubspot');

    // Right after connecting, the first backfill is (or soon is) on its way: "Sync now" either starts a run or says one runs.
    await syncNow.click();
    await feedback.waitFor();
    const first = await feedback.getAttribute('data-outcome');
    assert.ok(first === 'started' || first === 'running', `feedback: ${first} ${await feedback.innerText()}`);
    assert.match(await feedback.innerText(), first === 'started' ? /^Sync started: reading HubSpot changes now\. See its progress$/ : /already running\. See its progress$/);
    await screenshot(page, 'integrations-sync-now-feedback');
    await noOpenRun();

    // A contact whose score HubSpot holds as "1,000" while Conduit maps it as a number: imported, with that field failed.
    stack.sandbox.hubspot.control.addProperty('contacts', { name: 'e2e_score', label: 'Score', type: 'string', fieldType: 'text', groupName: 'contactinformation' });
    const db = new pg.Client({ connectionString: stack.databaseUrl });
    await db.connect();
    try {
      await db.query(
        `INSERT INTO crm_field_mapping (connection_id, object, position, conduit_field, crm_field, import_priority, export_behaviour, conduit_type, crm_type)
         SELECT c.id, 'contact', (SELECT max(position) + 1 FROM crm_field_mapping m WHERE m.connection_id = c.id AND m.object = 'contact'), 'custom.score', 'e2e_score', 'crm', 'do_not_export', 'number', 'number'
           FROM crm_connection c WHERE c.crm = 'hubspot'`,
      );
    } finally {
      await db.end();
    }
    const tag = Date.now().toString(36);
    const nora = stack.sandbox.hubspot.control.createRecord('contacts', { firstname: 'Nora', lastname: `Quill${tag}`, email: `nora.${tag}@e2e-words.example`, e2e_score: '1,000' });

    // Nothing open: "Sync now" starts a run, and links to it. (The schedule's first runs may still come and go after
    // connecting: while one is open the card says so, and the admin tries again once it is done.)
    let outcome: string | null = null;
    for (let attempt = 0; attempt < 5 && outcome !== 'started'; attempt++) {
      await noOpenRun();
      await page.reload();
      await syncNow.click();
      await feedback.waitFor();
      outcome = await feedback.getAttribute('data-outcome');
    }
    assert.equal(outcome, 'started');
    await noOpenRun();
    await feedback.getByRole('link', { name: 'See its progress' }).click();
    await page.waitForURL(/\/settings\/sync-history\/[0-9a-f-]+$/);

    // The failure names the person (linked to their Conduit page) and the HubSpot contact (linked to HubSpot); no id shows.
    const failure = page.getByTestId('run-failure').filter({ has: page.locator(`[data-crm-id="${nora.id}"]`) });
    await failure.waitFor({ timeout: 30_000 });
    const person = failure.getByTestId('record-conduit-link');
    assert.equal((await person.innerText()).trim(), `Nora Quill${tag}`);
    assert.match((await person.getAttribute('href')) ?? '', /^\/prospects\/[0-9a-f-]+$/);
    const inCrm = failure.getByTestId('record-crm-link');
    assert.equal((await inCrm.innerText()).trim(), 'HubSpot contact');
    assert.ok(((await inCrm.getAttribute('href')) ?? '').includes(nora.id));
    assert.match(await failure.innerText(), /is not a number/);
    assert.doesNotMatch(await page.getByRole('table', { name: 'Failures' }).innerText(), new RegExp(`\\b${nora.id}\\b`));
    await screenshot(page, 'sync-run-failures-named');

    // "Sync now" on the person: Sync history calls it a person re-read naming her, not a webhook.
    await person.click();
    await page.waitForURL(/\/prospects\/[0-9a-f-]+$/);
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByTestId('person-sync-result').waitFor();
    await page.goto(`${stack.adminUrl}/settings/sync-history`);
    const reread = page.getByTestId('sync-run-row').filter({ hasText: `Person re-read (Sync now): Nora Quill${tag}` });
    await reread.first().waitFor();
    assert.equal(await reread.first().getAttribute('data-kind'), 'person_sync');
    assert.equal(await page.getByTestId('sync-run-row').filter({ hasText: 'Webhook' }).count(), 0);
    await screenshot(page, 'sync-history-person-reread');
    await reread.first().getByTestId('sync-run-title').click();
    const named = page.getByTestId('run-person');
    await named.waitFor();
    assert.match(await named.innerText(), new RegExp(`Re-read of Nora Quill${tag} from HubSpot`));
    await screenshot(page, 'sync-run-person-reread');

    // Settings → API budget lists the re-read among the runs, naming her (her page, the contact in HubSpot), no id.
    await page.goto(`${stack.adminUrl}/settings/api-budget`);
    const usageRun = page.getByTestId('api-budget-hubspot').getByTestId('usage-run').filter({ hasText: 'Person re-read (Sync now)' }).filter({ hasText: `Nora Quill${tag}` });
    await usageRun.first().waitFor({ timeout: 30_000 });
    const record = usageRun.first().getByTestId('usage-run-record');
    assert.equal(await record.getAttribute('data-crm-id'), nora.id);
    assert.match((await record.getByTestId('record-conduit-link').getAttribute('href')) ?? '', /^\/prospects\/[0-9a-f-]+$/);
    assert.equal((await record.getByTestId('record-crm-link').innerText()).trim(), 'HubSpot contact');
    assert.doesNotMatch(await usageRun.first().innerText(), new RegExp(`\\b${nora.id}\\b`));
    // Its status in words, as Sync history says it (not the API's 'done').
    assert.equal((await usageRun.first().locator('td').nth(2).textContent())?.trim(), 'Done');
    await usageRun.first().scrollIntoViewIfNeeded();
    await screenshot(page, 'api-budget-person-reread');
  });

  it('"Sync now" on the card says why it did not start, in words', async () => {
    // Import turned off for HubSpot: the API refuses, and the card says so.
    await page.goto(`${stack.adminUrl}/settings/integrations/hubspot?tab=import`);
    const importCard = page.getByTestId('sync-hubspot');
    await importCard.getByRole('switch', { name: 'Import from HubSpot' }).click({ force: true });
    await importCard.getByRole('button', { name: 'Save sync settings' }).click();
    await page.getByText('Sync settings saved').first().waitFor();
    await page.goto(`${stack.adminUrl}/settings/integrations`);
    const card = page.getByTestId('integration-hubspot');
    await card.getByTestId('sync-now-hubspot').click();
    const feedback = card.getByTestId('sync-now-feedback-hubspot');
    await feedback.waitFor();
    assert.equal(await feedback.getAttribute('data-outcome'), 'error');
    assert.equal((await feedback.innerText()).trim(), 'Not started: Import from HubSpot is turned off: turn it on in the Import tab to sync');
    await screenshot(page, 'integrations-sync-now-refused');
  });
});
