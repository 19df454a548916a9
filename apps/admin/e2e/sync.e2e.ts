import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { screenshot } from './support/browser';
import { closeSession, connectCrm, openConnectionTab, openSession, syncRunsSettled, waitForApi } from './support/session';
import type { Stack } from './support/stack';

describe('Import sync from Settings → Sync', { timeout: 400_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ stack, browser, page } = await openSession());
  });
  after(() => closeSession({ browser, stack }));

  it('previews a backfill (dry run), runs it, shows it in history and shows provenance on an imported person', async () => {
    // Connect HubSpot through the sandbox's consent page.
    await connectCrm(page, stack, 'hubspot');

    // The Field mapping tab's rows carry import priority and export behaviour.
    const mapping = await openConnectionTab(page, stack, 'hubspot', 'mapping');
    const priority = () => mapping.getByLabel('Import priority for Qualification reasoning', { exact: true });
    const behaviour = () => mapping.getByLabel('Export behaviour for Qualification reasoning', { exact: true });
    await priority().click();
    await page.getByRole('option', { name: 'Conduit wins' }).click();
    await behaviour().click();
    await page.getByRole('option', { name: 'Overwrite' }).click();
    await mapping.getByRole('button', { name: 'Save mapping' }).click();
    await page.getByText(/Mapping saved/).first().waitFor();
    // The tab is in the URL: a reload comes back to it.
    await page.reload();
    await page.waitForFunction(() => [...document.querySelectorAll('input')].some((i) => i.value === 'Conduit wins'));
    assert.equal(await priority().inputValue(), 'Conduit wins');
    assert.equal(await behaviour().inputValue(), 'Overwrite');
    await screenshot(page, 'mapping-hubspot-rules');

    // Sync settings (the scheduler's first tick, within 30 s, starts the first full backfill).
    await page.getByRole('link', { name: 'Sync', exact: true }).click();
    await page.waitForURL(/\/settings\/sync$/);
    const card = page.getByTestId('sync-hubspot');
    const runNow = card.getByRole('button', { name: 'Run backfill now' });
    await runNow.waitFor({ timeout: 90_000 });
    await card.getByLabel('Sync interval (minutes)').fill('7');
    await card.getByRole('button', { name: 'Save sync settings' }).click();
    await page.getByText('Sync settings saved').first().waitFor();

    // The first run (a full backfill started by the schedule) must finish before another backfill can start.
    await syncRunsSettled(page, stack, 120_000);
    // Something for the dry run to find: a contact added in HubSpot since (no webhook target here, and the next
    // scheduled sync is 7 minutes away, so only the backfill reads it). With every record imported and nothing
    // changed, its sample of field changes would be empty.
    stack.sandbox.hubspot.control.createRecord('contacts', { email: `dry.run.${Date.now().toString(36)}@sync-e2e.example`, firstname: 'Dora', lastname: 'Dryrun', jobtitle: 'Buyer' });
    await page.reload();
    await runNow.waitFor({ timeout: 60_000 });
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
    // The sample names the records (person or company, new or existing) and the fields by label, not CRM ids or keys.
    const sampleRow = preview.getByTestId('sample-diff').first();
    const [recordCell, fieldCell] = await sampleRow.locator('td').allInnerTexts();
    assert.match(recordCell ?? '', /\n(New|Existing) (person|company)$/);
    assert.doesNotMatch(recordCell ?? '', /^(person|company) \d+/);
    assert.doesNotMatch(fieldCell ?? '', /^[a-z]+[A-Z]/, 'a field label, not a key');
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
    let person: { id: string; name: string; crm_id: string } | undefined;
    try {
      const { rows } = await db.query<{ id: string; name: string; crm_id: string }>(
        `SELECT p.id, concat_ws(' ', p.first_name, p.last_name) AS name, l.crm_id FROM person p JOIN crm_link l ON l.person_id = p.id
          WHERE p.first_name IS NOT NULL AND EXISTS (SELECT 1 FROM field_provenance f WHERE f.entity = 'person' AND f.entity_id = p.id AND f.source = 'crm' AND f.field = 'email') LIMIT 1`,
      );
      person = rows[0];
    } finally {
      await db.end();
    }
    assert.ok(person, 'the import recorded provenance for a person');
    await page.goto(`${stack.adminUrl}/prospects/${person.id}`);
    const panel = page.getByTestId('provenance-panel');
    await panel.getByText('Why is this value here?').waitFor();
    await panel.getByRole('table', { name: 'Field provenance' }).waitFor();
    // In words (#21): the field's label, the CRM by name, the record by the person's name with a link to it in HubSpot,
    // the HubSpot property's own label; no field keys, connection or record ids.
    const email = panel.getByTestId('provenance-email');
    assert.match(await email.innerText(), /^Email\b/);
    assert.match(await email.innerText(), new RegExp(`HubSpot contact ${person.name}`));
    assert.match(await email.innerText(), /field Email/);
    const link = email.getByRole('link', { name: new RegExp(`contact ${person.name}`) });
    assert.match((await link.getAttribute('href')) ?? '', new RegExp(`/${person.crm_id}$`));
    // The company a person belongs to is named (and linked), not its id; the association reads as words.
    const company = panel.getByTestId('provenance-companyId');
    if (await company.count()) {
      assert.match(await company.innerText(), /field associated company/);
      await company.getByRole('link').first().waitFor();
    }
    const text = await panel.innerText();
    assert.doesNotMatch(text, /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-/, 'no UUID in the provenance panel');
    assert.doesNotMatch(text, /\b(firstName|lastName|leadStatus|jobTitle)\b/, 'no field key in the provenance panel');
    // Nothing clipped: no cell's content overflows its box.
    const clipped = await panel.locator('td').evaluateAll((cells) => cells.filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => c.textContent));
    assert.deepEqual(clipped, []);
    await screenshot(page, 'person-provenance');
  });
  it('related objects, run detail with failures, re-apply mapping, custom rows with a preview, company provenance', async () => {
    const db = new pg.Client({ connectionString: stack.databaseUrl });
    await db.connect();
    try {
      // The settings offer deals, owners and lists, selected by default.
      await page.goto(`${stack.adminUrl}/settings/sync`);
      const card = page.getByTestId('sync-hubspot');
      for (const label of ['Deals', 'Owners', 'Lists']) assert.equal(await card.getByLabel(label, { exact: true }).isChecked(), true, label);

      // A slow CRM: the running backfill shows a live progress bar with done/total, rate and ETA.
      // Its first three contact reads are answered 429 (throttled): the run says how much that slowed it (#21).
      // The 429s on company reads: only sync runs read companies here (activity logging, workflows and person reads look
      // up contacts, outside any run, and could meet 429s on contacts first).
      stack.sandbox.hubspot.control.setFaults([
        { path: '/crm/v3/objects/companies', status: 429, times: 3 },
        { path: '/crm/v3/objects/contacts', latencyMs: 3_000 },
      ]);
      const { rows: conn } = await db.query<{ id: string }>(`SELECT id FROM crm_connection WHERE crm = 'hubspot'`);
      const started = await page.evaluate(async (id) => {
        const res = await fetch(`/api/sync/connections/${id}/backfill`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
        return { status: res.status, runId: ((await res.json()) as { id: string }).id };
      }, conn[0]!.id);
      assert.equal(started.status, 202);
      await page.reload();
      // This run's bar (until its job starts, the card shows the last run's, done: on a loaded machine it did).
      const live = card.getByTestId(`run-progress-${started.runId}`);
      await live.getByText(/of [\d,]+ records/).waitFor({ timeout: 30_000 });
      await live.getByText(/ETA/).waitFor({ timeout: 30_000 });
      await screenshot(page, 'sync-live-progress');
      stack.sandbox.hubspot.control.setFaults([]);

      await syncRunsSettled(page, stack, 120_000);
      await page.goto(`${stack.adminUrl}/settings/sync-history`);
      await page.locator('[data-testid="sync-run-row"][data-kind="backfill"][data-status="done"]').first().getByRole('link').click();
      await page.waitForURL(/\/settings\/sync-history\/[0-9a-f-]{36}$/);
      // Finished (the page may first show the run as the history's progress bar last saw it): every record the totals announced was read.
      await page.getByTestId('run-status').getByText('done').waitFor();
      await page.locator('[data-testid^="run-progress-"]').getByText(/done$/).waitFor();
      const summary = await page.locator('[data-testid^="run-progress-"]').innerText();
      const [, done, total] = /([\d,]+) of ([\d,]+) records/.exec(summary) ?? [];
      assert.ok(done && done === total, `done = total: ${summary}`);
      const related = page.getByTestId('run-related');
      await related.waitFor();
      const { rows: deals } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM deal`);
      assert.ok(deals[0]!.n > 0, 'deals imported');
      assert.match(await related.innerText(), new RegExp(`Deals: ${deals[0]!.n.toLocaleString('en')}`));
      await page.getByText('No record failed.').waitFor();
      // The run that met the injected 429s (the backfill, or an incremental sync that read contacts first) says how much they slowed it.
      const throttledRun = async () =>
        page.evaluate(async () => {
          const runs = (await (await fetch('/api/sync/runs?limit=200')).json()) as { id: string; slowdown: { throttledCalls: number } }[];
          return runs.find((r) => r.slowdown.throttledCalls > 0)?.id ?? null;
        });
      // Every run of the workspace (a page of 50 could leave the backfill out), and a run's slowdown may land just after
      // its status.
      let throttled = await throttledRun();
      for (let i = 0; i < 20 && !throttled; i++) {
        await page.waitForTimeout(500);
        throttled = await throttledRun();
      }
      assert.ok(throttled, 'a run recorded the injected 429s');
      await page.goto(`${stack.adminUrl}/settings/sync-history/${throttled}`);
      assert.match(await page.getByTestId('run-slowdown').innerText(), /Slowed by .+: \d+ throttled calls? \(429\) retried/);
      await screenshot(page, 'sync-run-slowdown');

      // A contact the import cannot take (no name, no email) → "Re-apply mapping" → the run lists it with the reason.
      const bad = stack.sandbox.hubspot.control.store().insert('contacts', { jobtitle: 'Nameless' });
      await page.goto(`${stack.adminUrl}/settings/sync`);
      await card.getByRole('button', { name: 'Re-apply mapping' }).click();
      // The dialog forecasts the remap before it starts (#17).
      const remapDialog = page.getByRole('dialog', { name: 'Re-apply the mapping to HubSpot records' });
      await remapDialog.getByTestId('forecast').waitFor({ timeout: 60_000 });
      await remapDialog.getByRole('button', { name: 'Re-apply mapping' }).click();
      await page.getByText('Re-applying the mapping').first().waitFor();
      await page.goto(`${stack.adminUrl}/settings/sync-history`);
      await page.locator('[data-testid="sync-run-row"][data-kind="remap"][data-status="done"]').first().waitFor({ timeout: 120_000 });
      await page.locator('[data-testid="sync-run-row"][data-kind="remap"]').first().getByRole('link').click();
      // The record is named in words (it has no name: "Unnamed HubSpot contact", linked to HubSpot); its id is not shown.
      const failure = page.getByTestId('run-failure').filter({ has: page.locator(`[data-crm-id="${bad.id}"]`) });
      await failure.waitFor();
      assert.match(await failure.innerText(), /needs a name or an email/);
      assert.match(await failure.innerText(), /Unnamed HubSpot contact/);
      assert.doesNotMatch(await failure.innerText(), new RegExp(`\\b${bad.id}\\b`));
      await screenshot(page, 'sync-run-failures');

      // Field mapping tab: add a custom attribute row (region ← state), remove a second one, preview, then save.
      const mapping = await openConnectionTab(page, stack, 'hubspot', 'mapping');
      // Contacts / Companies tabs: company rows, and custom rows for company custom attributes.
      await mapping.getByText('Companies', { exact: true }).click();
      await mapping.getByTestId('mapping-row-domain').waitFor();
      await mapping.getByTestId('custom-rows').getByText(/into a Conduit company custom attribute/).waitFor();
      await mapping.getByText('Contacts', { exact: true }).click();
      await mapping.getByTestId('mapping-row-email').waitFor();
      const customRows = mapping.getByTestId('custom-rows');
      await customRows.getByRole('button', { name: 'Add custom row' }).click();
      await customRows.getByLabel('Conduit custom attribute 1').fill('region');
      await customRows.getByLabel('HubSpot field for custom attribute 1').click();
      await customRows.getByLabel('HubSpot field for custom attribute 1').fill('state');
      await page.getByRole('option', { name: /\(state\)/ }).click();
      await customRows.getByRole('button', { name: 'Add custom row' }).click();
      await customRows.getByRole('button', { name: 'Remove custom row 2' }).click();
      assert.equal(await customRows.getByTestId(/^custom-row-/).count(), 1);
      await mapping.getByRole('button', { name: 'Preview changes' }).click();
      const preview = mapping.getByTestId('mapping-preview');
      await preview.getByTestId('dry-run-counts').waitFor({ timeout: 120_000 });
      const wouldUpdate = Number((await preview.getByTestId('dry-run-updated').innerText()).replace(/,/g, ''));
      assert.ok(wouldUpdate > 0, 'the preview finds people whose region would be filled');
      await preview.getByTestId('sample-diff').filter({ hasText: 'Region (custom attribute)' }).first().waitFor();
      const { rows: before } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM person WHERE custom_attributes ? 'region'`);
      assert.equal(before[0]!.n, 0, 'a preview writes nothing');
      await screenshot(page, 'mapping-preview');
      await mapping.getByRole('button', { name: 'Save mapping' }).click();
      await page.getByText(/re-evaluated in the background/).first().waitFor();

      // Saving re-evaluates the imported people in the background: as many as the preview announced.
      // Polled through the API: page.waitForFunction does not await an async predicate (the wait ended at once, and the
      // count below raced the remap).
      await waitForApi<{ kind: string; status: string }[]>(page, stack, '/sync/runs', (runs) => runs.filter((r) => r.kind === 'remap').length >= 2 && runs.every((r) => r.status === 'done' || r.status === 'failed'), 120_000);
      const { rows: after } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM person WHERE custom_attributes ? 'region'`);
      assert.equal(after[0]!.n, wouldUpdate);

      // Company page: provenance from the CRM, then an edit made in Conduit shows as such with the previous value.
      const { rows: companies } = await db.query<{ id: string; name: string; industry: string | null }>(
        `SELECT c.id, c.name, c.industry FROM company c WHERE EXISTS (SELECT 1 FROM field_provenance p WHERE p.entity_id = c.id AND p.source = 'crm') ORDER BY c.name LIMIT 1`,
      );
      const company = companies[0]!;
      await page.goto(`${stack.adminUrl}/companies?search=${encodeURIComponent(company.name)}`);
      await page.getByRole('link', { name: company.name, exact: true }).click();
      await page.waitForURL(new RegExp(`/companies/${company.id}$`));
      const panel = page.getByTestId('provenance-panel');
      await panel.getByRole('table', { name: 'Field provenance' }).waitFor();
      assert.ok((await panel.getByText(`HubSpot company ${company.name}`).count()) > 0);
      const res = await page.evaluate(async (id) => (await fetch(`/api/companies/${id}`, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ industry: 'Robotics' }) })).status, company.id);
      assert.equal(res, 200);
      await page.reload();
      const row = panel.getByTestId('provenance-industry');
      await row.getByText('Edited in Conduit').waitFor();
      assert.match(await row.innerText(), /Conduit/);
      assert.match(await row.innerText(), new RegExp(company.industry ?? 'empty'));
      await screenshot(page, 'company-provenance');
    } finally {
      await db.end();
    }
  });

  it('"Sync now" reads a CRM change for the connection and for one person, then says the person is already up to date', async () => {
    const db = new pg.Client({ connectionString: stack.databaseUrl });
    await db.connect();
    let person: { id: string; crm_id: string; job_title: string | null } | undefined;
    try {
      const { rows } = await db.query<{ id: string; crm_id: string; job_title: string | null }>(
        `SELECT p.id, l.crm_id, p.job_title FROM person p JOIN crm_link l ON l.person_id = p.id AND l.object = 'contact' AND l.archived_at IS NULL
          WHERE p.first_name IS NOT NULL AND p.email IS NOT NULL ORDER BY p.created_at LIMIT 1`,
      );
      person = rows[0];
    } finally {
      await db.end();
    }
    assert.ok(person, 'an imported HubSpot contact');
    const jobTitle = async () => ((await (await page.request.get(`${stack.adminUrl}/api/people/${person.id}`)).json()) as { jobTitle: string | null }).jobTitle;

    // The connection: "Sync now" on the Import tab reads the change made in HubSpot and says when it finished.
    stack.sandbox.hubspot.control.updateRecord('contacts', person.crm_id, { jobtitle: 'Synced From The Tab' });
    const tab = await openConnectionTab(page, stack, 'hubspot', 'import');
    const answer = page.waitForResponse((r) => r.url().endsWith('/sync-now') && r.request().method() === 'POST', { timeout: 60_000 });
    await tab.getByRole('button', { name: 'Sync now' }).click();
    // The schedule may have started the same read a moment before: then that run is followed (200), not a second one.
    const response = await answer;
    assert.ok([200, 202].includes(response.status()), `sync-now answered ${response.status()}: ${await response.text()}`);
    const finished = tab.locator('[data-testid^="run-finished-"]').filter({ hasText: /^Sync finished at/ });
    await finished.waitFor({ timeout: 120_000 });
    assert.match(await finished.innerText(), /\d+ updated/);
    await screenshot(page, 'sync-now-connection');
    assert.equal(await jobTitle(), 'Synced From The Tab');

    // One person: "Sync now" on the person page re-reads the contact and lists what changed, in labels.
    stack.sandbox.hubspot.control.updateRecord('contacts', person.crm_id, { jobtitle: 'Synced From The Person' });
    await page.goto(`${stack.adminUrl}/prospects/${person.id}`);
    await page.getByRole('button', { name: 'Sync now' }).click();
    const result = page.getByTestId('person-sync-result');
    await result.getByText('1 field updated from HubSpot').waitFor();
    assert.match(await result.innerText(), /Job title: Synced From The Tab → Synced From The Person/);
    await page.getByText('Synced From The Person').first().waitFor();
    await screenshot(page, 'sync-now-person');
    await page.getByRole('button', { name: 'Sync now' }).click();
    await result.getByText('Already up to date').waitFor();
    assert.equal(await jobTitle(), 'Synced From The Person');
  });
});
