import type { PersonSyncDto } from '@conduit/contracts';
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../../test/render';
import { describeChange, PersonSyncResult } from './person-sync-now';

describe('person "Sync now" result', () => {
  it('says each change in labels: lead status by its label, the company by name, custom attributes, empty values', () => {
    expect(describeChange({ field: 'jobTitle', before: 'VP Sales', after: 'Head of Sales' })).toBe('Job title: VP Sales → Head of Sales');
    expect(describeChange({ field: 'leadStatus', before: null, after: 'BAD_TIMING' })).toBe('Lead status: empty → Bad timing');
    expect(describeChange({ field: 'companyId', before: 'Acme', after: 'Globex' })).toBe('Company: Acme → Globex');
    expect(describeChange({ field: 'customAttributes.tierLevel', before: '1', after: null })).toBe('Tier level (custom attribute): 1 → empty');
  });

  it('shows the changes, and a record that could not be read with the reason', () => {
    const result: PersonSyncDto = {
      personId: 'p1',
      records: [
        { crm: 'hubspot', crmObject: 'Contact', crmId: '101', outcome: 'updated', reason: null, runId: 'r1' },
        { crm: 'salesforce', crmObject: 'Lead', crmId: '00Q1', outcome: 'not_found', reason: 'The Lead no longer exists in Salesforce', runId: 'r2' },
      ],
      changes: [{ field: 'city', before: 'Berlin', after: 'Paris' }],
      upToDate: false,
      message: '1 field updated from HubSpot; The Lead no longer exists in Salesforce',
    };
    renderWithProviders(<PersonSyncResult result={result} />);
    expect(screen.getByText('1 field updated from HubSpot')).toBeInTheDocument();
    expect(screen.getByText('City: Berlin → Paris')).toBeInTheDocument();
    expect(screen.getByText('Salesforce Lead: The Lead no longer exists in Salesforce')).toBeInTheDocument();
    expect(screen.queryByText(/00Q1|r2/)).not.toBeInTheDocument();
  });

  it('says "Already up to date" when nothing changed', () => {
    renderWithProviders(<PersonSyncResult result={{ personId: 'p1', records: [{ crm: 'hubspot', crmObject: 'Contact', crmId: '1', outcome: 'unchanged', reason: null, runId: 'r' }], changes: [], upToDate: true, message: 'Already up to date' }} />);
    expect(screen.getByText('Already up to date')).toBeInTheDocument();
  });
});
