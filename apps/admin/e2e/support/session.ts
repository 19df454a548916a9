import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchBrowser, signIn } from './browser';
import { startStack, type Stack, type StackOptions } from './stack';

export interface Session {
  stack: Stack;
  browser: Browser;
  context: BrowserContext;
  page: Page;
}

export interface SessionOptions extends StackOptions {
  /** Viewport height (the width is always 1440). */
  height?: number;
  /** Default timeout of page actions. */
  timeoutMs?: number;
  /** Sign in as the demo admin and land on Prospects (default true). */
  signIn?: boolean;
}

/**
 * One suite's world: the stack (sandbox + API + worker + admin), a headless Chromium and one page, signed in as
 * the demo admin unless told otherwise. If any step fails, what was already started is stopped before the error
 * goes up, so a failed `before` leaves no processes behind. With a pinned budget clock the page's clock runs as far
 * ahead as the API's (its timers keep real time), so "resumes at 00:00 (in 3 h)" reads as it would for an admin.
 */
export async function openSession(options: SessionOptions = {}): Promise<Session> {
  const stack = await startStack(options.pinBudgetClock ? { pinBudgetClock: true } : {});
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1440, height: options.height ?? 1000 } });
    if (stack.clockOffsetMs > 0) await context.clock.setSystemTime(Date.now() + stack.clockOffsetMs);
    const page = await context.newPage();
    page.setDefaultTimeout(options.timeoutMs ?? 20_000);
    if (options.signIn !== false) {
      await signIn(page, stack.adminUrl);
      await page.waitForURL(/\/prospects$/);
    }
    return { stack, browser, context, page };
  } catch (error) {
    await browser?.close();
    await stack.stop();
    throw error;
  }
}

/**
 * One suite's session, opened in the suite's `before` and closed in its `after` (node:test hooks of the suite this is
 * called in); `use` gets it once open, e.g. `(s) => ({ stack, browser, page } = s)`.
 */
export function sessionPerSuite(options: SessionOptions, use: (session: Session) => void): void {
  let session: Session | undefined;
  before(async () => {
    session = await openSession(options);
    use(session);
  });
  after(() => closeSession(session ?? {}));
}

/** GET of the API with the page's session (its cookies): the JSON answer, or the test fails with the status and body. */
export async function apiGet<T>(page: Page, stack: Stack, path: string): Promise<T> {
  const response = await page.request.get(`${stack.adminUrl}/api${path}`);
  assert.equal(response.status(), 200, await response.text());
  return (await response.json()) as T;
}

/**
 * Polls GET `path` of the API (the page's session) until `done` holds for its answer, and returns that answer; fails
 * after `timeoutMs`. (page.waitForFunction does not await an async predicate: the Promise it returns is truthy, so such
 * a wait ends at once.)
 */
export async function waitForApi<T>(page: Page, stack: Stack, path: string, done: (answer: T) => boolean, timeoutMs = 60_000, pollMs = 1_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await apiGet<T>(page, stack, path);
    if (done(answer)) return answer;
    if (Date.now() > deadline) assert.fail(`GET ${path}: not there within ${timeoutMs} ms; last answer ${JSON.stringify(answer).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/**
 * Until every sync run of the workspace is finished (after connecting, the schedule starts the first backfill on its
 * own): polled through the API, since page.waitForFunction would not await the fetch.
 */
export function syncRunsSettled(page: Page, stack: Stack, timeoutMs = 180_000): Promise<{ status: string }[]> {
  return waitForApi<{ status: string }[]>(page, stack, '/sync/runs', (runs) => runs.length > 0 && runs.every((r) => r.status === 'done' || r.status === 'failed'), timeoutMs);
}

/** Closes what openSession opened (either part may be missing when `before` failed). */
export async function closeSession(session: { browser?: Browser; stack?: Stack }): Promise<void> {
  await session.browser?.close();
  await session.stack?.stop();
}

/**
 * Connects a CRM the way an admin does: Integrations → "Connect …" → the sandbox's consent page → back on
 * Integrations with `?connected=`. Leaves the page on the Integrations page.
 */
export async function connectCrm(page: Page, stack: Stack, crm: 'hubspot' | 'salesforce'): Promise<void> {
  const [label, consent] = crm === 'hubspot' ? ['HubSpot', 'Approve'] : ['Salesforce', 'Allow'];
  await page.goto(`${stack.adminUrl}/settings/integrations`);
  await page.getByTestId(`integration-${crm}`).getByRole('button', { name: `Connect ${label}` }).click();
  await page.waitForURL((url) => url.origin === stack.sandbox[crm].url);
  await page.getByRole('button', { name: consent }).click();
  await page.waitForURL((url) => url.pathname === '/settings/integrations' && url.searchParams.get('connected') === crm);
}

/** The tabs of a connection's page (`?tab=`), as the admin's CONNECTION_TABS names them. */
export type ConnectionTab = 'overview' | 'mapping' | 'import' | 'export' | 'activities' | 'lists' | 'api-budget' | 'failures';

/**
 * Opens a connection's page on one tab by its link (`/settings/integrations/hubspot?tab=mapping`, what the Integrations
 * card and the tabs link to) and returns the tab's panel once it shows.
 */
export async function openConnectionTab(page: Page, stack: Stack, crm: 'hubspot' | 'salesforce', tab: ConnectionTab): Promise<Locator> {
  await page.goto(`${stack.adminUrl}/settings/integrations/${crm}${tab === 'overview' ? '' : `?tab=${tab}`}`);
  const panel = page.getByTestId(`connection-tab-${tab}`);
  await panel.waitFor();
  // The mapping editor reads the CRM's fields when it opens; edits start once the refreshed mapping is in.
  if (tab === 'mapping') await panel.locator('[data-testid="mapping-editor"][aria-busy="false"]').waitFor();
  return panel;
}
