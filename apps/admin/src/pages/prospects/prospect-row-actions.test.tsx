import type { ConnectionDto, PersonDto, PushResultDto } from '@conduit/contracts';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../test/render';
import { ProspectRowActions } from './prospect-row-actions';

const person = { id: 'p1', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@analytical.io' } as PersonDto;

function connection(crm: ConnectionDto['crm'], state: ConnectionDto['state']): ConnectionDto {
  return { crm, state } as ConnectionDto;
}

function json(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
}

describe('ProspectRowActions', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('pushes to a connected CRM and keeps the other one disabled', async () => {
    const pushed: PushResultDto = { personId: 'p1', crm: 'hubspot', outcome: 'created', crmObject: 'contact', crmId: '101', recordUrl: 'http://crm/101', reason: null };
    const urlOf = (input: RequestInfo | URL) => (typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const fetchMock = vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
      const url = urlOf(input);
      if (url.includes('/connections')) return Promise.resolve(json([connection('hubspot', 'connected'), connection('salesforce', 'not_connected')]));
      if (url.includes('/push/hubspot') && init?.method === 'POST') return Promise.resolve(json(pushed));
      return Promise.reject(new Error(`unexpected ${url}`));
    });
    vi.stubGlobal('fetch', fetchMock);
    renderWithProviders(<ProspectRowActions person={person} onOpen={vi.fn()} onEdit={vi.fn()} onDelete={vi.fn()} />);
    await waitFor(() => expect(fetchMock).toHaveBeenCalled());
    fireEvent.click(screen.getByRole('button', { name: 'Row actions' }));
    const hubspot = await screen.findByRole('menuitem', { name: 'Push to HubSpot' });
    await waitFor(() => expect(hubspot).not.toBeDisabled());
    expect(screen.getByText('Push to Salesforce').closest('button')).toBeDisabled();
    fireEvent.click(hubspot);
    await waitFor(() => expect(fetchMock.mock.calls.some(([u, i]) => urlOf(u).endsWith('/api/people/p1/push/hubspot') && i?.method === 'POST')).toBe(true));
  });
});
