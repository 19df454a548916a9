import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page as ApiPage, PersonDto } from '@conduit/contracts';
import type { Browser, Page } from 'playwright-core';
import { DEMO_ADMIN, screenshot, signIn } from './support/browser';
import { closeSession, openSession } from './support/session';
import type { Stack } from './support/stack';

describe('admin console against the real API', { timeout: 240_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ stack, browser, page } = await openSession({ height: 900, timeoutMs: 15_000, signIn: false }));
  });
  after(() => closeSession({ browser, stack }));

  const rows = () => page.getByRole('table', { name: 'Prospects' }).locator('tbody tr');

  it('sends a signed-out visitor to the login page', async () => {
    await page.goto(`${stack.adminUrl}/prospects`);
    await page.waitForURL(/\/login\?next=%2Fprospects$/);
    await page.getByRole('heading', { name: 'Sign in to your workspace' }).waitFor();
  });

  it('signs in as the demo admin and lists the demo prospects', async () => {
    await signIn(page, stack.adminUrl);
    await page.waitForURL(/\/prospects$/);
    await page.getByRole('heading', { name: 'Prospects' }).waitFor();

    // What the API holds, asked through the same origin and the same session cookie.
    const answer = await page.request.get(`${stack.adminUrl}/api/people?pageSize=1`);
    assert.equal(answer.status(), 200);
    const { total } = (await answer.json()) as ApiPage<PersonDto>;
    assert.ok(total > 0, 'the seed should create demo prospects');

    await page.getByTestId('list-range').filter({ hasText: `of ${total} prospects` }).waitFor();
    assert.equal(await rows().count(), Math.min(total, 25));
    await page.getByText(DEMO_ADMIN.email).waitFor();
    await screenshot(page, 'prospects');
  });

  it('filters by engagement, sorts by a column and pages through the list', async () => {
    await page.locator('input[aria-label="Filter by engagement"]').click();
    await page.getByRole('option', { name: 'Replied positive' }).click();
    await page.waitForURL((url) => url.searchParams.get('engagementState') === 'replied_positive');
    await page.getByTestId('list-range').filter({ hasNotText: /of (60|\d{3,}) prospects/ }).waitFor();
    const badges = await rows().locator('td:nth-child(5)').allInnerTexts();
    assert.ok(badges.length > 0, 'the demo data has positive replies');
    for (const badge of badges) assert.equal(badge.trim(), 'Replied positive');
    await page.goto(`${stack.adminUrl}/prospects`);

    await page.getByRole('columnheader', { name: 'Name' }).getByRole('button').click();
    await page.waitForURL((url) => url.searchParams.get('sort') === 'lastName' && url.searchParams.get('order') === 'asc');
    await page.getByRole('columnheader', { name: 'Name' }).and(page.locator('[aria-sort="ascending"]')).waitFor();
    const lastNames = async () =>
      (await rows().getByRole('link').allInnerTexts()).map((name) => name.trim().split(' ').slice(1).join(' '));
    await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
    const ascending = await lastNames();
    const sorted = [...ascending].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }));
    assert.deepEqual(ascending.map((n) => n[0]?.toLowerCase()), sorted.map((n) => n[0]?.toLowerCase()));

    await page.getByRole('button', { name: '2', exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('page') === '2' && url.searchParams.get('sort') === 'lastName');
    await page.getByTestId('list-range').filter({ hasText: /^Showing 26–/ }).waitFor();
    await page.goto(`${stack.adminUrl}/prospects`);
    await page.getByTestId('list-range').filter({ hasText: /^Showing 1–/ }).waitFor();
  });

  it('narrows the list as the user searches, and keeps the search in the URL', async () => {
    const before = await rows().count();
    const firstName = (await rows().first().getByRole('link').innerText()).trim();
    const lastName = firstName.split(' ').slice(1).join(' ');
    assert.ok(lastName, `expected a first and last name, got "${firstName}"`);

    await page.getByLabel('Search prospects').fill(lastName);
    await page.waitForURL((url) => url.searchParams.get('search') === lastName);
    await page.getByTestId('list-range').filter({ hasNotText: /of \d{2,} prospects/ }).waitFor();

    const names = await rows().getByRole('link').allInnerTexts();
    assert.ok(names.length > 0 && names.length < before, `search should narrow ${before} rows, got ${names.length}`);
    for (const name of names) assert.match(name, new RegExp(lastName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'));
    await screenshot(page, 'prospects-search');

    // A search nobody matches explains itself and can be cleared.
    await page.getByLabel('Search prospects').fill('zzzz-no-such-prospect');
    await page.getByText('No prospects match your search').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByTestId('list-range').filter({ hasText: /of \d+ prospects/ }).waitFor();
    await page.getByLabel('Search prospects').fill(lastName);
    await page.waitForURL((url) => url.searchParams.get('search') === lastName);
  });

  it('opens a person and shows their details', async () => {
    const link = rows().first().getByRole('link');
    const name = (await link.innerText()).trim();
    await link.click();
    await page.waitForURL(/\/prospects\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop() ?? '';

    const answer = await page.request.get(`${stack.adminUrl}/api/people/${id}`);
    const person = (await answer.json()) as PersonDto;
    await page.getByTestId('person-name').filter({ hasText: name }).waitFor();
    if (person.email) await page.getByRole('link', { name: person.email }).waitFor();
    if (person.jobTitle) await page.getByText(person.jobTitle).first().waitFor();
    if (person.companyName) await page.getByText(person.companyName).first().waitFor();
    if (person.phone) await page.getByText(person.phone).waitFor();
    await page.getByRole('heading', { name: 'Contact' }).or(page.getByText('Contact', { exact: true })).first().waitFor();
    await screenshot(page, 'person');
  });

  it('shows a clear message for a wrong password', async () => {
    const fresh = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const loginPage = await fresh.newPage();
    try {
      await signIn(loginPage, stack.adminUrl, { email: DEMO_ADMIN.email, password: 'not-the-password' });
      const error = loginPage.getByTestId('login-error');
      await error.waitFor();
      assert.match(await error.innerText(), /Incorrect email or password/);
      assert.match(loginPage.url(), /\/login$/);
      await screenshot(loginPage, 'login-error');
    } finally {
      await fresh.close();
    }
  });
});
