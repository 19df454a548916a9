import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { screenshot, signIn } from './support/browser';
import { closeSession, openSession } from './support/session';
import type { Stack } from './support/stack';

describe('managing records through the console', { timeout: 300_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    ({ stack, browser, context, page } = await openSession({ height: 900, timeoutMs: 15_000 }));
  });
  after(() => closeSession({ browser, stack }));

  const prospectRows = () => page.getByRole('table', { name: 'Prospects' }).locator('tbody tr');

  async function search(term: string) {
    await page.getByLabel('Search prospects').fill(term);
    await page.waitForURL((url) => url.searchParams.get('search') === term);
  }

  it('adds a prospect, showing the API validation errors on the fields first', async () => {
    await page.getByRole('button', { name: 'Add prospect' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add prospect' });
    await dialog.getByRole('textbox', { name: 'First name' }).fill('Grace');
    await dialog.getByRole('textbox', { name: 'Last name' }).fill('Hopper');
    await dialog.getByRole('textbox', { name: 'Email' }).fill('not-an-email');
    await dialog.getByRole('textbox', { name: 'LinkedIn URL' }).fill('linkedin');
    await dialog.getByRole('button', { name: 'Add prospect' }).click();

    // Whatever wording the API uses, it lands on the two fields, not in a generic banner.
    const email = dialog.getByRole('textbox', { name: 'Email' });
    await dialog.locator('[aria-invalid="true"]').first().waitFor();
    assert.equal(await email.getAttribute('aria-invalid'), 'true');
    assert.equal(await dialog.getByRole('textbox', { name: 'LinkedIn URL' }).getAttribute('aria-invalid'), 'true');
    assert.equal(await dialog.getByRole('textbox', { name: 'First name' }).getAttribute('aria-invalid'), null);
    const describedBy = (await email.getAttribute('aria-describedby')) ?? '';
    const errorId = describedBy.split(' ').find((id) => id.endsWith('-error'));
    assert.ok(errorId, 'the email field should point at its error message');
    assert.match(await page.locator(`[id="${errorId}"]`).innerText(), /email/i);
    await screenshot(page, 'add-prospect-errors');

    await email.fill('grace.hopper@e2e-navy.test');
    await dialog.getByRole('textbox', { name: 'LinkedIn URL' }).fill('https://www.linkedin.com/in/grace-hopper');
    await dialog.getByRole('button', { name: 'Add prospect' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await search('Hopper');
    await page.getByTestId('list-range').filter({ hasText: 'of 1 prospects' }).waitFor();
    assert.equal((await prospectRows().first().getByRole('link').innerText()).trim(), 'Grace Hopper');
  });

  it('edits the prospect from their page', async () => {
    await prospectRows().first().getByRole('link').click();
    await page.getByTestId('person-name').filter({ hasText: 'Grace Hopper' }).waitFor();
    await page.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit Grace Hopper' });
    await dialog.getByRole('textbox', { name: 'Job title' }).fill('Rear Admiral');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId('person-name').locator('..').getByText('Rear Admiral').waitFor();
    await page.getByRole('link', { name: 'Prospects' }).first().click();
    await page.waitForURL(/\/prospects(\?|$)/);
  });

  it('imports a CSV and reports created and failed rows', async () => {
    await page.getByRole('button', { name: 'Import CSV' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Import prospects from CSV' });
    const csv = [
      'First name,Last name,Email,Company,Job title',
      'Katherine,Johnson,katherine.johnson@e2e-nasa.test,NASA,Mathematician',
      'Broken,Row,this-is-not-an-email,NASA,Engineer',
      'Dorothy,Vaughan,dorothy.vaughan@e2e-nasa.test,NASA,Supervisor',
    ].join('\n');
    await dialog.locator('input[type="file"]').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();

    await dialog.getByTestId('import-result').waitFor();
    assert.equal(await dialog.getByTestId('import-created').innerText(), '2');
    assert.equal(await dialog.getByTestId('import-failed').innerText(), '1');
    const failed = dialog.getByRole('table', { name: 'Rows that failed' }).locator('tbody tr');
    assert.equal(await failed.count(), 1);
    // The broken row is the second data row: line 3 of the file.
    assert.match(await failed.first().innerText(), /^3\s/);
    assert.match(await failed.first().innerText(), /email/i);
    await screenshot(page, 'csv-import');
    await dialog.getByRole('button', { name: 'Done' }).click();

    await search('e2e-nasa');
    await page.getByTestId('list-range').filter({ hasText: 'of 2 prospects' }).waitFor();
  });

  it('deletes a prospect after confirmation', async () => {
    const row = prospectRows().filter({ hasText: 'Dorothy Vaughan' });
    await row.getByRole('button', { name: 'Row actions' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete prospect' });
    await confirm.getByText('Delete Dorothy Vaughan?', { exact: false }).waitFor();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await page.getByTestId('list-range').filter({ hasText: 'of 1 prospects' }).waitFor();
    assert.equal(await prospectRows().filter({ hasText: 'Dorothy Vaughan' }).count(), 0);
  });

  it('adds a company and finds it by search', async () => {
    await page.getByRole('link', { name: 'Companies' }).click();
    await page.waitForURL(/\/companies$/);
    await page.getByRole('table', { name: 'Companies' }).locator('tbody tr').first().waitFor();
    await page.getByRole('button', { name: 'Add company' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add company' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Harvard Mark I Labs');
    await dialog.getByRole('textbox', { name: 'Domain' }).fill('markone-labs.test');
    await dialog.getByRole('textbox', { name: 'Industry' }).fill('Computing');
    await dialog.getByRole('button', { name: 'Add company' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await page.getByLabel('Search companies').fill('Mark I');
    await page.waitForURL((url) => url.searchParams.get('search') === 'Mark I');
    const rows = page.getByRole('table', { name: 'Companies' }).locator('tbody tr');
    await rows.filter({ hasText: 'Harvard Mark I Labs' }).waitFor();
    await page.getByTestId('list-range').filter({ hasText: 'of 1 companies' }).waitFor();
    await page.getByLabel('Search companies').fill('');
    await page.waitForURL((url) => !url.searchParams.has('search'));
    await screenshot(page, 'companies');
  });

  it('creates an API key that is shown once and works until revoked', async () => {
    await page.goto(`${stack.adminUrl}/settings/team`);
    await page.getByRole('table', { name: 'Team members' }).getByText('admin@conduit.local').waitFor();
    await page.getByRole('button', { name: 'Create API key' }).click();
    const createDialog = page.getByRole('dialog', { name: 'Create API key' });
    await createDialog.getByRole('textbox', { name: 'Name' }).fill('E2E script');
    await createDialog.getByRole('button', { name: 'Create key' }).click();

    const shown = page.getByRole('dialog', { name: 'API key created' });
    const key = (await shown.getByTestId('new-api-key').innerText()).trim();
    assert.ok(key.length >= 20, 'the full key is shown');
    await shown.getByRole('button', { name: 'Copy key' }).waitFor();
    await screenshot(page, 'api-key-created');
    await shown.getByRole('button', { name: 'I have copied the key' }).click();
    await shown.waitFor({ state: 'hidden' });
    assert.equal(await page.getByText(key).count(), 0, 'the key is not shown again');

    // Straight to the API (no cookie): the key authenticates.
    const withKey = () => fetch(`${stack.apiUrl}/api/people?pageSize=1`, { headers: { Authorization: `Bearer ${key}` } });
    assert.equal((await withKey()).status, 200);

    const keyRow = page.getByRole('table', { name: 'API keys' }).locator('tbody tr').filter({ hasText: 'E2E script' });
    await keyRow.getByText('Active').waitFor();
    await keyRow.getByRole('button', { name: 'Revoke E2E script' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke API key' });
    await confirm.getByRole('button', { name: 'Revoke' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await keyRow.getByText('Revoked').waitFor();
    assert.equal((await withKey()).status, 401);
    await screenshot(page, 'team');
  });

  it('adds a team member, who can sign in but not manage API keys, then removes them', async () => {
    await page.getByRole('button', { name: 'Add member' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add team member' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Ada Member');
    await dialog.getByRole('textbox', { name: 'Email' }).fill('ada.member@e2e-team.test');
    await dialog.getByRole('textbox', { name: 'Initial password' }).fill('short');
    await dialog.getByRole('button', { name: 'Add member' }).click();
    // The API's password rule shows on the password field.
    const passwordError = dialog.locator('[id$="-error"]');
    await passwordError.waitFor();
    assert.match(await passwordError.innerText(), /password/i);
    assert.equal(await dialog.getByRole('textbox', { name: 'Email' }).getAttribute('aria-invalid'), null);
    await dialog.getByRole('textbox', { name: 'Initial password' }).fill('a-long-enough-password');
    await dialog.getByRole('button', { name: 'Add member' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const members = page.getByRole('table', { name: 'Team members' });
    await members.getByText('ada.member@e2e-team.test').waitFor();

    const memberContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const memberPage = await memberContext.newPage();
      await signIn(memberPage, stack.adminUrl, { email: 'ada.member@e2e-team.test', password: 'a-long-enough-password' });
      await memberPage.waitForURL(/\/prospects$/);
      await memberPage.goto(`${stack.adminUrl}/settings/team`);
      await memberPage.getByText('Only workspace admins can manage API keys.').waitFor();
      assert.equal(await memberPage.getByRole('button', { name: 'Add member' }).count(), 0);
      assert.equal(await memberPage.getByRole('button', { name: /^Remove / }).count(), 0);
    } finally {
      await memberContext.close();
    }

    await members.getByRole('button', { name: 'Remove Ada Member' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove member' });
    await confirm.getByRole('button', { name: 'Remove' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await members.getByText('ada.member@e2e-team.test').waitFor({ state: 'detached' });
  });

  it('shows the CRM integrations ready to connect (connecting itself: connections.e2e.ts)', async () => {
    await page.goto(`${stack.adminUrl}/settings/integrations`);
    for (const crm of ['HubSpot', 'Salesforce']) {
      const card = page.getByTestId(`integration-${crm.toLowerCase()}`);
      await card.waitFor();
      await card.getByText('Not connected').waitFor();
      assert.equal(await card.getByRole('button', { name: `Connect ${crm}` }).isEnabled(), true);
    }
    await screenshot(page, 'integrations');
  });

  it('sends the user back to login when the session ends', async () => {
    await page.goto(`${stack.adminUrl}/campaigns`);
    await page.getByRole('heading', { name: 'Campaigns', exact: true }).waitFor();
    await screenshot(page, 'campaigns');
    // Sign out from another tab of the same browser: this tab's next request answers 401.
    const other = await context.newPage();
    const logout = await other.request.post(`${stack.adminUrl}/api/auth/logout`);
    assert.equal(logout.status(), 204);
    await other.close();
    await page.getByRole('link', { name: 'Prospects' }).click();
    await page.waitForURL(/\/login/);
  });
});
