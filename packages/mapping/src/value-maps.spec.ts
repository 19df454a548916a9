import { describe, expect, it } from '@jest/globals';
import { echoKey, mergeOnImport } from './merge-on-import.js';
import type { MappingRow } from './types.js';
import {
  canonicalizeStored,
  canonicalValue,
  completeValueMap,
  INDUSTRY_VOCABULARY,
  LEAD_STATUS_VOCABULARY,
  matchVocabulary,
  suggestValueMap,
  validateValueMap,
  vocabularyFields,
  vocabularyFor,
  vocabularyKey,
} from './value-maps.js';

/** HubSpot's hs_lead_status options and Salesforce's default Lead Status picklist (plus a custom "Bad Timing"). */
const HUBSPOT_LEAD_STATUS = [
  ['NEW', 'New'],
  ['OPEN', 'Open'],
  ['IN_PROGRESS', 'In Progress'],
  ['OPEN_DEAL', 'Open Deal'],
  ['UNQUALIFIED', 'Unqualified'],
  ['ATTEMPTED_TO_CONTACT', 'Attempted to Contact'],
  ['CONNECTED', 'Connected'],
  ['BAD_TIMING', 'Bad Timing'],
].map(([value, label]) => ({ value: value!, label: label! }));
const SALESFORCE_LEAD_STATUS = ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted', 'Bad Timing'].map((v) => ({ value: v, label: v }));
const HUBSPOT_INDUSTRIES = ['COMPUTER_SOFTWARE', 'INFORMATION_TECHNOLOGY_AND_SERVICES', 'HOSPITAL_HEALTH_CARE', 'LOGISTICS_AND_SUPPLY_CHAIN', 'FINANCIAL_SERVICES', 'RENEWABLES_ENVIRONMENT', 'INSURANCE', 'COMPUTER_GAMES'].map(
  (v) => ({ value: v, label: v.toLowerCase().replace(/_/g, ' ') }),
);
const SALESFORCE_INDUSTRIES = ['Banking', 'Finance', 'Food & Beverage', 'Healthcare', 'Insurance', 'Not For Profit', 'Shipping', 'Technology', 'Environmental', 'Other'].map((v) => ({ value: v, label: v }));

describe('vocabularies', () => {
  it('lead status and industry have fixed vocabularies; other fields take free values', () => {
    expect(vocabularyFor('contact', 'leadStatus')).toBe(LEAD_STATUS_VOCABULARY);
    expect(vocabularyFor('company', 'industry')).toBe(INDUSTRY_VOCABULARY);
    expect(vocabularyFor('contact', 'firstName')).toBeNull();
    expect(vocabularyFor('contact', 'industry')).toBeNull();
    expect(vocabularyFor('contact', 'toString')).toBeNull();
    expect(vocabularyFields('contact')).toEqual(['leadStatus']);
    expect(vocabularyFields('activity')).toEqual([]);
  });

  it('reads codes, labels and spellings alike', () => {
    expect(vocabularyKey('BAD_TIMING')).toBe('bad timing');
    expect(vocabularyKey(' Bad  Timing ')).toBe('bad timing');
    expect(vocabularyKey('Food & Beverage')).toBe('food and beverage');
    expect(vocabularyKey('Café')).toBe('cafe');
    expect(matchVocabulary(LEAD_STATUS_VOCABULARY, 'bad-timing')).toBe('Bad timing');
    expect(matchVocabulary(LEAD_STATUS_VOCABULARY, '')).toBeNull();
    expect(matchVocabulary(LEAD_STATUS_VOCABULARY, 'Hot')).toBeNull();
  });
});

