import type { ConnectionMappingDto, CrmFieldDto, MappingIssueDto, SourceOfTruthDto } from '@conduit/contracts';
import { describe, expect, it } from 'vitest';
import {
  customErrorPlacement,
  customRowError,
  customRowsOf,
  DEFAULT_RULE,
  draftOf,
  fieldOptions,
  issuesByField,
  newCustomRow,
  rowErrorsOf,
  rowsFromDraft,
  rulesOf,
  changedSources,
  sourceExplanation,
  sourceOptions,
  sourcesOf,
  valueMapRows,
  valueMapsOf,
  vocabularyFields,
  type CustomRowDraft,
} from './mapping-draft';

const mapping: ConnectionMappingDto = {
  crm: 'hubspot',
  object: 'contacts',
  crmObject: 'contacts',
  rows: [
    { conduitField: 'firstName', crmField: 'firstname', importPriority: 'crm', exportBehaviour: 'fill_if_empty' },
    { conduitField: 'qualificationReasoning', crmField: 'conduit_qualification_reasoning', importPriority: 'conduit', exportBehaviour: 'overwrite' },
    { conduitField: 'custom.tier', crmField: 'tier', importPriority: 'crm', exportBehaviour: 'do_not_export' },
  ],
  isDefault: true,
  conduitFields: [
    { name: 'firstName', label: 'First name', type: 'string' },
    { name: 'city', label: 'City', type: 'string' },
    { name: 'qualificationReasoning', label: 'Qualification reasoning', type: 'text' },
  ],
  fields: [],
  issues: [],
  missingFields: [],
  drift: null,
  discoveredAt: null,
  unmapped: [],
};

describe('rowsFromDraft', () => {
  it('keeps priority and behaviour of changed rows, drops cleared ones, appends new ones and keeps custom attributes', () => {
    const rows = rowsFromDraft(mapping, { firstName: null, city: 'city', qualificationReasoning: 'conduit_personalized_opener' });
    expect(rows).toEqual([
      { conduitField: 'qualificationReasoning', crmField: 'conduit_personalized_opener', importPriority: 'conduit', exportBehaviour: 'overwrite' },
      { conduitField: 'custom.tier', crmField: 'tier', importPriority: 'crm', exportBehaviour: 'do_not_export' },
      { conduitField: 'city', crmField: 'city', importPriority: 'crm', exportBehaviour: 'fill_if_empty' },
    ]);
  });
});

describe('rowsFromDraft with chosen rules', () => {
  it('applies the import priority and export behaviour picked in the dialog to kept and new rows', () => {
    const rows = rowsFromDraft(
      mapping,
      { firstName: 'firstname', city: 'city', qualificationReasoning: null },
      { firstName: { importPriority: 'conduit', exportBehaviour: 'do_not_export' }, city: { importPriority: 'conduit', exportBehaviour: 'overwrite' } },
    );
    expect(rows).toEqual([
      { conduitField: 'firstName', crmField: 'firstname', importPriority: 'conduit', exportBehaviour: 'do_not_export' },
      { conduitField: 'custom.tier', crmField: 'tier', importPriority: 'crm', exportBehaviour: 'do_not_export' },
      { conduitField: 'city', crmField: 'city', importPriority: 'conduit', exportBehaviour: 'overwrite' },
    ]);
  });
});

describe('custom attribute rows', () => {
  const row = (over: Partial<CustomRowDraft>): CustomRowDraft => ({ id: 1, key: 'tier', crmField: 'tier', importPriority: 'crm', exportBehaviour: 'do_not_export', ...over });

  it('reads the stored custom rows without their prefix', () => {
    expect(customRowsOf(mapping).map(({ id: _id, ...r }) => r)).toEqual([{ key: 'tier', crmField: 'tier', importPriority: 'crm', exportBehaviour: 'do_not_export' }]);
  });

  it('replaces the stored custom rows by the edited ones: added, changed and removed', () => {
    const draft = { firstName: 'firstname', city: null, qualificationReasoning: 'conduit_qualification_reasoning' };
    expect(rowsFromDraft(mapping, draft, {}, [])).toEqual([
      { conduitField: 'firstName', crmField: 'firstname', importPriority: 'crm', exportBehaviour: 'fill_if_empty' },
      { conduitField: 'qualificationReasoning', crmField: 'conduit_qualification_reasoning', importPriority: 'conduit', exportBehaviour: 'overwrite' },
    ]);
    const rows = rowsFromDraft(mapping, draft, {}, [row({ crmField: 'account_tier', importPriority: 'conduit' }), row({ id: 2, key: ' score ', crmField: 'conduit_score', exportBehaviour: 'overwrite' })]);
    expect(rows.slice(2)).toEqual([
      { conduitField: 'custom.tier', crmField: 'account_tier', importPriority: 'conduit', exportBehaviour: 'do_not_export' },
      { conduitField: 'custom.score', crmField: 'conduit_score', importPriority: 'crm', exportBehaviour: 'overwrite' },
    ]);
  });

  it('says why a custom row cannot be sent', () => {
    expect(customRowError(row({ key: ' ' }), [])).toMatch(/Name/);
    expect(customRowError(row({ key: 'a b' }), [])).toMatch(/Letters/);
    expect(customRowError(row({ crmField: null }), [])).toMatch(/CRM field/);
    const a = row({});
    expect(customRowError(a, [a, row({ id: 2 })])).toMatch(/already mapped/);
    expect(customRowError(a, [a])).toBeNull();
  });
});

