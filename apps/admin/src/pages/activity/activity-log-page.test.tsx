import type { ActivityDto, ActivityListDto, ActivitySettingsDto } from '@conduit/contracts';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../test/render';
import { ActivitySettingsForm } from '../settings/activity-settings-dialog';
import { ActivityLogPage } from './activity-log-page';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const urlOf = (input: RequestInfo | URL) => (typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);

const PERSON = '11111111-1111-4111-8111-111111111111';
const activity = (over: Partial<ActivityDto>): ActivityDto => ({
  id: '22222222-2222-4222-8222-222222222222',
  idempotencyKey: 'k1',
  type: 'email_sent',
  personId: PERSON,
  performerUserId: null,
  occurredAt: '2026-11-20T10:00:00.000Z',
  details: { subject: 'Hello there' },
  deliveries: [],
  createdAt: '2026-11-20T10:00:01.000Z',
  ...over,
});

describe('ActivityLogPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows each delivery status, the CRM link, the failure reason and retries a failed one', async () => {
    const list: ActivityListDto = {
      page: 1,
      pageSize: 25,
      total: 3,
      items: [
        activity({
          id: 'a1',
          deliveries: [{ crm: 'hubspot', status: 'logged', crmId: '9', crmObject: 'emails', recordUrl: 'https://crm.example/emails/9', reason: null, loggedAt: null, waiting: null }],
        }),
        activity({ id: 'a2', type: 'note', details: { body: 'A note' }, deliveries: [{ crm: 'hubspot', status: 'not_synced_type_off', crmId: null, crmObject: null, recordUrl: null, reason: null, loggedAt: null, waiting: null }] }),
        activity({ id: 'a3', type: 'call', details: {}, deliveries: [{ crm: 'hubspot', status: 'failed', crmId: null, crmObject: null, recordUrl: null, reason: 'Property hs_call_status is invalid', loggedAt: null, waiting: null }] }),
      ],
    };
    const fetchMock = vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
      const url = urlOf(input);
      if (url.includes('/activities/a3/retry') && init?.method === 'POST') return Promise.resolve(json(list.items[2]));
      if (url.includes('/api/activities')) return Promise.resolve(json(list));
      if (url.includes('/api/team')) return Promise.resolve(json([]));
      if (url.includes(`/api/people/${PERSON}`)) return Promise.resolve(json({ id: PERSON, firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' }));
      if (url.includes('/api/consent/deliveries')) return Promise.resolve(json({ items: [], total: 0, page: 1, pageSize: 10 }));
      return Promise.reject(new Error(`unexpected ${url}`));
    });
    vi.stubGlobal('fetch', fetchMock);
    renderWithProviders(<ActivityLogPage />, { route: '/activity' });
    expect(await screen.findByText('No opt-outs or bounces yet')).toBeInTheDocument();
    // In words for the admin (#21), not the route the engine posts to.
    expect(screen.getByText('They appear here as soon as your outbound engine reports them. It connects to Conduit with an API key (Settings → Team).')).toBeInTheDocument();
    expect(await screen.findByText('Property hs_call_status is invalid')).toBeInTheDocument();
    const statuses = [...document.querySelectorAll('tbody [data-status]')].map((el) => el.textContent);
    expect(statuses).toEqual(['Logged', 'Not synced (type off)', 'Failed']);
    expect(screen.getByRole('link', { name: 'Open in HubSpot' })).toHaveAttribute('href', 'https://crm.example/emails/9');
    expect((await screen.findAllByRole('link', { name: 'Ada Lovelace' }))[0]).toHaveAttribute('href', `/prospects/${PERSON}`);
    const retries = screen.getAllByRole('button', { name: 'Retry' });
    expect(retries).toHaveLength(1);
    fireEvent.click(retries[0]!);
    await waitFor(() => expect(fetchMock.mock.calls.some(([u, i]) => urlOf(u).includes('/activities/a3/retry') && i?.method === 'POST')).toBe(true));
  });

  it('passes the filters from the URL to the API and shows the empty state', async () => {
    const fetchMock = vi.fn((input: RequestInfo | URL) => {
      const url = urlOf(input);
      if (url.includes('/api/activities')) return Promise.resolve(json({ items: [], total: 0, page: 1, pageSize: 25 }));
      if (url.includes('/api/team')) return Promise.resolve(json([]));
      return Promise.reject(new Error(`unexpected ${url}`));
    });
    vi.stubGlobal('fetch', fetchMock);
    renderWithProviders(<ActivityLogPage />, { route: '/activity?type=note&status=failed' });
    expect(await screen.findByText('No activity matches these filters')).toBeInTheDocument();
    const listUrl = fetchMock.mock.calls.map(([u]) => urlOf(u)).find((u) => u.includes('/api/activities'));
    expect(listUrl).toContain('type=note');
    expect(listUrl).toContain('status=failed');
  });
});

describe('ActivitySettingsForm', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('turns a type off, empties the label and saves', async () => {
    const settings: ActivitySettingsDto = {
      crm: 'hubspot',
      label: '[Conduit]',
      associateCompany: false,
      associateDeal: false,
      types: { email_sent: true, email_reply: true, linkedin_message: true, linkedin_connection_request: true, call: true, meeting: true, note: true, task: true },
    };
    const fetchMock = vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
      const url = urlOf(input);
      if (url.endsWith('/connections/hubspot/activity-settings') && init?.method === 'PUT') return Promise.resolve(json({ ...settings, ...(JSON.parse(init.body as string) as object) }));
      if (url.endsWith('/connections/hubspot/activity-settings')) return Promise.resolve(json(settings));
      return Promise.reject(new Error(`unexpected ${url}`));
    });
    vi.stubGlobal('fetch', fetchMock);
    renderWithProviders(<ActivitySettingsForm crm="hubspot" />);
    expect(await screen.findByDisplayValue('[Conduit]')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('switch', { name: 'Note' }));
    fireEvent.change(screen.getByLabelText(/Activity label/), { target: { value: '' } });
    fireEvent.click(screen.getByRole('checkbox', { name: /open deal/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Save activity settings' }));
    await waitFor(() => {
      const put = fetchMock.mock.calls.find(([, i]) => i?.method === 'PUT');
      expect(put).toBeDefined();
      const body = JSON.parse(put![1]!.body as string) as ActivitySettingsDto;
      expect(body.types.note).toBe(false);
      expect(body.types.email_sent).toBe(true);
      expect(body.label).toBe('');
      expect(body.associateDeal).toBe(true);
    });
  });
});