describe('suggestValueMap', () => {
  it('maps HubSpot and Salesforce lead statuses into one vocabulary', () => {
    expect(suggestValueMap(LEAD_STATUS_VOCABULARY, HUBSPOT_LEAD_STATUS)).toEqual({
      NEW: 'New',
      OPEN: 'Open',
      IN_PROGRESS: 'In progress',
      OPEN_DEAL: 'Open deal',
      UNQUALIFIED: 'Unqualified',
      ATTEMPTED_TO_CONTACT: 'Attempted to contact',
      CONNECTED: 'Connected',
      BAD_TIMING: 'Bad timing',
    });
    expect(suggestValueMap(LEAD_STATUS_VOCABULARY, SALESFORCE_LEAD_STATUS)).toEqual({
      'Open - Not Contacted': 'Not contacted',
      'Working - Contacted': 'Working',
      'Closed - Converted': 'Converted',
      'Closed - Not Converted': 'Not converted',
      'Bad Timing': 'Bad timing',
    });
  });

  it('maps industries by value, label and known synonyms, and leaves the rest unmapped', () => {
    expect(suggestValueMap(INDUSTRY_VOCABULARY, HUBSPOT_INDUSTRIES)).toEqual({
      COMPUTER_SOFTWARE: 'Computer software',
      INFORMATION_TECHNOLOGY_AND_SERVICES: 'Information technology and services',
      HOSPITAL_HEALTH_CARE: 'Healthcare',
      LOGISTICS_AND_SUPPLY_CHAIN: 'Logistics and supply chain',
      FINANCIAL_SERVICES: 'Financial services',
      RENEWABLES_ENVIRONMENT: 'Renewables and environment',
      INSURANCE: 'Insurance',
    });
    expect(suggestValueMap(INDUSTRY_VOCABULARY, SALESFORCE_INDUSTRIES)).toEqual({
      Banking: 'Banking',
      Finance: 'Financial services',
      'Food & Beverage': 'Food and beverage',
      Healthcare: 'Healthcare',
      Insurance: 'Insurance',
      'Not For Profit': 'Nonprofit',
      Shipping: 'Shipping',
      Technology: 'Technology',
      Environmental: 'Environmental services',
      Other: 'Other',
    });
  });

  it('matches an option by its label when its value is an opaque code', () => {
    expect(suggestValueMap(LEAD_STATUS_VOCABULARY, [{ value: 'persona_7', label: 'Nurturing' }])).toEqual({ persona_7: 'Nurturing' });
  });
});

describe('completeValueMap', () => {
  it('keeps what the admin saved (a blank entry is "Unmapped — not imported"), and suggests for options added since', () => {
    const saved = { BAD_TIMING: 'Nurturing', OPEN: '' };
    const map = completeValueMap(saved, LEAD_STATUS_VOCABULARY, HUBSPOT_LEAD_STATUS);
    expect(map['BAD_TIMING']).toBe('Nurturing');
    expect(map['OPEN']).toBe('');
    expect(map['NEW']).toBe('New');
    expect(completeValueMap(null, LEAD_STATUS_VOCABULARY, HUBSPOT_LEAD_STATUS)).toEqual(suggestValueMap(LEAD_STATUS_VOCABULARY, HUBSPOT_LEAD_STATUS));
  });
});

describe('canonicalValue', () => {
  const map = { BAD_TIMING: 'Bad timing', 'Working - Contacted': 'Working', WRONG: 'Not a value' };
  it('translates through the map, then accepts vocabulary entries spelled differently', () => {
    expect(canonicalValue(map, LEAD_STATUS_VOCABULARY, 'BAD_TIMING')).toEqual({ mapped: true, value: 'Bad timing' });
    expect(canonicalValue(map, LEAD_STATUS_VOCABULARY, 'working - contacted')).toEqual({ mapped: true, value: 'Working' });
    expect(canonicalValue(map, LEAD_STATUS_VOCABULARY, 'bad timing')).toEqual({ mapped: true, value: 'Bad timing' });
    expect(canonicalValue({}, LEAD_STATUS_VOCABULARY, 'New')).toEqual({ mapped: true, value: 'New' });
  });
  it('refuses a value the admin set to "Unmapped — not imported", even one that spells a Conduit value', () => {
    const unmapped = { OPEN: '', 'Bad Timing': '' };
    expect(canonicalValue(unmapped, LEAD_STATUS_VOCABULARY, 'OPEN')).toEqual({ mapped: false, value: 'OPEN' });
    expect(canonicalValue(unmapped, LEAD_STATUS_VOCABULARY, 'bad timing')).toEqual({ mapped: false, value: 'bad timing' });
    expect(canonicalValue(completeValueMap(unmapped, LEAD_STATUS_VOCABULARY, HUBSPOT_LEAD_STATUS), LEAD_STATUS_VOCABULARY, 'OPEN')).toEqual({ mapped: false, value: 'OPEN' });
    // Without that choice the same code is Conduit's "Open".
    expect(canonicalValue({}, LEAD_STATUS_VOCABULARY, 'OPEN')).toEqual({ mapped: true, value: 'Open' });
  });
  it('reports values it cannot place, including map entries outside the vocabulary', () => {
    expect(canonicalValue(map, LEAD_STATUS_VOCABULARY, 'HOT_LEAD')).toEqual({ mapped: false, value: 'HOT_LEAD' });
    expect(canonicalValue(map, LEAD_STATUS_VOCABULARY, 'WRONG')).toEqual({ mapped: false, value: 'WRONG' });
    expect(canonicalValue({ toString: 'New' }, LEAD_STATUS_VOCABULARY, 'constructor')).toEqual({ mapped: false, value: 'constructor' });
  });
});

