import type { CrmRecordRefDto, DncSettingsDto, PersonDncDto } from '@conduit/contracts';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../test/render';
import { DncSettingsPage, dealStageOptions, parseDomains } from './dnc-settings-page';
import { PersonDncPanel, reasonLines } from './person-dnc-panel';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const urlOf = (input: RequestInfo | URL) => new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, 'http://localhost');

const SETTINGS: DncSettingsDto = {
  openDeals: true,
  openDealStages: ['contractsent'],
  closedWonCustomers: true,
  hubspotCustomerStages: ['customer'],
  salesforceCustomerTypes: ['Customer'],
  domains: ['rival.com'],
};

describe('parseDomains', () => {
  it('splits on lines, commas and spaces and drops blanks', () => {
    expect(parseDomains('rival.com\n\n  partner.io, other.org ;x.dev ')).toEqual(['rival.com', 'partner.io', 'other.org', 'x.dev']);
  });
});

describe('dealStageOptions', () => {
  it("names open stages by label and CRM, stores each CRM's value, and keeps a saved stage no CRM lists", () => {
    const pipelines = [{ id: 'default', label: 'Sales Pipeline', stages: [{ id: 'contractsent', label: 'Contract Sent', closed: false }, { id: 'closedwon', label: 'Closed Won', closed: true }] }];
    const stages = [{ value: 'Negotiation/Review', label: 'Negotiation/Review', closed: false }];
    expect(dealStageOptions(pipelines, stages, ['contractsent', 'old_stage'])).toEqual([
      { value: 'contractsent', label: 'Contract Sent · HubSpot, Sales Pipeline' },
      { value: 'Negotiation/Review', label: 'Negotiation/Review · Salesforce' },
      { value: 'old_stage', label: 'old_stage' },
    ]);
  });

  it("leaves out both CRMs' closed stages (only open deals count); a saved closed stage says it has no effect", () => {
    const pipelines = [{ id: 'default', label: 'Sales Pipeline', stages: [{ id: 'contractsent', label: 'Contract Sent', closed: false }, { id: 'closedlost', label: 'Closed Lost', closed: true }] }];
    const stages = [
      { value: 'Negotiation/Review', label: 'Negotiation/Review', closed: false },
      { value: 'Closed Won', label: 'Closed Won', closed: true },
      { value: 'Closed Lost', label: 'Closed Lost', closed: true },
    ];
    expect(dealStageOptions(pipelines, stages, [])).toEqual([
      { value: 'contractsent', label: 'Contract Sent · HubSpot, Sales Pipeline' },
      { value: 'Negotiation/Review', label: 'Negotiation/Review · Salesforce' },
    ]);
    expect(dealStageOptions(pipelines, stages, ['Closed Won', 'closedlost']).slice(2)).toEqual([
      { value: 'Closed Won', label: 'Closed Won · Salesforce (closed: has no effect)' },
      { value: 'closedlost', label: 'Closed Lost · HubSpot, Sales Pipeline (closed: has no effect)' },
    ]);
  });
});

