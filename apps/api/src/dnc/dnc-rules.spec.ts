import { describe, expect, it } from '@jest/globals';
import { toDealRow } from './deals-sync.service.js';
import { normalizeDomain } from './dnc.service.js';

describe('toDealRow', () => {
  it('reads HubSpot deals (string values, company from associations, closed/won from the calculated flags)', () => {
    const row = toDealRow(
      'hubspot',
      {
        id: '42',
        object: 'deal',
        updatedAt: '2026-01-01T00:00:00.000Z',
        properties: { dealname: 'Acme – Pilot', dealstage: 'contractsent', amount: '12000', closedate: '2026-03-31T00:00:00.000Z', hs_is_closed: 'false', hs_is_closed_won: 'false' },
        associations: { company: ['7'], contact: ['1', '2'] },
      },
      [{ object: 'contact', crm_id: '1' }],
    );
    expect(row).toMatchObject({ crm_id: '42', name: 'Acme – Pilot', stage: 'contractsent', amount: 12000, close_date: '2026-03-31', is_closed: false, is_won: false, company_crm_id: '7' });
  });

  it('treats HubSpot closedwon/closedlost stages as closed even without the calculated flags', () => {
    const base = { id: '1', object: 'deal' as const, updatedAt: '2026-01-01T00:00:00.000Z' };
    expect(toDealRow('hubspot', { ...base, properties: { dealstage: 'closedwon' } }, [])).toMatchObject({ is_closed: true, is_won: true, amount: null, company_crm_id: null });
    expect(toDealRow('hubspot', { ...base, properties: { dealstage: 'closedlost', amount: '' } }, [])).toMatchObject({ is_closed: true, is_won: false, amount: null });
  });

  it('reads Salesforce opportunities (typed values, AccountId)', () => {
    const row = toDealRow(
      'salesforce',
      { id: '006A', object: 'deal', updatedAt: '2026-01-01T00:00:00.000Z', properties: { Name: 'Big deal', StageName: 'Closed Won', Amount: 5000.5, CloseDate: '2026-02-01', IsClosed: true, IsWon: true, AccountId: '001B' } },
      [],
    );
    expect(row).toMatchObject({ name: 'Big deal', stage: 'Closed Won', amount: 5000.5, close_date: '2026-02-01', is_closed: true, is_won: true, company_crm_id: '001B' });
  });
});

describe('normalizeDomain', () => {
  it.each([
    ['Example.COM', 'example.com'],
    ['https://www.example.com/path?x=1', 'example.com'],
    ['@example.org', 'example.org'],
    ['  sub.example.co.uk  ', 'sub.example.co.uk'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeDomain(input)).toBe(expected);
  });
});
