import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CampaignDto, ConnectionDto, CrmListDto, Page as ApiPage, PersonDto, ProvenanceDto } from '@conduit/contracts';
import type { Browser, Page } from 'playwright-core';
import { closeSession, connectCrm, openSession, waitForApi } from './support/session';
import { RESULTS_DIR, type Stack } from './support/stack';

/** What the issue's walkthrough used: a laptop and a phone. */
const VIEWPORTS = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

const CONNECTION_TABS = ['overview', 'mapping', 'import', 'export', 'activities', 'lists', 'api-budget', 'failures'] as const;

/** One clipped element: where, what it holds, and by how much its content overflows its box. */
interface Clipped {
  page: string;
  viewport: string;
  element: string;
  text: string;
  overflow: string;
}

/**
 * In the page: text-bearing table cells and badges whose content overflows their box (scrollWidth > clientWidth, or
 * taller than a one-line badge), plus any element inside a cell or badge that hides part of its text. An ellipsis is
 * allowed where a title attribute gives the full text. Inputs are left out (a long value scrolls inside them).
 */
function findClipped(): Omit<Clipped, 'page' | 'viewport'>[] {
  const visible = (el: Element) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && style.display !== 'none';
  };
  const titled = (el: Element) => Boolean(el.closest('[title]:not([title=""])'));
  const describe = (el: Element) => {
    const testId = el.closest('[data-testid]')?.getAttribute('data-testid');
    const cls = [...el.classList].find((c) => c.startsWith('mantine-')) ?? '';
    return `${el.tagName.toLowerCase()}${cls ? `.${cls}` : ''}${testId ? ` in [data-testid=${testId}]` : ''}`;
  };
  const text = (el: Element) => (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 80);
  const found: Omit<Clipped, 'page' | 'viewport'>[] = [];
  const seen = new Set<Element>();
  const check = (el: Element) => {
    if (seen.has(el) || !visible(el) || text(el) === '') return;
    seen.add(el);
    // Screen-reader-only text is a 1 px box on purpose.
    if (el.matches('input, textarea, select, svg, svg *') || el.closest('.mantine-VisuallyHidden-root')) return;
    const style = getComputedStyle(el);
    // A scroll container is meant to scroll (a wide table on a phone).
    if (style.overflowX === 'auto' || style.overflowX === 'scroll') return;
    const wide = el.scrollWidth - el.clientWidth;
    const badge = el.matches('.mantine-Badge-root, .mantine-Badge-label');
    const tall = badge ? el.scrollHeight - el.clientHeight : 0;
    if ((wide > 1 || tall > 1) && !titled(el)) {
      found.push({ element: describe(el), text: text(el), overflow: `${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight}` });
    }
  };
  // A value squeezed out of its field in a table row ("Hub" for HubSpot in a narrow select).
  for (const input of document.querySelectorAll<HTMLInputElement>('td input:not([type=hidden]):not([type=checkbox]):not([type=radio])')) {
    if (input.value && visible(input) && input.scrollWidth - input.clientWidth > 1 && !titled(input)) {
      found.push({ element: `${describe(input)} "${input.getAttribute('aria-label') ?? ''}"`, text: input.value.slice(0, 80), overflow: `${input.scrollWidth} in ${input.clientWidth}` });
    }
  }
  // The page itself wider than the screen: what sticks out, outside any scroll container.
  if (document.documentElement.scrollWidth > window.innerWidth + 1) {
    const main = document.querySelector('main') ?? document.body;
    const clipsOrScrolls = (el: Element) => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(el).overflowX);
    const sticksOut = (el: Element) => {
      if (el.getBoundingClientRect().right <= window.innerWidth + 1) return false;
      for (let a = el.parentElement; a && a !== main; a = a.parentElement) if (clipsOrScrolls(a)) return false;
      return true;
    };
    for (const el of main.querySelectorAll('*')) {
      if (sticksOut(el) && !(el.parentElement && el.parentElement !== main && sticksOut(el.parentElement))) {
        found.push({ element: `page wider than the screen: ${describe(el)}`, text: text(el), overflow: `${Math.round(el.getBoundingClientRect().right)} > ${window.innerWidth}` });
      }
    }
  }
  for (const el of document.querySelectorAll('td, th, .mantine-Badge-root, .mantine-Badge-label')) {
    check(el);
    // Anything inside that hides what does not fit (a truncated Text, a fixed-width Group).
    for (const inner of el.querySelectorAll('*')) {
      const style = getComputedStyle(inner);
      if (style.overflowX === 'hidden' || style.overflowX === 'clip' || style.textOverflow === 'ellipsis') check(inner);
    }
  }
  return found;
}

/** Full-page screenshots of every page (to look at them), not only of the pages where something is clipped. */
const SCREENSHOT_ALL = process.env.E2E_LAYOUT_SCREENSHOTS === '1';

/**
 * Issue 21's layout check: every admin page, with the seed's data, both sandbox CRMs connected and their first import
 * done, at 1440×900 and 390×844. Fails on text clipped in tables and badges, listing each element. A page with
 * clipped text is saved as test-results/e2e/layout-<viewport>-<page>.png (every page with E2E_LAYOUT_SCREENSHOTS=1).
 */
