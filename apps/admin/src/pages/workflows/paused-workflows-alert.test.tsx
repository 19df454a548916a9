import type { SessionDto, WorkflowDto } from '@conduit/contracts';
import { notifications } from '@mantine/notifications';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IntegrationCard } from '../../components/integration-card';
import { renderWithProviders } from '../../test/render';

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
const pathOf = (input: RequestInfo | URL) => new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, 'http://localhost').pathname;

const SESSION: SessionDto = {
  user: { id: 'u1', name: 'Ada Admin', email: 'admin@conduit.local', role: 'admin', createdAt: '2026-01-01T00:00:00.000Z' },
  workspace: { id: 'w1', name: 'Demo' },
};

const paused = (kind: WorkflowDto['kind'], crm: WorkflowDto['pausedCrm']): WorkflowDto => ({
  kind,
  enabled: true,
  status: 'paused',
  pausedReason: `${crm === 'hubspot' ? 'HubSpot' : 'Salesforce'} authorization failed (auth_revoked): refresh token revoked. Reconnect, then resume the workflow.`,
  pausedCrm: crm,
  config: { direction: 'hubspot_to_salesforce' },
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('paused workflows on the integration cards', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('alerts on the card of the CRM whose authorization failed, with the reason and a resume action', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn((input: RequestInfo | URL) => {
        if (pathOf(input) === '/api/workflows') return Promise.resolve(json([paused('email_change', 'salesforce'), { ...paused('mql_handoff', null), enabled: false }]));
        if (pathOf(input) === '/api/auth/me') return Promise.resolve(json(SESSION));
        return Promise.reject(new Error(`unexpected ${pathOf(input)}`));
      }),
    );
    const status = { state: 'connected' as const, accountName: 'Org', connectedAt: '2026-01-05T10:00:00.000Z' };
    renderWithProviders(
      <>
        <IntegrationCard name="HubSpot" description="Sync" logo={null} capabilities={[]} status={status} />
        <IntegrationCard name="Salesforce" description="Sync" logo={null} capabilities={[]} status={status} />
      </>,
    );
    const alert = await screen.findByTestId('paused-workflow-email_change');
    expect(screen.getByTestId('integration-salesforce')).toContainElement(alert);
    expect(alert).toHaveTextContent('Email change is paused');
    expect(alert).toHaveTextContent('refresh token revoked');
    expect(await screen.findByRole('button', { name: 'Resume Email change' })).toBeInTheDocument();
    // A disabled workflow's stale pause and the other CRM's card stay quiet.
    await waitFor(() => expect(screen.getAllByTestId(/^paused-workflow-/)).toHaveLength(1));
  });

  it('says so when an admin resumes a workflow (the alert leaves with the pause)', async () => {
    const show = vi.spyOn(notifications, 'show');
    let list = [paused('email_change', 'salesforce')];
    vi.stubGlobal(
      'fetch',
      vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
        if (pathOf(input) === '/api/workflows/email-change/resume' && init?.method === 'POST') {
          list = [{ ...list[0]!, status: 'active', pausedReason: null, pausedCrm: null }];
          return Promise.resolve(json(list[0]));
        }
        if (pathOf(input) === '/api/workflows') return Promise.resolve(json(list));
        if (pathOf(input) === '/api/auth/me') return Promise.resolve(json(SESSION));
        return Promise.reject(new Error(`unexpected ${pathOf(input)}`));
      }),
    );
    renderWithProviders(<IntegrationCard name="Salesforce" description="Sync" logo={null} capabilities={[]} status={{ state: 'connected', accountName: 'Org', connectedAt: '2026-01-05T10:00:00.000Z' }} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Resume Email change' }));
    await waitFor(() => expect(show).toHaveBeenCalledWith(expect.objectContaining({ title: 'Email change resumed', message: 'Changes in the CRMs trigger it again from now on.' })));
    await waitFor(() => expect(screen.queryByTestId('paused-workflow-email_change')).not.toBeInTheDocument());
    show.mockRestore();
  });
});