describe('DncSettingsPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('loads the rules, sends the edited ones and shows a 400 on the domains field', async () => {
    const sent: unknown[] = [];
    const fetchMock = vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
      const { pathname } = urlOf(input);
      if (pathname === '/api/dnc/settings' && (init?.method ?? 'GET') === 'GET') return Promise.resolve(json(SETTINGS));
      if (pathname === '/api/dnc/settings' && init?.method === 'PUT') {
        sent.push(JSON.parse(init.body as string));
        return Promise.resolve(
          json({ statusCode: 400, error: 'Bad Request', message: 'Validation failed', errors: [{ field: 'domains', messages: ['each value in domains must be a domain such as example.com'] }] }, 400),
        );
      }
      return Promise.reject(new Error(`unexpected ${pathname}`));
    });
    vi.stubGlobal('fetch', fetchMock);
    renderWithProviders(<DncSettingsPage />, { route: '/settings/dnc' });

    const domains = await screen.findByRole('textbox', { name: 'Do-not-contact domains' });
    expect(domains).toHaveValue('rival.com');
    expect(screen.getByText('contractsent')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('switch', { name: 'A company with a closed-won deal is a customer' }));
    fireEvent.change(domains, { target: { value: 'rival.com\nnot a domain' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Domains: each value must be a domain such as example.com')).toBeInTheDocument();
    await waitFor(() => expect(sent).toEqual([{ ...SETTINGS, closedWonCustomers: false, domains: ['rival.com', 'not', 'a', 'domain'] }]));
  });

  it('with the CRMs connected, the deal stages that count show by their names, not their internal ids', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn((input: RequestInfo | URL) => {
        const { pathname } = urlOf(input);
        if (pathname === '/api/dnc/settings') return Promise.resolve(json(SETTINGS));
        if (pathname === '/api/workflows/deal-pipelines') return Promise.resolve(json([{ id: 'default', label: 'Sales Pipeline', stages: [{ id: 'contractsent', label: 'Contract Sent', closed: false }] }]));
        if (pathname === '/api/workflows/opportunity-stages') return Promise.resolve(json({ statusCode: 409, message: 'Salesforce is not connected' }, 409));
        return Promise.reject(new Error(`unexpected ${pathname}`));
      }),
    );
    renderWithProviders(<DncSettingsPage />, { route: '/settings/dnc' });
    expect((await screen.findAllByText('Contract Sent · HubSpot, Sales Pipeline')).length).toBeGreaterThan(0);
    expect(screen.queryByText('contractsent')).not.toBeInTheDocument();
  });

  it("the picker offers both CRMs' open stages only: Salesforce's Closed Won and Closed Lost are not listed", async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn((input: RequestInfo | URL) => {
        const { pathname } = urlOf(input);
        if (pathname === '/api/dnc/settings') return Promise.resolve(json({ ...SETTINGS, openDealStages: [] }));
        if (pathname === '/api/workflows/deal-pipelines')
          return Promise.resolve(json([{ id: 'default', label: 'Sales Pipeline', stages: [{ id: 'contractsent', label: 'Contract Sent', closed: false }, { id: 'closedwon', label: 'Closed Won', closed: true }] }]));
        if (pathname === '/api/workflows/opportunity-stages')
          return Promise.resolve(
            json([
              { value: 'Negotiation/Review', label: 'Negotiation/Review', closed: false },
              { value: 'Closed Won', label: 'Closed Won', closed: true },
              { value: 'Closed Lost', label: 'Closed Lost', closed: true },
            ]),
          );
        return Promise.reject(new Error(`unexpected ${pathname}`));
      }),
    );
    renderWithProviders(<DncSettingsPage />, { route: '/settings/dnc' });
    await screen.findByText(/closed stages \(won or lost\) never count and are not listed/);
    const picker = await screen.findByPlaceholderText('Every open stage');
    fireEvent.click(picker);
    expect(await screen.findByRole('option', { name: 'Negotiation/Review · Salesforce', hidden: true })).toBeInTheDocument();
    expect(screen.getByRole('option', { name: 'Contract Sent · HubSpot, Sales Pipeline', hidden: true })).toBeInTheDocument();
    expect(screen.queryAllByRole('option', { name: /Closed/, hidden: true })).toEqual([]);
  });
});

