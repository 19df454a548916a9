import type { CompanyDto } from '@conduit/contracts';
import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders, stubFetch } from '../../test/render';
import { ProvenancePanel } from '../prospects/provenance-panel';
import { CompanyPage } from '../sync/company-page';

const company: CompanyDto = {
  id: 'co-1',
  name: 'Tiered Co',
  domain: 'tiered.example',
  website: null,
  industry: null,
  employeeCount: null,
  city: null,
  country: null,
  customAttributes: { tier: 'gold', seats: 12 },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
};

const entry = (field: string, value: unknown, source: 'crm' | 'conduit', rule: string) => ({
  field,
  value,
  source,
  rule,
  connectionId: source === 'crm' ? 'conn-1234567890' : null,
  crmRecordId: source === 'crm' ? '42' : null,
  crmField: source === 'crm' ? 'conduit_tier' : null,
  previousValue: null,
  at: '2026-01-02T00:00:00.000Z',
  crmModifiedAt: null,
  crm: source === 'crm' ? ('hubspot' as const) : null,
  crmObject: source === 'crm' ? 'company' : null,
  crmFieldLabel: source === 'crm' ? 'Conduit tier' : null,
  crmRecordUrl: source === 'crm' ? 'https://app.hubspot.com/contacts/99/record/0-2/42' : null,
  valueLabel: null,
  previousValueLabel: null,
});

describe('company page and provenance of values set in Conduit', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows the company custom attributes and where each came from', async () => {
    const current = [entry('custom.tier', 'gold', 'crm', 'crm_wins'), entry('custom.seats', 12, 'conduit', 'conduit_create')];
    const { fetchStub } = stubFetch(({ url }) => {
      if (url.pathname === '/api/companies/co-1') return { status: 200, body: company };
      if (url.pathname === '/api/companies/co-1/provenance') return { status: 200, body: { current, history: current } };
      throw new Error(`unexpected ${url.pathname}`);
    });
    vi.stubGlobal('fetch', fetchStub);
    renderWithProviders(<CompanyPage />, { route: '/companies/co-1', path: '/companies/:id' });
    const card = await screen.findByTestId('company-custom-attributes');
    const rows = within(within(card).getByRole('table', { name: 'Company custom attributes' })).getAllByRole('row').map((r) => r.textContent);
    expect(rows).toEqual(['seats12', 'tiergold']);
    const seats = await screen.findByTestId('provenance-custom.seats');
    expect(seats).toHaveTextContent('Conduit');
    expect(seats).toHaveTextContent('Created in Conduit');
    const tier = screen.getByTestId('provenance-custom.tier');
    expect(tier).toHaveTextContent('CRM wins');
    // In words (#21): the field's label, the CRM by name, the record by its name with a link, the CRM field's label.
    expect(tier).toHaveTextContent('Tier (custom attribute)');
    expect(tier).toHaveTextContent('HubSpot company Tiered Co');
    expect(tier).toHaveTextContent('field Conduit tier');
    expect(within(tier).getByRole('link', { name: /company Tiered Co/ })).toHaveAttribute('href', 'https://app.hubspot.com/contacts/99/record/0-2/42');
    expect(tier).not.toHaveTextContent('conn-');
    expect(tier).not.toHaveTextContent('conduit_tier');
  });

  it('a company without custom attributes says how to get some', async () => {
    const { fetchStub } = stubFetch(({ url }) => {
      if (url.pathname === '/api/companies/co-1') return { status: 200, body: { ...company, customAttributes: {} } };
      if (url.pathname === '/api/companies/co-1/provenance') return { status: 200, body: { current: [], history: [] } };
      throw new Error(`unexpected ${url.pathname}`);
    });
    vi.stubGlobal('fetch', fetchStub);
    renderWithProviders(<CompanyPage />, { route: '/companies/co-1', path: '/companies/:id' });
    expect(await screen.findByText(/No custom attribute\. Map a CRM field/)).toBeInTheDocument();
  });

  it("the person page's panel labels values a person was created with", async () => {
    const current = [entry('firstName', 'Grace', 'conduit', 'conduit_create'), entry('city', 'Nuenen', 'conduit', 'conduit_edit')];
    const { fetchStub } = stubFetch(({ url }) => {
      if (url.pathname === '/api/people/p-1/provenance') return { status: 200, body: { current, history: current } };
      throw new Error(`unexpected ${url.pathname}`);
    });
    vi.stubGlobal('fetch', fetchStub);
    renderWithProviders(<ProvenancePanel personId="p-1" name="Grace Hopper" />);
    expect(await screen.findByTestId('provenance-firstName')).toHaveTextContent('Created in Conduit');
    expect(screen.getByTestId('provenance-firstName')).toHaveTextContent('First name');
    expect(screen.getByTestId('provenance-city')).toHaveTextContent('Edited in Conduit');
  });
});
