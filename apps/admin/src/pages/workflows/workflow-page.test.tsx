import type { SessionDto, WorkflowCountsDto, WorkflowDto } from '@conduit/contracts';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../test/render';
import { WorkflowPage } from './workflow-page';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const urlOf = (input: RequestInfo | URL) => new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, 'http://localhost');

const SESSION: SessionDto = {
  user: { id: 'u1', name: 'Ada Admin', email: 'admin@conduit.local', role: 'admin', createdAt: '2026-01-01T00:00:00.000Z' },
  workspace: { id: 'w1', name: 'Demo' },
};

const MQL: WorkflowDto = {
  kind: 'mql_handoff',
  enabled: true,
  status: 'paused',
  pausedReason: 'Salesforce authorization failed (auth_revoked): invalid_grant. Reconnect, then resume the workflow.',
  pausedCrm: 'salesforce',
  updatedAt: '2026-01-01T00:00:00.000Z',
  config: {
    triggerStage: 'marketingqualifiedlead',
    conditions: [{ property: 'hubspotscore', operator: 'gt', value: 10 }],
    fieldMap: [{ hubspot: 'email', salesforce: 'Email' }],
    externalIdField: 'HubSpot_Contact_ID__c',
    leadSourceTable: [],
    leadSourceDefault: null,
    owner: { kind: 'none' },
    opportunity: { enabled: false, stageName: 'Qualification', amount: null, closeInDays: 30 },
  },
};

const COUNTS: WorkflowCountsDto = {
  kind: 'mql_handoff',
  counts: { pending: 0, success: 3, filtered: 1, skipped: 0, ignored_echo: 0, needs_attention: 0, failed: 1 },
  latency: { p50Ms: 900, p95Ms: 2400 },
};

function stub(handlers: (url: URL, init?: RequestInit) => Response | undefined) {
  const fetchMock = vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
    const url = urlOf(input);
    const answer = handlers(url, init);
    if (answer) return Promise.resolve(answer);
    if (url.pathname === '/api/auth/me') return Promise.resolve(json(SESSION));
    // Not connected: the editor's pickers fall back to typed names.
    if (url.pathname.startsWith('/api/connections/')) return Promise.resolve(json({ statusCode: 404, error: 'Not Found', message: 'Not connected' }, 404));
    if (url.pathname === '/api/workflows/opportunity-stages') return Promise.resolve(json({ statusCode: 409, error: 'Conflict', message: 'Salesforce is not connected' }, 409));
    if (url.pathname === '/api/workflows/mql-handoff/counts') return Promise.resolve(json(COUNTS));
    if (url.pathname === '/api/workflows/mql-handoff' && (init?.method ?? 'GET') === 'GET') return Promise.resolve(json(MQL));
    if (url.pathname === '/api/workflows' && (init?.method ?? 'GET') === 'GET') return Promise.resolve(json([MQL]));
    return Promise.reject(new Error(`unexpected ${init?.method ?? 'GET'} ${url.pathname}`));
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

describe('WorkflowPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows the API 400 next to the filter value it names', async () => {
    const fetchMock = stub((url, init) =>
      url.pathname === '/api/workflows/mql-handoff' && init?.method === 'PUT'
        ? json({ statusCode: 400, error: 'Bad Request', message: 'Validation failed', errors: [{ field: 'config.conditions.0.value', messages: ['value must be a number for gt, gte, lt and lte'] }] }, 400)
        : undefined,
    );
    renderWithProviders(<WorkflowPage />, { route: '/workflows/mql-handoff', path: '/workflows/:slug' });
    const value = await screen.findByLabelText("Value for 'hubspotscore'");
    fireEvent.change(value, { target: { value: 'high' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save workflow' }));
    expect(await screen.findByText('value must be a number for gt, gte, lt and lte')).toBeInTheDocument();
    expect(screen.getByLabelText("Value for 'hubspotscore'")).toHaveAttribute('aria-invalid', 'true');
    expect((await screen.findAllByText('HubSpot is not connected: type the API name', {}, { timeout: 15_000 })).length).toBeGreaterThan(0);
    expect(screen.getByText('Fix the fields marked below.')).toBeInTheDocument();
    const put = fetchMock.mock.calls.find(([, i]) => i?.method === 'PUT');
    const body = put?.[1]?.body;
    expect(JSON.parse(typeof body === 'string' ? body : '{}')).toMatchObject({ config: { conditions: [{ property: 'hubspotscore', operator: 'gt', value: 'high' }] } });
  });

  it('shows a paused workflow with its reason and resumes it', async () => {
    const fetchMock = stub((url, init) => (url.pathname === '/api/workflows/mql-handoff/resume' && init?.method === 'POST' ? json({ ...MQL, status: 'active', pausedReason: null, pausedCrm: null }) : undefined));
    renderWithProviders(<WorkflowPage />, { route: '/workflows/mql-handoff', path: '/workflows/:slug' });
    expect(await screen.findByText('MQL handoff is paused')).toBeInTheDocument();
    expect(screen.getByText(/invalid_grant/)).toBeInTheDocument();
    fireEvent.click(await screen.findByRole('button', { name: 'Resume MQL handoff' }));
    await waitFor(() => expect(fetchMock.mock.calls.some(([i, init]) => urlOf(i).pathname.endsWith('/resume') && init?.method === 'POST')).toBe(true));
    expect(await screen.findByTestId('workflow-counts-mql_handoff')).toHaveTextContent('900 ms / 2.40 s');
  });

  it('names an unknown workflow', () => {
    stub(() => undefined);
    renderWithProviders(<WorkflowPage />, { route: '/workflows/nope', path: '/workflows/:slug' });
    expect(screen.getByText('Workflow not found')).toBeInTheDocument();
  });
});
