import type { CrmListDto } from '@conduit/contracts';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../test/render';
import { ListsPage } from './lists-page';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const urlOf = (input: RequestInfo | URL) => new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, 'http://localhost');

const LISTS: CrmListDto[] = [
  {
    id: 'l1',
    connectionId: 'c',
    crm: 'hubspot',
    crmListId: '11',
    name: 'Germany',
    kind: 'dynamic',
    source: 'list',
    crmObject: null,
    size: 1200,
    crmUpdatedAt: null,
    memberCount: 1190,
    syncStatus: 'ok',
    lastError: null,
    pausedReason: null,
    resumesAt: null,
    lastSyncedAt: '2026-11-20T10:00:00.000Z',
    deletedInCrmAt: null,
    unavailable: null,
    refreshMinutes: 30,
    usedBy: [
      { campaignId: 'camp1', campaignName: 'DACH push', role: 'audience' },
      { campaignId: null, campaignName: null, role: 'suppression' },
    ],
    syncForecast: null,
  },
  {
    id: 'l2',
    connectionId: 'c2',
    crm: 'salesforce',
    crmListId: '701000000000001',
    name: 'SaaStr Booth',
    kind: 'static',
    source: 'campaign',
    crmObject: null,
    size: 40,
    crmUpdatedAt: null,
    memberCount: 40,
    syncStatus: 'failed',
    lastError: 'INVALID_SESSION_ID',
    pausedReason: null,
    resumesAt: null,
    lastSyncedAt: null,
    deletedInCrmAt: '2026-11-21T10:00:00.000Z',
    unavailable: { state: 'deleted', since: '2026-11-21T10:00:00.000Z', reason: 'This Campaign was deleted in Salesforce.' },
    refreshMinutes: 15,
    usedBy: [],
    syncForecast: null,
  },
  {
    id: 'l3',
    connectionId: 'c2',
    crm: 'salesforce',
    crmListId: 'Contact/00B8d0000000003AAA',
    name: 'Contacts in California',
    kind: 'dynamic',
    source: 'list_view',
    crmObject: 'contact',
    size: null,
    crmUpdatedAt: null,
    memberCount: 0,
    syncStatus: 'never',
    lastError: null,
    pausedReason: null,
    resumesAt: null,
    lastSyncedAt: null,
    deletedInCrmAt: null,
    unavailable: null,
    refreshMinutes: 15,
    usedBy: [],
    syncForecast: null,
  },
];

describe('ListsPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows type, size, sync state and where used; searches by name; shows the 400 of the refresh schedule on its field', async () => {
    const fetchMock = vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
      const url = urlOf(input);
      if (url.pathname === '/api/crm-lists' && (init?.method ?? 'GET') === 'GET') {
        const search = url.searchParams.get('search');
        return Promise.resolve(json(search ? LISTS.filter((l) => l.name.toLowerCase().includes(search.toLowerCase())) : LISTS));
      }
      if (url.pathname === '/api/crm-lists/l1' && init?.method === 'PATCH')
        return Promise.resolve(json({ statusCode: 400, error: 'Bad Request', message: 'Validation failed', errors: [{ field: 'refreshMinutes', messages: ['refreshMinutes must not be less than 5'] }] }, 400));
      return Promise.reject(new Error(`unexpected ${url.pathname}`));
    });
    vi.stubGlobal('fetch', fetchMock);
    renderWithProviders(<ListsPage />, { route: '/lists' });

    const germany = await screen.findByTestId('crm-list-11');
    expect(germany).toHaveTextContent('Dynamic');
    expect(germany).toHaveTextContent('1,200');
    expect(germany).toHaveTextContent('1,190 in Conduit');
    expect(germany).toHaveTextContent('Every 30 min while in use');
    expect(screen.getByRole('link', { name: /DACH push/ })).toHaveAttribute('href', '/campaigns/camp1');
    expect(germany).toHaveTextContent('Every campaign');
    const booth = screen.getByTestId('crm-list-701000000000001');
    expect(booth).toHaveTextContent('Deleted in Salesforce');
    expect(booth.querySelector('[data-status="failed"]')).not.toBeNull();
    expect(booth).toHaveTextContent('Salesforce Campaign');
    expect(screen.getByRole('button', { name: 'Sync SaaStr Booth now' })).toBeDisabled();
    expect(germany).toHaveTextContent('HubSpot list');
    const california = screen.getByTestId('crm-list-Contact/00B8d0000000003AAA');
    expect(california).toHaveTextContent('Contacts in California');
    expect(california).toHaveTextContent('Salesforce list view · Contacts');
    expect(california).toHaveTextContent('Dynamic');
    expect(california).toHaveTextContent('Every 15 min while in use');
    expect(california).not.toHaveTextContent('Deleted');

    fireEvent.change(screen.getByRole('textbox', { name: 'Search lists' }), { target: { value: 'saastr' } });
    await waitFor(() => expect(screen.queryByTestId('crm-list-11')).toBeNull());
    expect(fetchMock.mock.calls.some(([u]) => urlOf(u).searchParams.get('search') === 'saastr')).toBe(true);

    fireEvent.change(screen.getByRole('textbox', { name: 'Search lists' }), { target: { value: '' } });
    fireEvent.click(await screen.findByRole('button', { name: 'Change refresh schedule of Germany' }));
    const minutes = await screen.findByRole('textbox', { name: 'Re-read every (minutes)' });
    fireEvent.change(minutes, { target: { value: '2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Refresh minutes must be at least 5')).toBeInTheDocument();
  });
});
