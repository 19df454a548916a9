import type { CrmFieldDto } from '@conduit/contracts';
import { describe, expect, it } from 'vitest';
import { fieldOptions, joinList, nameHint, optionHint, rankByNameAndLabel, splitList, type FieldCatalog } from './field-catalog';
import { cellLabels } from './rows-editor';

const field = (name: string, label: string, extra: Partial<CrmFieldDto> = {}): CrmFieldDto => ({ name, label, type: 'string', crmType: 'string', readOnly: false, custom: false, ...extra });

const LEAD: FieldCatalog = {
  noun: 'Salesforce Lead field',
  loading: false,
  unavailable: null,
  fields: [
    field('LeadSource', 'Lead Source', { options: [{ value: 'Web', label: 'Web' }, { value: 'Partner Referral', label: 'Partner Referral' }] }),
    field('Title', 'Title'),
    field('HubSpot_Contact_ID__c', 'HubSpot Contact ID', { custom: true }),
    field('CreatedDate', 'Created Date', { readOnly: true }),
  ],
};

const items = (catalog: FieldCatalog) => (catalog.fields ?? []).map((f) => ({ value: f.name, label: f.label }));

describe('rankByNameAndLabel', () => {
  it('finds fields by API name or label, exact name and prefixes first', () => {
    const hubspot = [
      { value: 'hs_analytics_source', label: 'Original Source' },
      { value: 'country', label: 'Country/Region' },
      { value: 'hs_country_region_code', label: 'Country code' },
      { value: 'ip_country', label: 'IP Country' },
    ];
    expect(rankByNameAndLabel(hubspot, 'original', 10).map((i) => i.value)).toEqual(['hs_analytics_source']);
    expect(rankByNameAndLabel(hubspot, 'country', 10).map((i) => i.value)).toEqual(['country', 'hs_country_region_code', 'ip_country']);
    expect(rankByNameAndLabel(hubspot, 'COUNTRY', 2).map((i) => i.value)).toEqual(['country', 'hs_country_region_code']);
    expect(rankByNameAndLabel(hubspot, '', 2)).toHaveLength(2);
    expect(rankByNameAndLabel(hubspot, 'zzz', 10)).toEqual([]);
  });

  it('ignores spaces, underscores and dashes ("lead source" finds LeadSource, "contact id" the custom field)', () => {
    expect(rankByNameAndLabel(items(LEAD), 'lead source', 10).map((i) => i.value)).toEqual(['LeadSource']);
    expect(rankByNameAndLabel(items(LEAD), 'contact_id', 10).map((i) => i.value)).toEqual(['HubSpot_Contact_ID__c']);
  });
});

describe('hints', () => {
  it('names a discovered field by its label (custom marked), warns on unknown and read-only names', () => {
    expect(nameHint(LEAD, 'LeadSource')).toEqual({ text: 'Lead Source', warning: false });
    expect(nameHint(LEAD, 'Title')).toBeNull();
    expect(nameHint(LEAD, 'hubspot_contact_id__c')).toEqual({ text: 'HubSpot Contact ID · custom', warning: false });
    expect(nameHint(LEAD, 'Nope__c')).toEqual({ text: 'Not a discovered Salesforce Lead field: re-discover fields if it was just created', warning: true });
    expect(nameHint(LEAD, 'CreatedDate', { writable: true })).toEqual({ text: 'Created Date is read-only', warning: true });
    expect(nameHint(LEAD, '')).toBeNull();
    expect(nameHint({ ...LEAD, fields: undefined, loading: true }, 'Title')).toBeNull();
    expect(nameHint({ ...LEAD, fields: undefined, unavailable: 'Salesforce is not connected' }, 'Title')).toEqual({ text: 'Salesforce is not connected: type the API name', warning: true });
  });

  it('matches HubSpot names exactly (they are case-sensitive) and suggests the discovered spelling', () => {
    const hubspot: FieldCatalog = { noun: 'HubSpot contact property', caseSensitive: true, loading: false, unavailable: null, fields: [field('country', 'Country/Region')] };
    expect(nameHint(hubspot, 'country')).toEqual({ text: 'Country/Region', warning: false });
    expect(nameHint(hubspot, 'Country')).toEqual({ text: 'Not a discovered HubSpot contact property: did you mean country?', warning: true });
    expect(nameHint(LEAD, 'LEADSOURCE')).toEqual({ text: 'Lead Source', warning: false });
  });

  it("gives an enumeration's options and labels its values", () => {
    expect(fieldOptions(LEAD, 'leadsource').map((o) => o.value)).toEqual(['Web', 'Partner Referral']);
    expect(fieldOptions(LEAD, 'Title')).toEqual([]);
    expect(fieldOptions(LEAD, 'Missing')).toEqual([]);
    expect(optionHint([{ value: 'ORGANIC_SEARCH', label: 'Organic search' }], 'ORGANIC_SEARCH')).toEqual({ text: 'Organic search', warning: false });
    expect(optionHint([{ value: 'Web', label: 'Web' }], 'Web')).toBeNull();
    expect(optionHint([{ value: 'Web', label: 'Web' }], 'Carrier pigeon')).toEqual({ text: 'Not one of the options', warning: true });
    expect(optionHint([], 'anything')).toBeNull();
  });

  it('splits and joins list drafts', () => {
    expect(splitList(' Germany, France ,,')).toEqual(['Germany', 'France']);
    expect(joinList(['Germany', 'France'])).toBe('Germany, France');
  });
});

describe('cellLabels', () => {
  const columns = [
    { key: 'from' as const, label: 'HubSpot source' },
    { key: 'to' as const, label: 'Salesforce Lead Source' },
  ];

  it('names cells by the row key, by number while the key is empty or repeated', () => {
    const labels = cellLabels(
      [
        { from: 'ORGANIC_SEARCH', to: 'Web' },
        { from: '', to: 'Other' },
        { from: 'PAID_SEARCH', to: 'Advertisement' },
        { from: 'paid_search', to: 'Web' },
      ],
      columns,
      'from',
      'Lead Source row',
    );
    expect(labels).toEqual([
      ['HubSpot source of Lead Source row 1', "Salesforce Lead Source for 'ORGANIC_SEARCH'"],
      ['HubSpot source of Lead Source row 2', 'Salesforce Lead Source for Lead Source row 2'],
      ['HubSpot source of Lead Source row 3', 'Salesforce Lead Source for Lead Source row 3'],
      ['HubSpot source of Lead Source row 4', 'Salesforce Lead Source for Lead Source row 4'],
    ]);
    expect(new Set(labels.flat()).size).toBe(8);
  });

  it('uses a column aria label over its header', () => {
    expect(cellLabels([{ stage: 'Closed Won', min: 0 }], [{ key: 'stage', label: 'Opportunity stage' }, { key: 'min', label: 'Only when Amount >', ariaLabel: 'Minimum amount (exclusive)' }], 'stage', 'stage rule')).toEqual([
      ['Opportunity stage of stage rule 1', "Minimum amount (exclusive) for 'Closed Won'"],
    ]);
  });
});
