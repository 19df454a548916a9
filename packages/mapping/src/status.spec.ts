import { describe, expect, it } from '@jest/globals';
import { hubspotContactProperties } from './__fixtures__/hubspot-properties.fixture.js';
import { salesforceLeadDescribe } from './__fixtures__/salesforce-describe.fixture.js';
import { hubspotPropertiesToDescriptors } from './hubspot/hubspot.fields.js';
import { salesforceFieldsToDescriptors } from './salesforce/salesforce.fields.js';
import { defaultStatusMapping, ENGAGEMENT_STATES, statusForExport, statusForImport, validateStatusMapping, type StatusMapping } from './status.js';
import type { CrmFieldDescriptor } from './types.js';

const HS = hubspotPropertiesToDescriptors(hubspotContactProperties);
const SF = salesforceFieldsToDescriptors(salesforceLeadDescribe);
const hsStatus = HS.find((f) => f.name === 'hs_lead_status') as CrmFieldDescriptor;
const sfStatus = SF.find((f) => f.name === 'Status') as CrmFieldDescriptor;

describe('statusForExport', () => {
  it.each(ENGAGEMENT_STATES.map((s) => [s]))('HubSpot default maps %s to a valid option', (state) => {
    const r = statusForExport({ crm: 'hubspot', mapping: defaultStatusMapping('hubspot'), conduitRecord: { engagementState: state }, field: hsStatus });
    expect(r.ok).toBe(true);
    expect(hsStatus.options?.map((o) => o.value)).toContain(r.ok ? r.value : undefined);
  });

  it.each<[string, string]>([
    ['not_contacted', 'Open - Not Contacted'],
    ['contacted', 'Working - Contacted'],
    ['replied', 'Working - Contacted'],
    ['replied_positive', 'Working - Contacted'],
    ['replied_negative', 'Closed - Not Converted'],
  ])('Salesforce default maps %s to %s', (state, value) => {
    expect(statusForExport({ crm: 'salesforce', mapping: defaultStatusMapping('salesforce'), conduitRecord: { engagementState: state }, field: sfStatus })).toEqual({ ok: true, value });
  });

  const mapping: StatusMapping = { crmField: 'hs_lead_status', source: 'leadStatus', table: { hot: 'in progress', cold: 'UNQUALIFIED', bad: 'WON', empty: '' } };
  it.each<[string, unknown, CrmFieldDescriptor | undefined, object]>([
    ['maps and canonicalises against options', 'hot', hsStatus, { ok: true, value: 'IN_PROGRESS' }],
    ['maps without a field', 'hot', undefined, { ok: true, value: 'in progress' }],
    ['trims the Conduit status', '  cold ', hsStatus, { ok: true, value: 'UNQUALIFIED' }],
    ['no status', null, hsStatus, { ok: true, value: null }],
    ['blank status', '  ', hsStatus, { ok: true, value: null }],
    ['unmapped status', 'lukewarm', hsStatus, { ok: false, error: { code: 'unmapped_status' } }],
    ['inherited object keys are not statuses', 'toString', hsStatus, { ok: false, error: { code: 'unmapped_status' } }],
    ['a table entry mapped to blank', 'empty', hsStatus, { ok: false, error: { code: 'unmapped_status' } }],
    ['value outside the options', 'bad', hsStatus, { ok: false, error: { code: 'invalid_option' } }],
    ['non-scalar status', { s: 1 }, hsStatus, { ok: true, value: null }],
  ])('%s', (_t, leadStatus, field, expected) => {
    expect(statusForExport({ crm: 'hubspot', mapping, conduitRecord: { leadStatus }, ...(field ? { field } : {}) })).toMatchObject(expected);
  });

  it.each<['hubspot' | 'salesforce', object]>([
    ['hubspot', { ok: false, error: { code: 'invalid_option' } }],
    ['salesforce', { ok: true, value: 'WON' }],
  ])('without a restricted flag, %s options bind: %p', (crm, expected) => {
    const field: CrmFieldDescriptor = { name: 's', label: 's', type: 'enumeration', readOnly: false, custom: true, options: [{ value: 'NEW', label: 'New' }] };
    const m: StatusMapping = { crmField: 's', source: 'leadStatus', table: { won: 'WON' } };
    expect(statusForExport({ crm, mapping: m, conduitRecord: { leadStatus: 'won' }, field })).toMatchObject(expected);
  });

  it('does not restrict a non-restricted Salesforce picklist', () => {
    const source = SF.find((f) => f.name === 'LeadSource') as CrmFieldDescriptor;
    const m: StatusMapping = { crmField: 'LeadSource', source: 'engagementState', table: { replied: 'Conduit reply' } };
    expect(statusForExport({ crm: 'salesforce', mapping: m, conduitRecord: { engagementState: 'replied' }, field: source })).toEqual({ ok: true, value: 'Conduit reply' });
  });
});

