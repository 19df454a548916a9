import type { CampaignDto, CrmListDto, ExcludedPageDto, RecipientCountsDto, RecipientsPageDto } from '@conduit/contracts';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../test/render';
import { CampaignEditorPage } from './campaign-editor-page';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const urlOf = (input: RequestInfo | URL) => new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, 'http://localhost');

const list = (over: Partial<CrmListDto>): CrmListDto => ({
  id: 'l1',
  connectionId: 'c',
  crm: 'hubspot',
  crmListId: '1',
  name: 'Q1 outbound',
  kind: 'static',
  source: 'list',
  crmObject: null,
  size: 3,
  crmUpdatedAt: null,
  memberCount: 3,
  syncStatus: 'ok',
  lastError: null,
  pausedReason: null,
  resumesAt: null,
  lastSyncedAt: '2026-11-20T10:00:00.000Z',
  deletedInCrmAt: null,
  unavailable: null,
  refreshMinutes: 15,
  usedBy: [],
  syncForecast: null,
  ...over,
});

const DELETED = { state: 'deleted' as const, since: '2026-11-21T10:00:00.000Z', reason: 'This list was deleted in HubSpot.' };
const UNREADABLE = {
  state: 'unreadable' as const,
  since: '2026-11-22T10:00:00.000Z',
  reason: 'Salesforce no longer lets Conduit read this list view: its filter uses the field Segment__c, which the connected Salesforce user cannot read.',
};
const TECH = { id: 'l3', name: 'Technology industry', kind: 'dynamic' as const, crm: 'salesforce' as const, source: 'list_view' as const, crmObject: 'lead' as const, memberCount: 2600 };
const LISTS = [
  list({}),
  list({ id: 'l2', crmListId: '2', name: 'Churned', deletedInCrmAt: '2026-11-21T10:00:00.000Z', unavailable: DELETED, memberCount: 7 }),
  list({ ...TECH, connectionId: 'c2', crmListId: 'Lead/00B8d0000000002AAA', size: 2600, deletedInCrmAt: null, unavailable: UNREADABLE }),
];

const CAMPAIGN: CampaignDto = {
  id: 'camp1',
  name: 'Q1 push',
  status: 'active',
  channel: 'email',
  audiences: [
    { id: 'a1', kind: 'crm_list', list: { id: 'l1', name: 'Q1 outbound', kind: 'static', crm: 'hubspot', source: 'list', crmObject: null, memberCount: 3, deletedInCrmAt: null, unavailable: null }, personId: null },
    { id: 'a2', kind: 'crm_list', list: { ...TECH, deletedInCrmAt: null, unavailable: UNREADABLE }, personId: null },
  ],
  suppressions: [
    { id: 's1', campaignId: 'camp1', list: { id: 'l2', name: 'Churned', kind: 'static', crm: 'hubspot', source: 'list', crmObject: null, memberCount: 7, deletedInCrmAt: '2026-11-21T10:00:00.000Z', unavailable: DELETED } },
  ],
  deletedLists: [{ id: 'l2', name: 'Churned' }],
  unavailableLists: [
    { id: 'l3', name: 'Technology industry', crm: 'salesforce', source: 'list_view', crmObject: 'lead', ...UNREADABLE },
    { id: 'l2', name: 'Churned', crm: 'hubspot', source: 'list', crmObject: null, ...DELETED },
  ],
  createdAt: '2026-11-20T10:00:00.000Z',
  updatedAt: '2026-11-20T10:00:00.000Z',
};