describe('Layout: no clipped text in tables and badges, on any page, desktop and phone', { timeout: 900_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  const pages: { name: string; path: string }[] = [];

  const api = async <T>(path: string, init?: { method: 'POST'; data: unknown }): Promise<T> => {
    const res = init ? await page.request.post(`${stack.adminUrl}/api${path}`, { data: init.data }) : await page.request.get(`${stack.adminUrl}/api${path}`);
    assert.ok(res.ok(), `${path}: ${res.status()} ${await res.text()}`);
    return (await res.json()) as T;
  };

  before(async () => {
    ({ stack, browser, page } = await openSession({ height: 900, timeoutMs: 30_000 }));
    // tsx keeps function names with an `__name` helper that a function sent to the page would call: give it one there.
    await page.addInitScript({ content: 'window.__name = (f) => f;' });
    await connectCrm(page, stack, 'hubspot');
    await connectCrm(page, stack, 'salesforce');
    // The scheduler starts each CRM's first backfill: wait until both are over, so provenance, lists and runs exist.
    const connections = await api<ConnectionDto[]>('/connections');
    await waitForApi<{ connectionId: string; kind: string; status: string }[]>(
      page,
      stack,
      '/sync/runs',
      (runs) => {
        const backfilled = (id: string | null) => runs.some((r) => r.connectionId === id && r.kind === 'backfill');
        return connections.every((c) => c.state !== 'connected' || backfilled(c.id)) && runs.every((r) => ['done', 'failed', 'paused'].includes(r.status));
      },
      300_000,
      2_000,
    );

    // A person and a company imported from a CRM (their provenance tables have rows), a run, a campaign over CRM lists.
    // Imported people are the newest.
    const people = await api<ApiPage<PersonDto>>('/people?pageSize=40&sort=createdAt&order=desc');
    let personId = people.items[0]?.id;
    for (const p of people.items) {
      if ((await api<ProvenanceDto>(`/people/${p.id}/provenance`)).current.some((e) => e.source === 'crm')) {
        personId = p.id;
        break;
      }
    }
    const companies = await api<ApiPage<{ id: string }>>('/companies?pageSize=1&sort=createdAt&order=desc');
    const runs = await api<{ id: string }[]>('/sync/runs');
    const lists = await api<CrmListDto[]>('/crm-lists');
    const campaign = await api<CampaignDto>('/campaigns', {
      method: 'POST',
      data: {
        name: 'Layout check — Q1 outbound to HubSpot and Salesforce lists',
        audienceListIds: lists.filter((l) => l.crm === 'hubspot').slice(0, 2).map((l) => l.id),
        audiencePersonIds: people.items.slice(0, 30).map((p) => p.id),
        suppressionListIds: lists.filter((l) => l.crm === 'salesforce').slice(0, 1).map((l) => l.id),
      },
    });
    const workflows = await api<{ kind: string }[]>('/workflows');

    pages.push(
      { name: 'prospects', path: '/prospects' },
      { name: 'person', path: `/prospects/${personId ?? ''}` },
      { name: 'companies', path: '/companies' },
      { name: 'company', path: `/companies/${companies.items[0]?.id ?? ''}` },
      { name: 'campaigns', path: '/campaigns' },
      { name: 'campaign', path: `/campaigns/${campaign.id}` },
      { name: 'lists', path: '/lists' },
      { name: 'activity', path: '/activity' },
      { name: 'needs-attention', path: '/needs-attention' },
      { name: 'workflows', path: '/workflows' },
      ...workflows.map((w) => ({ name: `workflow-${w.kind}`, path: `/workflows/${w.kind.replace(/_/g, '-')}` })),
      { name: 'integrations', path: '/settings/integrations' },
      ...(['hubspot', 'salesforce'] as const).flatMap((crm) => CONNECTION_TABS.map((tab) => ({ name: `${crm}-${tab}`, path: `/settings/integrations/${crm}?tab=${tab}` }))),
      { name: 'sync', path: '/settings/sync' },
      { name: 'sync-history', path: '/settings/sync-history' },
      { name: 'sync-run', path: `/settings/sync-history/${runs[0]?.id ?? ''}` },
      { name: 'api-budget', path: '/settings/api-budget' },
      { name: 'team', path: '/settings/team' },
      { name: 'dnc', path: '/settings/dnc' },
      { name: 'privacy', path: '/settings/privacy' },
    );
  });
  after(() => closeSession({ browser, stack }));

  /** Loads a page and waits until its skeletons and loaders are gone (the data is on screen). */
  async function load(path: string): Promise<void> {
    await page.goto(`${stack.adminUrl}${path}`);
    await page.locator('main').waitFor();
    await page.waitForFunction(() => !document.querySelector('main .mantine-Skeleton-root, main .mantine-Loader-root[aria-label="Loading page"], main [data-loading="true"]'), undefined, {
      timeout: 30_000,
    });
    // Fonts and charts settle after the data arrives.
    await page.evaluate(() => document.fonts.ready);
    await page.waitForTimeout(150);
  }

  for (const viewport of VIEWPORTS) {
    it(`clips no text in tables and badges at ${viewport.width}×${viewport.height}`, async () => {
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
      const clipped: Clipped[] = [];
      for (const p of pages) {
        await load(p.path);
        assert.equal(await page.getByText('Page not found').count(), 0, `${p.path} is an admin page`);
        const found = await page.evaluate(findClipped);
        if (found.length || SCREENSHOT_ALL) await page.screenshot({ path: join(RESULTS_DIR, `layout-${viewport.name}-${p.name}.png`), fullPage: true });
        clipped.push(...found.map((c) => ({ page: p.path, viewport: viewport.name, ...c })));
      }
      assert.deepEqual(clipped, [], `clipped text:\n${clipped.map((c) => `${c.page} [${c.viewport}] ${c.element} "${c.text}" ${c.overflow}`).join('\n')}`);
    });
  }
});
