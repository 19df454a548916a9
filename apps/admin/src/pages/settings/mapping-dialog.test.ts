import type { ConnectionMappingDto } from '@conduit/contracts';
import { describe, expect, it } from 'vitest';
import { connectErrorMessage } from './integrations-page';
import { customRowError, customRowsOf, type CustomRowDraft, rowsFromDraft } from './mapping-dialog';

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

describe('connectErrorMessage', () => {
  it('explains each callback error in words', () => {
    expect(connectErrorMessage('hubspot', 'access_denied')).toMatch(/not granted in HubSpot/);
    expect(connectErrorMessage('salesforce', 'state_expired')).toMatch(/expired/);
    expect(connectErrorMessage('salesforce', 'whatever')).toMatch(/Connecting Salesforce failed/);
  });
});