describe('PersonDncPanel', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows the status, every reason and the deals behind it, in words: an unnamed deal is never its bare id', async () => {
    const ref = (crmObject: 'deal' | 'company', crmId: string, name: string | null): CrmRecordRefDto => ({
      crm: 'hubspot',
      crmObject,
      crmId,
      name,
      personId: null,
      companyId: crmObject === 'company' ? 'co1' : null,
      crmRecordUrl: `https://app.hubspot.com/contacts/1/record/${crmObject}/${crmId}`,
    });
    const dnc: PersonDncDto = {
      personId: 'p1',
      dnc: true,
      reasons: [
        { reason: 'open_deal', detail: 'Acme renewal', dealId: 'd1', record: ref('deal', '9', 'Acme renewal') },
        { reason: 'open_deal', detail: null, dealId: 'd3', record: ref('deal', '7731', null) },
        { reason: 'customer', detail: 'customer', dealId: null, record: ref('company', '55', 'Acme') },
        { reason: 'domain', detail: 'rival.com', dealId: null, record: null },
      ],
      deals: [
        { id: 'd1', connectionId: 'c', crm: 'hubspot', crmId: '9', name: 'Acme renewal', stage: 'contractsent', amount: 12000, closeDate: '2026-12-01', isClosed: false, isWon: false, record: ref('deal', '9', 'Acme renewal') },
        { id: 'd3', connectionId: 'c', crm: 'hubspot', crmId: '7731', name: null, stage: 'contractsent', amount: null, closeDate: null, isClosed: false, isWon: false, record: ref('deal', '7731', null) },
        { id: 'd2', connectionId: 'c', crm: 'hubspot', crmId: '8', name: 'Acme 2025', stage: 'closedwon', amount: null, closeDate: null, isClosed: true, isWon: true, record: ref('deal', '8', 'Acme 2025') },
      ],
    };
    vi.stubGlobal(
      'fetch',
      vi.fn((input: RequestInfo | URL) =>
        urlOf(input).pathname === '/api/people/p1/dnc'
          ? Promise.resolve(json(dnc))
          : urlOf(input).pathname === '/api/workflows/deal-pipelines'
            ? Promise.resolve(json([{ id: 'default', label: 'Sales Pipeline', stages: [{ id: 'contractsent', label: 'Contract Sent', closed: false }, { id: 'closedwon', label: 'Closed Won', closed: true }] }]))
            : Promise.reject(new Error('unexpected')),
      ),
    );
    renderWithProviders(<PersonDncPanel personId="p1" />);
    const panel = await screen.findByTestId('person-dnc');
    await waitFor(() => expect(panel.querySelector('[data-dnc="true"]')).not.toBeNull());
    expect([...panel.querySelectorAll('[data-reason]')].map((r) => r.textContent)).toEqual([
      'Open deal:Acme renewalHubSpot deal',
      'Open deal:Unnamed HubSpot dealHubSpot deal',
      'Customer:their company is a customer in HubSpot (lifecycle stage: Customer)AcmeHubSpot company',
      'Do-not-contact domain:rival.com',
    ]);
    const deals = screen.getByRole('table', { name: 'Deals' });
    expect(deals).toHaveTextContent('Unnamed HubSpot deal');
    expect(deals).not.toHaveTextContent('7731');
    expect(panel.querySelector('[data-crm-id="7731"] [data-testid="record-crm-link"]')?.getAttribute('href')).toBe('https://app.hubspot.com/contacts/1/record/deal/7731');
    expect(deals).toHaveTextContent('Acme renewal');
    expect(deals).toHaveTextContent('Open');
    expect(deals).toHaveTextContent('Won');
    expect(deals).toHaveTextContent('12,000');
    // HubSpot's stage ids by their names, with the close date and amount in one line under the deal.
    await waitFor(() => expect([...deals.querySelectorAll('[data-testid="dnc-deal-facts"]')].map((f) => f.textContent)).toEqual(['Contract Sent · closes Dec 1, 2026 · 12,000', 'Contract Sent', 'Closed Won']));
  });

  it("a person not left out says which rules they meet, even beside their company's open deals", async () => {
    const deal: PersonDncDto['deals'][number] = {
      id: 'd1', connectionId: 'c', crm: 'salesforce', crmId: '006A', name: 'Acme — Platform', stage: 'Prospecting', amount: null, closeDate: null, isClosed: false, isWon: false,
      record: { crm: 'salesforce', crmObject: 'deal', crmId: '006A', name: 'Acme — Platform', personId: null, companyId: null, crmRecordUrl: 'https://sf.example/006A' },
    };
    const dnc: PersonDncDto = { personId: 'p2', dnc: false, reasons: [], deals: [deal] };
    vi.stubGlobal('fetch', vi.fn((input: RequestInfo | URL) => (urlOf(input).pathname === '/api/people/p2/dnc' ? Promise.resolve(json(dnc)) : Promise.reject(new Error('unexpected')))));
    renderWithProviders(<PersonDncPanel personId="p2" />);
    expect(await screen.findByText('Campaigns include them: they are on no open deal, their company is not a customer, and their email domain is not blocked.')).toBeInTheDocument();
    expect(screen.getByText('Deals they or their company are on')).toBeInTheDocument();
    expect(screen.getByRole('table', { name: 'Deals' })).toHaveTextContent('Acme — Platform');
  });

  it('the won deals of the company are one reason, naming each deal', () => {
    const deal = (crmId: string, name: string): CrmRecordRefDto => ({ crm: 'hubspot', crmObject: 'deal', crmId, name, personId: null, companyId: null, crmRecordUrl: null });
    const lines = reasonLines([
      { reason: 'customer', detail: 'Sparrow – Annual', dealId: 'd1', record: deal('1', 'Sparrow – Annual') },
      { reason: 'customer', detail: 'Sparrow – Expansion', dealId: 'd2', record: deal('2', 'Sparrow – Expansion') },
      { reason: 'open_deal', detail: 'Sparrow – Pilot', dealId: 'd3', record: deal('3', 'Sparrow – Pilot') },
    ]);
    expect(lines.map((l) => [l.reason, l.text, l.records.map((r) => r.name)])).toEqual([
      ['customer', '2 deals of their company were won', ['Sparrow – Annual', 'Sparrow – Expansion']],
      ['open_deal', null, ['Sparrow – Pilot']],
    ]);
  });
});
