import type { ConnectionMappingDto, MappingRowDto } from '@conduit/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { contactsMapping, crmField } from '../../test/mapping-fixtures';
import { renderWithProviders, stubFetch } from '../../test/render';
import { MappingEditor } from './mapping-dialog';

const contacts = contactsMapping();

const companies: ConnectionMappingDto = contactsMapping({
  object: 'companies',
  crmObject: 'companies',
  rows: [
    { conduitField: 'domain', crmField: 'domain', importPriority: 'crm', exportBehaviour: 'fill_if_empty' },
    { conduitField: 'custom.tier', crmField: 'conduit_tier', importPriority: 'crm', exportBehaviour: 'fill_if_empty' },
  ],
  conduitFields: [
    { name: 'domain', label: 'Domain', type: 'string' },
    { name: 'custom.tier', label: 'tier (custom attribute)', type: 'string' },
  ],
  fields: [crmField('domain', 'Company domain name'), crmField('conduit_tier', 'Tier', true), crmField('conduit_segment', 'Segment', true)],
});

/** Opens the mapping dialog on its Companies tab, once the saved tier row shows: the dialog and the custom rows. */
async function openCompaniesTab() {
  renderWithProviders(<MappingEditor crm="hubspot" opened />);
  const dialog = await screen.findByTestId('mapping-editor');
  await within(dialog).findByTestId('mapping-row-email');
  fireEvent.click(within(dialog).getByText('Companies', { exact: true }));
  const customRows = await within(dialog).findByTestId('custom-rows');
  await waitFor(() => expect(within(customRows).getByLabelText('Conduit custom attribute 1')).toHaveValue('tier'));
  return { dialog, customRows };
}

function stub() {
  const saved: MappingRowDto[][] = [];
  const { fetchStub, calls } = stubFetch(({ url, method, body }) => {
    if (url.pathname === '/api/connections' && method === 'GET') return { status: 200, body: [{ id: 'conn-1', crm: 'hubspot', state: 'connected' }] };
    if (url.pathname === '/api/connections/hubspot/discover' && method === 'POST') return { status: 200, body: { id: 'conn-1', crm: 'hubspot' } };
    if (url.pathname === '/api/connections/hubspot/mappings/contacts' && method === 'GET') return { status: 200, body: contacts };
    if (url.pathname === '/api/connections/hubspot/mappings/companies' && method === 'GET') return { status: 200, body: companies };
    if (url.pathname === '/api/connections/hubspot/mappings/companies' && method === 'PUT') {
      const rows = (JSON.parse(body ?? '{}') as { rows: MappingRowDto[] }).rows;
      saved.push(rows);
      return { status: 200, body: { ...companies, rows } };
    }
    throw new Error(`unexpected ${method} ${url.pathname}`);
  });
  vi.stubGlobal('fetch', fetchStub);
  return { saved, calls };
}

describe('MappingEditor, Companies tab', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('lists the company custom rows, adds one with a CRM custom field, removes another, and saves them as custom.<key> rows', async () => {
    const { saved } = stub();
    const { dialog, customRows } = await openCompaniesTab();
    expect(within(customRows).getByLabelText('HubSpot field for custom attribute 1')).toHaveValue('Tier (conduit_tier) · custom');

    // Add: segment ← conduit_segment, overwrite on export.
    fireEvent.click(within(customRows).getByRole('button', { name: 'Add custom row' }));
    fireEvent.change(await within(customRows).findByLabelText('Conduit custom attribute 2'), { target: { value: 'segment' } });
    const crmSelect = within(customRows).getByLabelText('HubSpot field for custom attribute 2');
    fireEvent.focus(crmSelect);
    fireEvent.click(crmSelect);
    const list = document.getElementById(crmSelect.getAttribute('aria-controls') ?? '');
    fireEvent.click(within(list!).getByRole('option', { name: 'Segment (conduit_segment) · custom', hidden: true }));
    const behaviour = within(customRows).getByLabelText('Export behaviour for custom attribute 2');
    fireEvent.focus(behaviour);
    fireEvent.click(behaviour);
    fireEvent.click(within(document.getElementById(behaviour.getAttribute('aria-controls') ?? '')!).getByRole('option', { name: 'Overwrite', hidden: true }));

    // Remove the first (tier) row.
    fireEvent.click(within(customRows).getByRole('button', { name: 'Remove custom row 1' }));
    await waitFor(() => expect(within(customRows).queryByDisplayValue('tier')).toBeNull());

    fireEvent.click(within(dialog).getByRole('button', { name: 'Save mapping' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]).toEqual([
      { conduitField: 'domain', crmField: 'domain', importPriority: 'crm', exportBehaviour: 'fill_if_empty' },
      { conduitField: 'custom.segment', crmField: 'conduit_segment', importPriority: 'crm', exportBehaviour: 'overwrite' },
    ]);
  });

  it('an incomplete company custom row is not sent and says what is missing', async () => {
    const { saved } = stub();
    const { dialog, customRows } = await openCompaniesTab();
    fireEvent.click(within(customRows).getByRole('button', { name: 'Add custom row' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save mapping' }));
    expect(await within(customRows).findByText('Name the Conduit custom attribute')).toBeInTheDocument();
    expect(saved).toHaveLength(0);
  });

  it('a row added while the opening discovery is still running survives the refreshed fields', async () => {
    let finishDiscovery: () => void = () => undefined;
    const discovered = new Promise<void>((resolve) => (finishDiscovery = resolve));
    let reads = 0;
    const respond = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, 'http://localhost');
        const method = init?.method ?? 'GET';
        if (url.pathname === '/api/connections') return respond([{ id: 'conn-1', crm: 'hubspot', state: 'connected' }]);
        if (url.pathname === '/api/connections/hubspot/discover' && method === 'POST') {
          await discovered;
          return respond({ id: 'conn-1', crm: 'hubspot' });
        }
        if (url.pathname === '/api/connections/hubspot/mappings/contacts' && method === 'GET') return respond(contacts);
        if (url.pathname === '/api/connections/hubspot/mappings/companies' && method === 'GET') {
          reads += 1;
          // After discovery: the same rows, fresh fields.
          return respond({ ...companies, object: 'companies', discoveredAt: reads > 1 ? '2026-01-01T00:00:00.000Z' : null });
        }
        throw new Error(`unexpected ${method} ${url.pathname}`);
      }),
    );
    const { dialog, customRows } = await openCompaniesTab();
    fireEvent.click(within(customRows).getByRole('button', { name: 'Add custom row' }));
    fireEvent.change(await within(customRows).findByLabelText('Conduit custom attribute 2'), { target: { value: 'segment' } });
    finishDiscovery();
    await waitFor(() => expect(reads).toBe(2));
    await within(dialog).findByText(/Fields read/);
    expect(within(customRows).getByLabelText('Conduit custom attribute 2')).toHaveValue('segment');
  });
});