describe('canonicalizeStored (values already in Conduit)', () => {
  const maps: Record<string, string>[] = [{ BAD_TIMING: 'Bad timing', IN_PROGRESS: 'In progress' }, { 'Open - Not Contacted': 'Not contacted' }];
  it('turns codes, labels and spellings into vocabulary values', () => {
    expect(canonicalizeStored(LEAD_STATUS_VOCABULARY, maps, 'BAD_TIMING')).toBe('Bad timing');
    expect(canonicalizeStored(LEAD_STATUS_VOCABULARY, maps, 'Bad Timing')).toBe('Bad timing');
    expect(canonicalizeStored(LEAD_STATUS_VOCABULARY, maps, 'Open - Not Contacted')).toBe('Not contacted');
    expect(canonicalizeStored(LEAD_STATUS_VOCABULARY, [], 'Closed - Not Converted')).toBe('Not converted');
    expect(canonicalizeStored(LEAD_STATUS_VOCABULARY, maps, 'In progress')).toBe('In progress');
    expect(canonicalizeStored(INDUSTRY_VOCABULARY, [], 'LOGISTICS_AND_SUPPLY_CHAIN')).toBe('Logistics and supply chain');
  });
  it('leaves what nothing names', () => {
    expect(canonicalizeStored(LEAD_STATUS_VOCABULARY, maps, 'Hot')).toBeNull();
  });
});

describe('validateValueMap', () => {
  it('refuses Conduit values outside the vocabulary; blank entries mean unmapped', () => {
    expect(validateValueMap(LEAD_STATUS_VOCABULARY, { BAD_TIMING: 'Bad timing', OPEN: '' })).toEqual([]);
    expect(validateValueMap(LEAD_STATUS_VOCABULARY, { BAD_TIMING: 'Later' })).toEqual([{ crmValue: 'BAD_TIMING', message: expect.stringContaining('"Later" is not one of Conduit') }]);
  });
});

