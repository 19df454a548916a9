import type { StatusMappingDto } from '@conduit/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../test/render';
import { ExportSettingsTabs } from './export-settings-dialog';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const urlOf = (input: RequestInfo | URL) => (typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
const SLOW = { timeout: 15_000 };

/** The visible input of the Select labelled `name` (Mantine also labels its dropdown and hidden value input). */
const valueInput = (name: string) => screen.queryAllByLabelText(name).find((el): el is HTMLInputElement => el instanceof HTMLInputElement && el.type !== 'hidden') ?? null;
const findValueInput = (name: string) => waitFor(() => {
  const el = valueInput(name);
  expect(el).not.toBeNull();
  return el!;
}, SLOW);

const BASE = { not_contacted: 'NEW', contacted: 'OPEN', replied: 'CONNECTED', replied_positive: 'IN_PROGRESS', replied_negative: 'UNQUALIFIED' };
const mapping = (table: Record<string, string>): StatusMappingDto => ({
  crm: 'hubspot',
  enabled: true,
  crmField: 'hs_lead_status',
  source: 'engagementState',
  table,
  options: ['NEW', 'OPEN', 'IN_PROGRESS', 'OPEN_DEAL', 'UNQUALIFIED', 'CONNECTED'].map((v) => ({ value: v, label: v === 'OPEN_DEAL' ? 'Open deal' : v === 'IN_PROGRESS' ? 'In progress' : v })),
  candidateFields: [{ name: 'hs_lead_status', label: 'Lead Status' }],
});

/** Answers GET status-mapping with `current`; PUT with `onPut` (the saved mapping by default). */
function stub(current: StatusMappingDto, onPut?: (body: { table: Record<string, string> }) => Response) {
  const fetchMock = vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
    const url = urlOf(input);
    if (url.endsWith('/connections/hubspot/export-settings')) return Promise.resolve(json({ crm: 'hubspot', policy: 'all_contacted', autoExport: true, contactSource: null, externalIdField: null }));
    if (url.endsWith('/connections/hubspot/status-mapping') && init?.method === 'PUT') {
      const body = JSON.parse(init.body as string) as { table: Record<string, string> };
      return Promise.resolve(onPut ? onPut(body) : json({ ...current, table: body.table }));
    }
    if (url.endsWith('/connections/hubspot/status-mapping')) return Promise.resolve(json(current));
    return Promise.reject(new Error(`unexpected ${url}`));
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

async function openStatusTab() {
  renderWithProviders(<ExportSettingsTabs crm="hubspot" />);
  fireEvent.click(await screen.findByRole('tab', { name: 'Status mapping' }));
  return screen.findByRole('switch', { name: /Show advanced statuses/ }, SLOW);
}

const putBodies = (fetchMock: ReturnType<typeof stub>) =>
  fetchMock.mock.calls.filter(([, i]) => i?.method === 'PUT').map(([, i]) => JSON.parse(i!.body as string) as { table: Record<string, string> });

describe('Status mapping: Show advanced statuses', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('reveals the advanced rows under their parent, each with the parent\'s value as placeholder, and saves an advanced entry', async () => {
    const fetchMock = stub(mapping(BASE));
    const toggle = await openStatusTab();
    expect(toggle).not.toBeChecked();
    expect(valueInput('CRM value for Meeting booked')).toBeNull();
    expect(valueInput('CRM value for Replied positive')).toBeInTheDocument();

    fireEvent.click(toggle);
    const meeting = await findValueInput('CRM value for Meeting booked');
    expect(meeting).toHaveAttribute('placeholder', "Uses Replied positive's value (In progress)");
    expect(valueInput('CRM value for LinkedIn connected')).toHaveAttribute('placeholder', "Uses Contacted's value (OPEN)");
    // Rows in order, each advanced one right under its parent.
    const rows = screen.getAllByRole('row').map((r) => r.querySelector('input:not([type=hidden])')?.getAttribute('aria-label'));
    expect(rows).toEqual([
      'CRM value for Not contacted',
      'CRM value for Contacted',
      'CRM value for Email sent',
      'CRM value for LinkedIn connection requested',
      'CRM value for LinkedIn message sent',
      'CRM value for Called',
      'CRM value for LinkedIn connected',
      'CRM value for Replied',
      'CRM value for Replied positive',
      'CRM value for Meeting booked',
      'CRM value for Meeting held',
      'CRM value for Replied negative',
    ]);

    fireEvent.focus(meeting);
    fireEvent.click(meeting);
    const list = document.getElementById(meeting.getAttribute('aria-controls') ?? '');
    fireEvent.click(within(list!).getByRole('option', { name: 'Open deal', hidden: true }));
    fireEvent.click(screen.getByRole('button', { name: 'Save status mapping' }));
    await waitFor(() => expect(putBodies(fetchMock)).toEqual([{ ...BASE, meeting_booked: 'OPEN_DEAL' }].map((table) => expect.objectContaining({ table, source: 'engagementState' }))));

    // Hiding the rows keeps their entries and says so.
    fireEvent.click(toggle);
    expect(valueInput('CRM value for Meeting booked')).toBeNull();
    expect(await screen.findByText('1 advanced status has their own value.')).toBeInTheDocument();
  });

  it('starts shown when the saved mapping gives an advanced status its own value; clearing it falls back to the parent', async () => {
    const fetchMock = stub(mapping({ ...BASE, meeting_booked: 'OPEN_DEAL' }));
    const toggle = await openStatusTab();
    await waitFor(() => expect(toggle).toBeChecked());
    const meeting = await findValueInput('CRM value for Meeting booked');
    expect(meeting).toHaveValue('Open deal');
    const clear = meeting.closest('.mantine-InputWrapper-root')?.querySelector('button');
    fireEvent.click(clear!);
    await waitFor(() => expect(meeting).toHaveAttribute('placeholder', "Uses Replied positive's value (In progress)"));
    fireEvent.click(screen.getByRole('button', { name: 'Save status mapping' }));
    await waitFor(() => expect(putBodies(fetchMock).map((b) => b.table)).toEqual([BASE]));
  });

  it('shows the API refusal of a value the CRM property does not allow', async () => {
    stub(mapping({ ...BASE, meeting_booked: 'BOOKED' }), () =>
      json({ statusCode: 400, message: '"BOOKED" is not an option of hs_lead_status', errors: [{ field: 'table.meeting_booked', messages: ['"BOOKED" is not an option of hs_lead_status'] }] }, 400),
    );
    await openStatusTab();
    fireEvent.click(screen.getByRole('button', { name: 'Save status mapping' }));
    expect(await screen.findByText('"BOOKED" is not an option of hs_lead_status')).toBeInTheDocument();
  });
});
