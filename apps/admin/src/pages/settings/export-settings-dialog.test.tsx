import type { ContactSourceFieldsDto, ExportSettingsDto } from '@conduit/contracts';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../test/render';
import { ExportSettingsTabs } from './export-settings-dialog';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const urlOf = (input: RequestInfo | URL) => (typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);

describe('ExportSettingsTabs', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('picks the contact source from discovered fields by label, the value from its options, and shows the API refusal under the field', async () => {
    const settings: ExportSettingsDto = { crm: 'salesforce', policy: 'replied', autoExport: true, contactSource: null, externalIdField: null };
    const fields: ContactSourceFieldsDto = {
      crm: 'salesforce',
      objectName: 'Lead',
      discoveredAt: '2026-12-01T10:00:00.000Z',
      fields: [
        { name: 'LeadSource', label: 'Lead Source', type: 'enumeration', crmType: 'picklist', options: [{ value: 'Web', label: 'Web' }, { value: 'Conduit', label: 'Conduit' }], readOnly: false, custom: false },
        { name: 'Origin__c', label: 'Origin', type: 'string', crmType: 'string', readOnly: false, custom: true },
      ],
    };
    const fetchMock = vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
      if (urlOf(input).endsWith('/connections/salesforce/export-settings') && init?.method === 'PUT') {
        return Promise.resolve(json({ statusCode: 400, message: 'Origin__c is not a field of the CRM person object', error: 'Bad Request', errors: [{ field: 'contactSource.crmField', messages: ['Origin__c is not a field of the CRM person object'] }] }, 400));
      }
      if (urlOf(input).endsWith('/connections/salesforce/export-settings')) return Promise.resolve(json(settings));
      if (urlOf(input).endsWith('/connections/salesforce/export-settings/contact-source-fields')) return Promise.resolve(json(fields));
      return Promise.reject(new Error(`unexpected ${urlOf(input)}`));
    });
    vi.stubGlobal('fetch', fetchMock);
    renderWithProviders(<ExportSettingsTabs crm="salesforce" />);
    expect(await screen.findByDisplayValue('Only people who replied')).toBeInTheDocument();
    // An enumeration: its "Conduit" option is preselected, and the value is a picker of its options.
    fireEvent.click(screen.getByRole('combobox', { name: 'Property' }));
    fireEvent.click(await screen.findByRole('option', { name: /Lead Source/, hidden: true }));
    expect(screen.getByRole('combobox', { name: 'Property' })).toHaveValue('Lead Source');
    expect(screen.getByRole('combobox', { name: 'Value' })).toHaveValue('Conduit');
    // A custom text field: the value is typed.
    fireEvent.click(screen.getByRole('combobox', { name: 'Property' }));
    fireEvent.click(await screen.findByRole('option', { name: /Origin/, hidden: true }));
    expect(screen.getByRole('textbox', { name: 'Value' })).toHaveValue('');
    expect(screen.getByRole('button', { name: 'Save source' })).toBeDisabled();
    fireEvent.change(screen.getByRole('textbox', { name: 'Value' }), { target: { value: 'Outbound' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save source' }));
    expect(await screen.findByText(/Origin__c is not a field of the CRM person object/)).toBeInTheDocument();
    await waitFor(() => expect(fetchMock.mock.calls.some(([, i]) => i?.method === 'PUT' && typeof i.body === 'string' && i.body.includes('"crmField":"Origin__c","value":"Outbound"'))).toBe(true));
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
      if (urlOf(input).endsWith('/contact-source-fields')) return Promise.resolve(json({ crm: 'salesforce', objectName: 'Lead', discoveredAt: null, fields: [] }));
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