describe('draftOf and rulesOf', () => {
  it('start from the saved rows: the CRM field and rules of each plain field, null when unmapped, custom rows left out', () => {
    expect(draftOf(mapping)).toEqual({ firstName: 'firstname', city: null, qualificationReasoning: 'conduit_qualification_reasoning' });
    expect(rulesOf(mapping)).toEqual({
      firstName: { importPriority: 'crm', exportBehaviour: 'fill_if_empty' },
      qualificationReasoning: { importPriority: 'conduit', exportBehaviour: 'overwrite' },
      'custom.tier': { importPriority: 'crm', exportBehaviour: 'do_not_export' },
    });
  });

  it('take the first row of a field mapped twice', () => {
    const twice: ConnectionMappingDto = {
      ...mapping,
      rows: [...mapping.rows, { conduitField: 'firstName', crmField: 'nickname', importPriority: 'conduit', exportBehaviour: 'overwrite' }],
    };
    expect(draftOf(twice).firstName).toBe('firstname');
    expect(rulesOf(twice).firstName).toEqual({ importPriority: 'crm', exportBehaviour: 'fill_if_empty' });
  });

  it('a draft read from the saved rows sends those rows back unchanged', () => {
    expect(rowsFromDraft(mapping, draftOf(mapping), rulesOf(mapping), customRowsOf(mapping))).toEqual(mapping.rows);
    expect(rowsFromDraft(mapping, draftOf(mapping), rulesOf(mapping))).toEqual(mapping.rows);
  });
});

describe('rowsFromDraft edge cases', () => {
  it('keeps rows of fields the draft does not know, and the first row of a field mapped twice only', () => {
    const withExtra: ConnectionMappingDto = {
      ...mapping,
      rows: [
        { conduitField: 'legacyField', crmField: 'legacy', importPriority: 'conduit', exportBehaviour: 'overwrite' },
        { conduitField: 'firstName', crmField: 'firstname', importPriority: 'crm', exportBehaviour: 'fill_if_empty' },
        { conduitField: 'firstName', crmField: 'nickname', importPriority: 'crm', exportBehaviour: 'fill_if_empty' },
      ],
    };
    expect(rowsFromDraft(withExtra, { firstName: 'given_name', city: null, qualificationReasoning: null })).toEqual([
      { conduitField: 'legacyField', crmField: 'legacy', importPriority: 'conduit', exportBehaviour: 'overwrite' },
      { conduitField: 'firstName', crmField: 'given_name', importPriority: 'crm', exportBehaviour: 'fill_if_empty' },
    ]);
  });

  it('drops custom rows without a name or a CRM field and trims the name', () => {
    const custom: CustomRowDraft[] = [
      { id: 1, key: '  ', crmField: 'x', ...DEFAULT_RULE },
      { id: 2, key: 'score', crmField: null, ...DEFAULT_RULE },
      { id: 3, key: ' fit ', crmField: 'fit_score', ...DEFAULT_RULE },
    ];
    const rows = rowsFromDraft(mapping, { firstName: null, city: null, qualificationReasoning: null }, {}, custom);
    expect(rows).toEqual([{ conduitField: 'custom.fit', crmField: 'fit_score', importPriority: 'crm', exportBehaviour: 'fill_if_empty' }]);
  });
});