describe('mergeOnImport with value maps', () => {
  const NOW = new Date('2026-12-06T12:00:00Z');
  const hubspotRow: MappingRow = {
    conduitField: 'leadStatus',
    crmField: 'hs_lead_status',
    importPriority: 'crm',
    exportBehaviour: 'do_not_export',
    crmType: 'enumeration',
    valueMap: suggestValueMap(LEAD_STATUS_VOCABULARY, HUBSPOT_LEAD_STATUS),
  };
  const salesforceRow: MappingRow = {
    conduitField: 'leadStatus',
    crmField: 'Status',
    importPriority: 'crm',
    exportBehaviour: 'do_not_export',
    crmType: 'picklist',
    valueMap: suggestValueMap(LEAD_STATUS_VOCABULARY, SALESFORCE_LEAD_STATUS),
  };
  const hubspot = { crm: 'hubspot' as const, connectionId: 'c-hs' };
  const salesforce = { crm: 'salesforce' as const, connectionId: 'c-sf' };

  it('stores both CRMs\' codes and labels as one Conduit value', () => {
    const a = mergeOnImport({ object: 'contact', rows: [hubspotRow], conduitRecord: {}, crmRecord: { hs_lead_status: 'BAD_TIMING' }, now: NOW, source: hubspot });
    const b = mergeOnImport({ object: 'contact', rows: [salesforceRow], conduitRecord: {}, crmRecord: { Status: 'Bad Timing' }, now: NOW, source: salesforce });
    expect(a.changes.map((c) => c.newValue)).toEqual(['Bad timing']);
    expect(b.changes.map((c) => c.newValue)).toEqual(['Bad timing']);
    expect(a.unmapped).toEqual([]);
  });

  it('replaces a code stored before value maps with the Conduit value, and is stable afterwards', () => {
    const first = mergeOnImport({ object: 'contact', rows: [hubspotRow], conduitRecord: { leadStatus: 'BAD_TIMING' }, crmRecord: { hs_lead_status: 'BAD_TIMING' }, now: NOW, source: hubspot });
    expect(first.changes.map((c) => [c.previousValue, c.newValue])).toEqual([['BAD_TIMING', 'Bad timing']]);
    const again = mergeOnImport({ object: 'contact', rows: [hubspotRow], conduitRecord: { leadStatus: 'Bad timing' }, crmRecord: { hs_lead_status: 'BAD_TIMING' }, now: NOW, source: hubspot });
    expect(again.changes).toEqual([]);
    expect(again.unchanged).toEqual(['leadStatus']);
  });

  it('reports a value the map does not translate and leaves the field alone', () => {
    const row = { ...hubspotRow, valueMap: { NEW: 'New' } };
    const r = mergeOnImport({ object: 'contact', rows: [row], conduitRecord: { leadStatus: 'Open' }, crmRecord: { hs_lead_status: 'HOT_LEAD' }, now: NOW, source: hubspot });
    expect(r.changes).toEqual([]);
    expect(r.unmapped).toEqual([{ field: 'leadStatus', crmField: 'hs_lead_status', value: 'HOT_LEAD' }]);
    // A code that spells a Conduit value needs no entry.
    const spelled = mergeOnImport({ object: 'contact', rows: [row], conduitRecord: { leadStatus: 'Open' }, crmRecord: { hs_lead_status: 'BAD_TIMING' }, now: NOW, source: hubspot });
    expect(spelled.changes.map((c) => c.newValue)).toEqual(['Bad timing']);
    expect(r.unchanged).toEqual(['leadStatus']);
  });

  it('maps company industries', () => {
    const row: MappingRow = { conduitField: 'industry', crmField: 'industry', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'enumeration', valueMap: suggestValueMap(INDUSTRY_VOCABULARY, HUBSPOT_INDUSTRIES) };
    const r = mergeOnImport({ object: 'company', rows: [row], conduitRecord: {}, crmRecord: { industry: 'LOGISTICS_AND_SUPPLY_CHAIN' }, now: NOW, source: hubspot });
    expect(r.changes.map((c) => c.newValue)).toEqual(['Logistics and supply chain']);
  });

  it('without a value map, keeps the value as the CRM sends it (rows of callers that give none)', () => {
    const { valueMap: _none, ...row } = hubspotRow;
    const r = mergeOnImport({ object: 'contact', rows: [row], conduitRecord: {}, crmRecord: { hs_lead_status: 'BAD_TIMING' }, now: NOW, source: hubspot });
    expect(r.changes.map((c) => c.newValue)).toEqual(['BAD_TIMING']);
  });
});

