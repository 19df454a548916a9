import type { ExportSettingsDto } from '@conduit/contracts';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../test/render';
import { ExportSettingsTabs } from './export-settings-dialog';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const urlOf = (input: RequestInfo | URL) => (typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);

describe('ExportSettingsTabs', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows the API refusal of a contact source that is not an option of the field', async () => {
    const settings: ExportSettingsDto = { crm: 'salesforce', policy: 'replied', autoExport: true, contactSource: null, externalIdField: null };
    const fetchMock = vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
      if (urlOf(input).endsWith('/connections/salesforce/export-settings') && init?.method === 'PUT') {
        return Promise.resolve(json({ statusCode: 400, message: '"Nope" is not an option of LeadSource', error: 'Bad Request' }, 400));
      }
      if (urlOf(input).endsWith('/connections/salesforce/export-settings')) return Promise.resolve(json(settings));
      return Promise.reject(new Error(`unexpected ${urlOf(input)}`));
    });
    vi.stubGlobal('fetch', fetchMock);
    renderWithProviders(<ExportSettingsTabs crm="salesforce" />);
    expect(await screen.findByDisplayValue('Only people who replied')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Contact source field'), { target: { value: 'LeadSource' } });
    fireEvent.change(screen.getByLabelText('Value'), { target: { value: 'Nope' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save source' }));
    expect(await screen.findByText('"Nope" is not an option of LeadSource')).toBeInTheDocument();
    await waitFor(() => expect(fetchMock.mock.calls.some(([, i]) => i?.method === 'PUT' && typeof i.body === 'string' && i.body.includes('"LeadSource"'))).toBe(true));
  });
});

describe('ExportSettingsTabs — Salesforce export object', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('switches prospects to Contacts under an Account, then offers what to do with an existing Lead', async () => {
    let settings: ExportSettingsDto = { crm: 'salesforce', policy: 'replied', autoExport: true, contactSource: null, externalIdField: null, salesforceObject: 'lead', whenLeadExists: 'update_lead' };
    const fetchMock = vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
      if (urlOf(input).endsWith('/connections/salesforce/export-settings') && init?.method === 'PUT') {
        settings = { ...settings, ...(JSON.parse(typeof init.body === 'string' ? init.body : '{}') as Partial<ExportSettingsDto>) };
        return Promise.resolve(json(settings));
      }
      if (urlOf(input).endsWith('/connections/salesforce/export-settings')) return Promise.resolve(json(settings));
      return Promise.reject(new Error(`unexpected ${urlOf(input)}`));
    });
    vi.stubGlobal('fetch', fetchMock);
    renderWithProviders(<ExportSettingsTabs crm="salesforce" />);
    expect(await screen.findByRole('radio', { name: 'Leads' })).toBeChecked();
    expect(screen.queryByLabelText('When the prospect is already a Lead with the same email')).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole('radio', { name: 'Contacts under an Account' }));
    await waitFor(() => expect(settings.salesforceObject).toBe('contact'));
    expect(await screen.findByDisplayValue('Update the Lead')).toBeInTheDocument();
  });
});