describe('newCustomRow and customRowsOf', () => {
  it('give every row its own id and the defaults of a CRM-owned field', () => {
    const a = newCustomRow();
    const b = newCustomRow();
    const [stored] = customRowsOf(mapping);
    expect(new Set([a.id, b.id, stored!.id]).size).toBe(3);
    expect(a).toMatchObject({ key: '', crmField: null, importPriority: 'crm', exportBehaviour: 'fill_if_empty' });
  });
});

describe('customRowError and where its message goes', () => {
  const row = (over: Partial<CustomRowDraft>): CustomRowDraft => ({ id: 1, key: 'tier', crmField: 'tier', ...DEFAULT_RULE, ...over });

  it('accepts letters, digits, _ . - and compares names trimmed', () => {
    expect(customRowError(row({ key: 'a_b.c-1' }), [])).toBeNull();
    expect(customRowError(row({ key: 'é' }), [])).toMatch(/Letters/);
    const a = row({ key: 'tier' });
    expect(customRowError(a, [a, row({ id: 2, key: ' tier ' })])).toMatch(/already mapped/);
  });

  it('puts name problems under the name and a missing CRM field under the CRM field', () => {
    expect(customErrorPlacement(null, '')).toEqual({});
    expect(customErrorPlacement('Name the Conduit custom attribute', ' ')).toEqual({ key: 'Name the Conduit custom attribute' });
    expect(customErrorPlacement('Letters, digits, _ . - only', 'a b')).toEqual({ key: 'Letters, digits, _ . - only' });
    expect(customErrorPlacement('This attribute is already mapped', 'tier')).toEqual({ key: 'This attribute is already mapped' });
    expect(customErrorPlacement('Choose the CRM field', 'tier')).toEqual({ crmField: 'Choose the CRM field' });
  });
});

describe('fieldOptions', () => {
  const field = (over: Partial<CrmFieldDto>): CrmFieldDto => ({ name: 'x', label: 'X', type: 'string', crmType: 'text', readOnly: false, custom: false, ...over });
  const fields = [
    field({ name: 'phone', label: 'Phone' }),
    field({ name: 'score', label: 'Account score', custom: true }),
    field({ name: 'createdate', label: 'Create date', readOnly: true }),
  ];

  it('lists the writable fields by label, marks custom ones and leaves read-only ones out', () => {
    expect(fieldOptions(fields, 'phone')).toEqual([
      { value: 'score', label: 'Account score (score) · custom' },
      { value: 'phone', label: 'Phone (phone)' },
    ]);
  });

  it('keeps a mapped field that is gone or read-only at the top, marked not available', () => {
    expect(fieldOptions(fields, 'createdate')[0]).toEqual({ value: 'createdate', label: 'createdate (not available)' });
    expect(fieldOptions(fields, 'old_field')[0]).toEqual({ value: 'old_field', label: 'old_field (not available)' });
    expect(fieldOptions(fields, null)).toHaveLength(2);
  });
});

describe('issuesByField and rowErrorsOf', () => {
  it('file the stored issues under the field of the row they name', () => {
    const issue = (rowIndex: number | null, message: string): MappingIssueDto => ({ rowIndex, field: 'crmField', severity: 'warning', code: 'x', message });
    const issues = issuesByField({ ...mapping, issues: [issue(0, 'a'), issue(1, 'b'), issue(0, 'c'), issue(null, 'general'), issue(9, 'gone')] });
    expect(Object.fromEntries(Object.entries(issues).map(([k, v]) => [k, v.map((i) => i.message)]))).toEqual({ firstName: ['a', 'c'], qualificationReasoning: ['b'] });
  });

  it('file a 400 on rows.N under the field of the N-th row sent, ignoring other fields and unknown rows', () => {
    const sent = mapping.rows;
    const errors = rowErrorsOf(
      [
        { field: 'rows.1.crmField', messages: ['is not writable'] },
        { field: 'rows.1.exportBehaviour', messages: ['is invalid'] },
        { field: 'rows.2.crmField', messages: ['is unknown'] },
        { field: 'rows.7.crmField', messages: ['lost'] },
        { field: 'object', messages: ['must be contacts'] },
      ],
      sent,
    );
    expect(errors).toEqual({ qualificationReasoning: ['is not writable', 'is invalid'], 'custom.tier': ['is unknown'] });
  });
});