describe('statusForImport', () => {
  const mapping = defaultStatusMapping('salesforce');
  it.each<[unknown, object]>([
    ['Open - Not Contacted', { ok: true, value: 'not_contacted' }],
    ['Working - Contacted', { ok: true, value: 'contacted' }], // first table entry wins
    ['working - contacted', { ok: true, value: 'contacted' }],
    ['Closed - Not Converted', { ok: true, value: 'replied_negative' }],
    [null, { ok: true, value: null }],
    ['', { ok: true, value: null }],
    ['Closed - Converted', { ok: false, error: { code: 'unmapped_status' } }],
  ])('%p → %p', (crmValue, expected) => {
    expect(statusForImport(mapping, crmValue)).toMatchObject(expected);
  });

  it('uses the explicit reverse table first', () => {
    const m = { ...mapping, reverse: { 'Working - Contacted': 'replied', 'Closed - Converted': 'replied_positive' } };
    expect(statusForImport(m, 'Working - Contacted')).toEqual({ ok: true, value: 'replied' });
    expect(statusForImport(m, 'closed - converted')).toEqual({ ok: true, value: 'replied_positive' });
    expect(statusForImport(m, 'Open - Not Contacted')).toEqual({ ok: true, value: 'not_contacted' });
  });

  it('reads numbers as text', () => {
    expect(statusForImport({ crmField: 'x', source: 'leadStatus', table: { a: '1' } }, 1)).toEqual({ ok: true, value: 'a' });
  });
});

describe('validateStatusMapping', () => {
  it.each<['hubspot' | 'salesforce', CrmFieldDescriptor[]]>([
    ['hubspot', HS],
    ['salesforce', SF],
  ])('the %s default is valid against recorded fields', (crm, fields) => {
    expect(validateStatusMapping({ crm, mapping: defaultStatusMapping(crm), fields })).toEqual({ valid: true, issues: [] });
  });

  it('reports every problem', () => {
    const result = validateStatusMapping({
      crm: 'hubspot',
      mapping: { crmField: 'hs_lead_status', source: 'engagementState', table: { contacted: 'ATTEMPTED_TO_CONTACT', replied: 'REPLIED', snoozed: 'BAD_TIMING' } },
      fields: HS,
    });
    expect(result.valid).toBe(false);
    expect(result.issues.map((i) => [i.status, i.severity, i.code])).toEqual([
      ['replied', 'error', 'invalid_option'],
      ['snoozed', 'error', 'unknown_status'],
      ['not_contacted', 'warning', 'status_not_mapped'],
      ['replied_positive', 'warning', 'status_not_mapped'],
      ['replied_negative', 'warning', 'status_not_mapped'],
    ]);
  });

  it('reports an unknown, read-only or non-enumeration field', () => {
    const table = { NEW: 'x' };
    const base = { crm: 'hubspot' as const, conduitStatuses: ['NEW'] };
    expect(validateStatusMapping({ ...base, mapping: { crmField: 'nope', source: 'leadStatus', table }, fields: HS }).issues.map((i) => i.code)).toEqual(['unknown_crm_field']);
    expect(validateStatusMapping({ ...base, mapping: { crmField: 'hs_object_source_detail_1', source: 'leadStatus', table }, fields: HS }).issues.map((i) => i.code)).toEqual([
      'read_only',
      'not_an_enumeration',
    ]);
  });

  it('does not check statuses for a free-text lead status without a list', () => {
    const result = validateStatusMapping({ crm: 'hubspot', mapping: { crmField: 'hs_lead_status', source: 'leadStatus', table: { anything: 'NEW' } }, fields: HS });
    expect(result).toEqual({ valid: true, issues: [] });
  });
});