const COUNTS: RecipientCountsDto = { audience: 4, suppressed: 1, dnc: 1, consent: 1, final: 1 };
const RECIPIENTS: RecipientsPageDto = { items: [{ personId: 'p1', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', companyName: 'Analytical' }], page: 1, pageSize: 25, total: 1 };
const EXCLUDED: ExcludedPageDto = {
  page: 1,
  pageSize: 25,
  total: 3,
  items: [
    { personId: 'p2', firstName: 'Bob', lastName: 'Byte', email: 'bob@example.com', companyName: null, reasons: [{ reason: 'suppressed', detail: 'Churned' }] },
    { personId: 'p3', firstName: 'Cy', lastName: 'Cache', email: 'cy@acme.com', companyName: 'Acme', reasons: [{ reason: 'dnc_open_deal', detail: 'Acme renewal' }, { reason: 'dnc_domain', detail: 'acme.com' }] },
    {
      personId: 'p4', firstName: 'Di', lastName: 'Dot', email: 'di@dot.example', companyName: null,
      reasons: [
        { reason: 'email_opted_out', detail: 'Unsubscribed from all email', crm: 'hubspot', at: '2020-12-03T09:00:00.000Z' },
        { reason: 'email_bounced', detail: '550 no such user', crm: null, at: '2020-12-04T09:00:00.000Z' },
      ],
    },
  ],
};

describe('CampaignEditorPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows the counts, flags lists deleted or unreadable in the CRM with their reasons and lists each excluded person with the reasons', async () => {
    const fetchMock = vi.fn((input: RequestInfo | URL) => {
      const { pathname } = urlOf(input);
      if (pathname === '/api/campaigns/camp1') return Promise.resolve(json(CAMPAIGN));
      if (pathname === '/api/crm-lists') return Promise.resolve(json(LISTS));
      if (pathname === '/api/campaigns/camp1/recipients/counts') return Promise.resolve(json(COUNTS));
      if (pathname === '/api/campaigns/camp1/recipients') return Promise.resolve(json(RECIPIENTS));
      if (pathname === '/api/campaigns/camp1/recipients/excluded') return Promise.resolve(json(EXCLUDED));
      return Promise.reject(new Error(`unexpected ${pathname}`));
    });
    vi.stubGlobal('fetch', fetchMock);
    renderWithProviders(<CampaignEditorPage />, { route: '/campaigns/camp1', path: '/campaigns/:id' });

    const alert = await screen.findByTestId('deleted-lists-alert');
    expect(alert).toHaveTextContent('A list of this campaign can no longer be read');
    expect(screen.getByTestId('unavailable-list-l2')).toHaveTextContent('Churned: This list was deleted in HubSpot. The campaign keeps its last known 7 members until you remove the list here.');
    expect(screen.getByTestId('unavailable-list-l3')).toHaveTextContent(
      'Salesforce list view · Leads · Technology industry: Salesforce no longer lets Conduit read this list view: its filter uses the field Segment__c, which the connected Salesforce user cannot read. The campaign keeps its last known 2,600 members until the list can be read again or you remove it here.',
    );
    // The pickers name a list view by its object, as the Lists page does.
    expect(screen.getAllByText('Salesforce list view · Leads · Technology industry · dynamic · 2,600 · unreadable in CRM').length).toBeGreaterThan(0);
    expect(await screen.findByTestId('count-audience')).toHaveTextContent('4');
    expect(screen.getByTestId('count-suppressed')).toHaveTextContent('1');
    expect(screen.getByTestId('count-dnc')).toHaveTextContent('1');
    expect(screen.getByTestId('count-consent')).toHaveTextContent('1');
    expect(screen.getByTestId('count-final')).toHaveTextContent('1');
    expect(await screen.findByRole('link', { name: 'Ada Lovelace' })).toHaveAttribute('href', '/prospects/p1');

    fireEvent.click(screen.getByRole('tab', { name: 'Excluded (3)' }));
    expect(await screen.findByText('Suppression list: Churned')).toBeInTheDocument();
    const reasons = [...document.querySelectorAll('[data-testid="excluded-row"][data-email="cy@acme.com"] [data-reason]')].map((b) => b.textContent);
    expect(reasons).toEqual(['Open deal: Acme renewal', 'Do-not-contact domain: acme.com']);
    const consent = [...document.querySelectorAll('[data-testid="excluded-row"][data-email="di@dot.example"] [data-reason]')].map((b) => b.textContent);
    expect(consent).toEqual(['Unsubscribed in HubSpot on 3 Dec 2020', 'Email bounced (reported by the outbound engine) on 4 Dec 2020']);
  });

  it('shows the API 400 field errors on the fields of a new campaign', async () => {
    const posted: unknown[] = [];
    const fetchMock = vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
      const { pathname } = urlOf(input);
      if (pathname === '/api/crm-lists') return Promise.resolve(json(LISTS));
      if (pathname === '/api/people') return Promise.resolve(json({ items: [], total: 0, page: 1, pageSize: 20 }));
      if (pathname === '/api/campaigns' && init?.method === 'POST') {
        posted.push(JSON.parse(init.body as string));
        return Promise.resolve(
          json(
            {
              statusCode: 400,
              error: 'Bad Request',
              message: 'Validation failed',
              errors: [
                { field: 'name', messages: ['name must be shorter than or equal to 200 characters'] },
                { field: 'audienceListIds', messages: ['list l9 does not exist in this workspace'] },
              ],
            },
            400,
          ),
        );
      }
      return Promise.reject(new Error(`unexpected ${pathname}`));
    });
    vi.stubGlobal('fetch', fetchMock);
    renderWithProviders(<CampaignEditorPage />, { route: '/campaigns/new', path: '/campaigns/:id' });

    fireEvent.change(await screen.findByRole('textbox', { name: 'Name' }), { target: { value: 'x'.repeat(201) } });
    fireEvent.click(screen.getByRole('button', { name: 'Create campaign' }));
    expect(await screen.findByText('Name is too long: at most 200 characters')).toBeInTheDocument();
    expect(screen.getByText(/: list l9 does not exist in this workspace$/)).toBeInTheDocument();
    await waitFor(() => expect(posted).toEqual([{ name: 'x'.repeat(201), status: 'draft', audienceListIds: [], audiencePersonIds: [], suppressionListIds: [] }]));
  });
});