describe('value maps and sources of truth (issue 21)', () => {
  const withStatus: ConnectionMappingDto = {
    ...mapping,
    rows: [
      ...mapping.rows,
      { conduitField: 'leadStatus', crmField: 'hs_lead_status', importPriority: 'crm', exportBehaviour: 'do_not_export', valueMap: { BAD_TIMING: 'Bad timing', NEW: 'New' } },
    ],
    conduitFields: [...mapping.conduitFields, { name: 'leadStatus', label: 'Lead status', type: 'enumeration', vocabulary: ['New', 'Bad timing', 'Nurturing'] }],
    fields: [
      {
        name: 'hs_lead_status',
        label: 'Lead Status',
        type: 'enumeration',
        readOnly: false,
        custom: false,
        options: [
          { value: 'NEW', label: 'New' },
          { value: 'BAD_TIMING', label: 'Bad Timing' },
          { value: 'OPEN_DEAL', label: 'Open Deal' },
        ],
      } as CrmFieldDto,
    ],
  };

  it('starts from the answered maps and lists each option by its label, unmapped ones included', () => {
    const maps = valueMapsOf(withStatus);
    expect(maps).toEqual({ leadStatus: { BAD_TIMING: 'Bad timing', NEW: 'New' } });
    expect(vocabularyFields(withStatus).map((f) => f.name)).toEqual(['leadStatus']);
    expect(valueMapRows(withStatus, 'hs_lead_status', maps['leadStatus']!)).toEqual([
      { value: 'NEW', label: 'New', conduitValue: 'New' },
      { value: 'BAD_TIMING', label: 'Bad Timing', conduitValue: 'Bad timing' },
      { value: 'OPEN_DEAL', label: 'Open Deal', conduitValue: null },
    ]);
    // An option the CRM no longer lists stays visible.
    expect(valueMapRows(withStatus, 'hs_lead_status', { GONE: 'New' }).at(-1)).toEqual({ value: 'GONE', label: 'GONE', conduitValue: 'New' });
  });

  it('sends the edited map with its row; a field moved to another CRM field starts again from the suggestions', () => {
    const draft = { ...draftOf(withStatus) };
    const edited = { leadStatus: { BAD_TIMING: 'Nurturing', NEW: 'New', OPEN_DEAL: '' } };
    const rows = rowsFromDraft(withStatus, draft, {}, undefined, edited);
    expect(rows.find((r) => r.conduitField === 'leadStatus')?.valueMap).toEqual({ BAD_TIMING: 'Nurturing', NEW: 'New', OPEN_DEAL: '' });
    const moved = rowsFromDraft(withStatus, { ...draft, leadStatus: 'hs_other_status' }, {}, undefined, edited);
    expect(moved.find((r) => r.conduitField === 'leadStatus')).toEqual({ conduitField: 'leadStatus', crmField: 'hs_other_status', importPriority: 'crm', exportBehaviour: 'do_not_export' });
  });

  const sot: SourceOfTruthDto = {
    object: 'contacts',
    connected: ['salesforce', 'hubspot'],
    active: true,
    fields: [
      { conduitField: 'leadStatus', label: 'Lead status', source: 'salesforce', others: 'fill_blanks', isDefault: true, mappedBy: ['salesforce', 'hubspot'] },
      { conduitField: 'city', label: 'City', source: 'latest', others: 'fill_blanks', isDefault: false, mappedBy: ['hubspot'] },
    ],
  };

  it('sends only the source-of-truth choices that changed', () => {
    const draft = sourcesOf(sot);
    expect(changedSources(sot, draft)).toEqual([]);
    draft['leadStatus'] = { source: 'hubspot', others: 'never' };
    expect(changedSources(sot, draft)).toEqual([{ conduitField: 'leadStatus', source: 'hubspot', others: 'never' }]);
  });

  it('offers the connected CRMs first connected first, then the latest change and Conduit, and explains each in words', () => {
    expect(sourceOptions(['salesforce', 'hubspot']).map((o) => o.label)).toEqual(['Salesforce', 'HubSpot', 'Most recent change wins', 'Conduit']);
    expect(sourceExplanation({ source: 'salesforce', others: 'fill_blanks' }, ['salesforce', 'hubspot'])).toBe('Salesforce’s value wins; HubSpot only fills it when it is blank.');
    expect(sourceExplanation({ source: 'hubspot', others: 'never' }, ['salesforce', 'hubspot'])).toBe('HubSpot’s value wins; Salesforce never writes it.');
    expect(sourceExplanation({ source: 'latest', others: 'fill_blanks' }, ['salesforce', 'hubspot'])).toMatch(/changed it last wins/);
    expect(sourceExplanation({ source: 'conduit', others: 'never' }, ['salesforce', 'hubspot'])).toMatch(/Conduit keeps its value/);
  });
});
