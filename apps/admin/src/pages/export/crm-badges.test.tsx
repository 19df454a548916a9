import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { PersonCrmLink } from '../../api/export';
import { renderWithProviders } from '../../test/render';
import { CrmBadges } from './crm-badges';

const link = (crm: PersonCrmLink['crm'], object: string, crmId: string, recordUrl: string): PersonCrmLink => ({ personId: 'p1', crm, object, crmId, recordUrl, lastSyncedAt: '2026-01-01T00:00:00.000Z' }) as PersonCrmLink;

describe('CrmBadges', () => {
  it('links one badge per CRM to its record', () => {
    renderWithProviders(<CrmBadges personName="Ada Lovelace" links={[link('hubspot', 'contact', '101', 'http://hs/contacts/101'), link('salesforce', 'lead', '00Q1', 'http://sf/Lead/00Q1')]} />);
    const hubspot = screen.getByRole('link', { name: 'Open Ada Lovelace in HubSpot (Contact)' });
    expect(hubspot.getAttribute('href')).toBe('http://hs/contacts/101');
    expect(hubspot.getAttribute('target')).toBe('_blank');
    expect(screen.getByRole('link', { name: 'Open Ada Lovelace in Salesforce (Lead)' }).getAttribute('href')).toBe('http://sf/Lead/00Q1');
  });

  it('shows a dash when the person is in no CRM', () => {
    renderWithProviders(<CrmBadges personName="Ada" links={[]} />);
    expect(screen.queryByRole('link')).toBeNull();
    expect(screen.getByText('—')).toBeTruthy();
  });
});