describe('mergeOnImport with a source of truth', () => {
  const NOW = new Date('2026-12-06T12:00:00Z');
  const row: MappingRow = { conduitField: 'jobTitle', crmField: 'jobtitle', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'string' };
  const statusRow: MappingRow = {
    conduitField: 'leadStatus',
    crmField: 'hs_lead_status',
    importPriority: 'crm',
    exportBehaviour: 'do_not_export',
    crmType: 'enumeration',
    valueMap: suggestValueMap(LEAD_STATUS_VOCABULARY, HUBSPOT_LEAD_STATUS),
  };
  const hubspot = { crm: 'hubspot' as const, connectionId: 'c-hs', crmRecordId: '101' };
  const mastered = { rules: new Map([['jobTitle', { source: 'salesforce' as const, others: 'fill_blanks' as const }]]), modifiedAt: '2026-12-06T11:00:00Z' };

  it('a CRM that is not the source only fills blanks, and says so in provenance', () => {
    const kept = mergeOnImport({ object: 'contact', rows: [row], conduitRecord: { jobTitle: 'CTO' }, crmRecord: { jobtitle: 'VP' }, now: NOW, source: hubspot, sourceOfTruth: mastered });
    expect(kept.changes).toEqual([]);
    const filled = mergeOnImport({ object: 'contact', rows: [row], conduitRecord: { jobTitle: '' }, crmRecord: { jobtitle: 'VP' }, now: NOW, source: hubspot, sourceOfTruth: mastered });
    expect(filled.changes.map((c) => [c.newValue, c.sourceRule])).toEqual([['VP', 'fill_blank']]);
  });

  it('the source CRM replaces the value; a blank CRM value still never blanks Conduit', () => {
    const rules = new Map([['jobTitle', { source: 'hubspot' as const, others: 'never' as const }]]);
    const r = mergeOnImport({ object: 'contact', rows: [row], conduitRecord: { jobTitle: 'CTO' }, crmRecord: { jobtitle: 'VP' }, now: NOW, source: hubspot, sourceOfTruth: { rules, modifiedAt: null } });
    expect(r.changes.map((c) => [c.previousValue, c.newValue, c.sourceRule])).toEqual([['CTO', 'VP', 'source_of_truth']]);
    const blank = mergeOnImport({ object: 'contact', rows: [row], conduitRecord: { jobTitle: 'CTO' }, crmRecord: { jobtitle: '' }, now: NOW, source: hubspot, sourceOfTruth: { rules, modifiedAt: null } });
    expect(blank.changes).toEqual([]);
  });

  it('a value Conduit wrote to the CRM, read back, is not a change (compared as sent)', () => {
    const rules = new Map([['leadStatus', { source: 'hubspot' as const, others: 'fill_blanks' as const }]]);
    const written = new Map([['hs_lead_status', echoKey(' bad_timing ')]]);
    const isEcho = (crmField: string, raw: unknown) => written.get(crmField) === echoKey(raw);
    const echo = mergeOnImport({ object: 'contact', rows: [statusRow], conduitRecord: { leadStatus: 'Qualified' }, crmRecord: { hs_lead_status: 'BAD_TIMING' }, now: NOW, source: hubspot, sourceOfTruth: { rules, modifiedAt: null, isEcho } });
    expect(echo.changes).toEqual([]);
    const real = mergeOnImport({ object: 'contact', rows: [statusRow], conduitRecord: { leadStatus: 'Qualified' }, crmRecord: { hs_lead_status: 'CONNECTED' }, now: NOW, source: hubspot, sourceOfTruth: { rules, modifiedAt: null, isEcho } });
    expect(real.changes.map((c) => c.newValue)).toEqual(['Connected']);
  });

  it('most recent change wins by the CRM records\' modification times', () => {
    const rules = new Map([['jobTitle', { source: 'latest' as const, others: 'fill_blanks' as const }]]);
    const origins = new Map([['jobTitle', { crm: 'salesforce' as const, modifiedAt: '2026-12-06T10:00:00Z' }]]);
    const newer = mergeOnImport({ object: 'contact', rows: [row], conduitRecord: { jobTitle: 'CTO' }, crmRecord: { jobtitle: 'VP' }, now: NOW, source: hubspot, sourceOfTruth: { rules, modifiedAt: '2026-12-06T11:00:00Z', origins } });
    expect(newer.changes.map((c) => [c.newValue, c.sourceRule])).toEqual([['VP', 'latest_change']]);
    const older = mergeOnImport({ object: 'contact', rows: [row], conduitRecord: { jobTitle: 'CTO' }, crmRecord: { jobtitle: 'VP' }, now: NOW, source: hubspot, sourceOfTruth: { rules, modifiedAt: '2026-12-06T09:00:00Z', origins } });
    expect(older.changes).toEqual([]);
    const seen = mergeOnImport({
      object: 'contact',
      rows: [row],
      conduitRecord: { jobTitle: 'CTO' },
      crmRecord: { jobtitle: 'VP' },
      now: NOW,
      source: hubspot,
      sourceOfTruth: { rules, modifiedAt: '2026-12-06T11:00:00Z', origins, lastImported: new Map([['jobTitle', 'VP']]) },
    });
    expect(seen.changes).toEqual([]);
  });

  it('compares echoes as text, trimmed, any case; blanks are never echoes', () => {
    expect(echoKey(' Bad_Timing ')).toBe('bad_timing');
    expect(echoKey(12)).toBe('12');
    expect(echoKey(true)).toBe('true');
    expect(echoKey('  ')).toBeNull();
    expect(echoKey(null)).toBeNull();
    expect(echoKey(['a'])).toBeNull();
  });

  it('fields without a rule keep the row\'s import priority', () => {
    const r = mergeOnImport({ object: 'contact', rows: [row], conduitRecord: { jobTitle: 'CTO' }, crmRecord: { jobtitle: 'VP' }, now: NOW, source: hubspot, sourceOfTruth: { rules: new Map(), modifiedAt: null } });
    expect(r.changes.map((c) => [c.newValue, c.sourceRule])).toEqual([['VP', undefined]]);
  });
});
