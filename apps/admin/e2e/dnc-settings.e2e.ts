import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshot } from './support/browser';
import { connectCrm, sessionPerSuite } from './support/session';
import type { Stack } from './support/stack';

describe('Settings → Do not contact: the deal stages that count', { timeout: 300_000 }, () => {
  let stack: Stack;
  let page: Page;

  sessionPerSuite({ height: 1000 }, (s) => ({ stack, page } = s));

  it("offers both CRMs' open stages by name and leaves out the closed ones (only open deals count)", async () => {
    await connectCrm(page, stack, 'hubspot');
    await connectCrm(page, stack, 'salesforce');
    await page.goto(`${stack.adminUrl}/settings/dnc`);
    await page.getByText(/closed stages \(won or lost\) never count and are not listed/).waitFor();
    await page.getByPlaceholder('Every open stage').click();
    await page.getByRole('option', { name: 'Negotiation/Review · Salesforce' }).waitFor();
    const options = await page.getByRole('option').allInnerTexts();
    assert.ok(options.some((o) => o.endsWith('· HubSpot, Sales Pipeline')), `HubSpot stages listed: ${options.join(' | ')}`);
    assert.ok(options.includes('Prospecting · Salesforce'));
    // Salesforce's Closed Won and Closed Lost (OpportunityStage.IsClosed) and HubSpot's closed stages are not offered.
    assert.deepEqual(options.filter((o) => /closed/i.test(o)), []);
    await screenshot(page, 'dnc-deal-stages');
  });
});
