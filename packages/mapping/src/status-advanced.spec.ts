import { describe, expect, it } from '@jest/globals';
import { hubspotContactProperties } from './__fixtures__/hubspot-properties.fixture.js';
import { hubspotPropertiesToDescriptors } from './hubspot/hubspot.fields.js';
import {
  ADVANCED_STATUSES,
  ADVANCED_STATUS_PARENT,
  advancedStatusOf,
  advancedStatusOfActivity,
  advancedStatusesHeldOver,
  isAdvancedStatus,
  mergeAdvancedStatus,
  parentOfStatus,
  readAdvancedStatusMap,
  type AdvancedStatus,
  type AdvancedStatusMap,
  type StatusActivity,
} from './status-advanced.js';
import { ENGAGEMENT_STATES, resolveStatusEntry, STATUS_MAPPING_KEYS, statusForExport, statusForImport, statusKeyOf, validateStatusMapping, type StatusMapping } from './status.js';
import type { CrmFieldDescriptor } from './types.js';

const HS = hubspotPropertiesToDescriptors(hubspotContactProperties);
const hsStatus = HS.find((f) => f.name === 'hs_lead_status') as CrmFieldDescriptor;

describe('ADVANCED_STATUSES', () => {
  it('every advanced status refines an engagement state, and keys are unique and distinct from the states', () => {
    const keys = ADVANCED_STATUSES.map((s) => s.status);
    expect(new Set(keys).size).toBe(keys.length);
    for (const s of ADVANCED_STATUSES) {
      expect(ENGAGEMENT_STATES).toContain(s.parent);
      expect(ENGAGEMENT_STATES as readonly string[]).not.toContain(s.status);
    }
    expect(STATUS_MAPPING_KEYS).toEqual([...ENGAGEMENT_STATES, ...keys]);
  });

  it('lists each parent contiguously, in rank order', () => {
    expect(ADVANCED_STATUSES.map((s) => `${s.parent}>${s.status}`)).toEqual([
      'contacted>email_sent',
      'contacted>linkedin_connection_requested',
      'contacted>linkedin_message_sent',
      'contacted>called',
      'contacted>linkedin_connected',
      'replied_positive>meeting_booked',
      'replied_positive>meeting_held',
    ]);
  });

  it.each<[unknown, boolean, string | null]>([
    ['meeting_booked', true, 'replied_positive'],
    ['email_sent', true, 'contacted'],
    ['contacted', false, null],
    ['toString', false, null],
    ['', false, null],
    [42, false, null],
  ])('%p: advanced %p, parent %p', (s, advanced, parent) => {
    expect(isAdvancedStatus(s)).toBe(advanced);
    if (typeof s === 'string') expect(parentOfStatus(s)).toBe(parent);
  });
});

describe('advancedStatusOfActivity', () => {
  it.each<[StatusActivity, AdvancedStatus | null]>([
    [{ type: 'email_sent' }, 'email_sent'],
    [{ type: 'email_reply' }, null],
    [{ type: 'linkedin_connection_request' }, 'linkedin_connection_requested'],
    [{ type: 'linkedin_connection_request', state: 'sent' }, 'linkedin_connection_requested'],
    [{ type: 'linkedin_connection_request', state: 'accepted' }, 'linkedin_connected'],
    [{ type: 'linkedin_message' }, 'linkedin_message_sent'],
    [{ type: 'linkedin_message', direction: 'outbound' }, 'linkedin_message_sent'],
    [{ type: 'linkedin_message', direction: 'sent' }, 'linkedin_message_sent'],
    [{ type: 'linkedin_message', direction: 'incoming' }, null],
    [{ type: 'linkedin_message', direction: 'received' }, null],
    [{ type: 'linkedin_message', direction: 'inbound' }, null],
    [{ type: 'call' }, 'called'],
    [{ type: 'call', outcome: 'no_answer' }, 'called'],
    [{ type: 'meeting' }, 'meeting_booked'],
    [{ type: 'meeting', outcome: 'scheduled' }, 'meeting_booked'],
    [{ type: 'meeting', outcome: 'rescheduled' }, 'meeting_booked'],
    [{ type: 'meeting', outcome: 'completed' }, 'meeting_held'],
    [{ type: 'meeting', outcome: 'canceled' }, null],
    [{ type: 'meeting', outcome: 'no_show' }, null],
    [{ type: 'note' }, null],
    [{ type: 'task' }, null],
    [{ type: 'unknown' }, null],
  ])('%p → %p', (activity, expected) => {
    expect(advancedStatusOfActivity(activity)).toBe(expected);
  });
});

describe('mergeAdvancedStatus', () => {
  it.each<[AdvancedStatusMap, AdvancedStatus | null, AdvancedStatusMap | null]>([
    [{}, null, null],
    [{}, 'email_sent', { contacted: 'email_sent' }],
    [{ contacted: 'email_sent' }, 'email_sent', null],
    [{ contacted: 'email_sent' }, 'linkedin_connected', { contacted: 'linkedin_connected' }],
    [{ contacted: 'linkedin_connected' }, 'email_sent', null],
    [{ contacted: 'called' }, 'linkedin_message_sent', null],
    [{ contacted: 'called' }, 'meeting_booked', { contacted: 'called', replied_positive: 'meeting_booked' }],
    [{ replied_positive: 'meeting_booked' }, 'meeting_held', { replied_positive: 'meeting_held' }],
    [{ replied_positive: 'meeting_held' }, 'meeting_booked', null],
  ])('%p + %p → %p', (current, status, expected) => {
    expect(mergeAdvancedStatus(current, status)).toEqual(expected);
  });

  it('does not depend on the order activities arrive in', () => {
    const all: AdvancedStatus[] = ['linkedin_connected', 'email_sent', 'meeting_booked', 'called', 'meeting_held', 'linkedin_connection_requested'];
    const fold = (list: AdvancedStatus[]) => list.reduce<AdvancedStatusMap>((m, s) => mergeAdvancedStatus(m, s) ?? m, {});
    const expected = { contacted: 'linkedin_connected', replied_positive: 'meeting_held' };
    expect(fold(all)).toEqual(expected);
    expect(fold([...all].reverse())).toEqual(expected);
  });
});

describe('advancedStatusesHeldOver', () => {
  it.each<[AdvancedStatus, AdvancedStatus[]]>([
    ['email_sent', ['email_sent', 'linkedin_connection_requested', 'linkedin_message_sent', 'called', 'linkedin_connected']],
    ['called', ['called', 'linkedin_connected']],
    ['linkedin_connected', ['linkedin_connected']],
    ['meeting_booked', ['meeting_booked', 'meeting_held']],
    ['meeting_held', ['meeting_held']],
  ])('%s is held over by %p', (status, expected) => {
    expect(advancedStatusesHeldOver(status)).toEqual(expected);
  });

  it('agrees with mergeAdvancedStatus for every pair', () => {
    for (const { status } of ADVANCED_STATUSES) {
      for (const held of ADVANCED_STATUSES) {
        const current: AdvancedStatusMap = { [held.parent]: held.status };
        const kept = held.parent === ADVANCED_STATUS_PARENT[status] && advancedStatusesHeldOver(status).includes(held.status);
        expect([status, held.status, mergeAdvancedStatus(current, status) === null]).toEqual([status, held.status, kept]);
      }
    }
  });
});

describe('readAdvancedStatusMap / advancedStatusOf', () => {
  it.each<[unknown, AdvancedStatusMap]>([
    [null, {}],
    [[], {}],
    ['contacted', {}],
    [{ contacted: 'called', replied_positive: 'meeting_booked' }, { contacted: 'called', replied_positive: 'meeting_booked' }],
    [{ contacted: 'meeting_booked', replied: 'email_sent', replied_positive: 7 }, {}],
  ])('%p → %p', (stored, expected) => {
    expect(readAdvancedStatusMap(stored)).toEqual(expected);
  });

  const map: AdvancedStatusMap = { contacted: 'linkedin_connected', replied_positive: 'meeting_booked' };
  it.each<[string | null, AdvancedStatus | null]>([
    ['contacted', 'linkedin_connected'],
    ['replied_positive', 'meeting_booked'],
    ['replied', null],
    ['replied_negative', null],
    ['not_contacted', null],
    [null, null],
  ])('under %p the current advanced status is %p', (state, expected) => {
    expect(advancedStatusOf(state, map)).toBe(expected);
  });
});

describe('resolution', () => {
  const table = { contacted: 'ATTEMPTED_TO_CONTACT', replied_positive: 'IN_PROGRESS', meeting_booked: 'OPEN_DEAL', called: '  ' };
  it.each<[string, { status: string; value: string } | undefined]>([
    ['meeting_booked', { status: 'meeting_booked', value: 'OPEN_DEAL' }],
    ['meeting_held', { status: 'replied_positive', value: 'IN_PROGRESS' }],
    ['called', { status: 'contacted', value: 'ATTEMPTED_TO_CONTACT' }], // blank entry: the parent's
    ['email_sent', { status: 'contacted', value: 'ATTEMPTED_TO_CONTACT' }],
    ['contacted', { status: 'contacted', value: 'ATTEMPTED_TO_CONTACT' }],
    ['replied', undefined],
    ['toString', undefined],
  ])('%s → %p', (status, expected) => {
    expect(resolveStatusEntry(table, status)).toEqual(expected);
  });

  it('an advanced status without its own entry or its parent\'s is unmapped', () => {
    expect(resolveStatusEntry({ meeting_booked: 'OPEN_DEAL' }, 'linkedin_connected')).toBeUndefined();
  });

  const mapping: StatusMapping = { crmField: 'hs_lead_status', source: 'engagementState', table };
  it.each<[string, unknown, object]>([
    ['an advanced status with its own entry', { engagementState: 'replied_positive', advancedStatus: 'meeting_booked' }, { ok: true, value: 'OPEN_DEAL' }],
    ['an advanced status without one uses its parent', { engagementState: 'replied_positive', advancedStatus: 'meeting_held' }, { ok: true, value: 'IN_PROGRESS' }],
    ['no advanced status', { engagementState: 'replied_positive', advancedStatus: null }, { ok: true, value: 'IN_PROGRESS' }],
    ['an advanced status of another state is ignored', { engagementState: 'contacted', advancedStatus: 'meeting_booked' }, { ok: true, value: 'ATTEMPTED_TO_CONTACT' }],
    ['an unknown advanced status is ignored', { engagementState: 'contacted', advancedStatus: 'waved' }, { ok: true, value: 'ATTEMPTED_TO_CONTACT' }],
    ['an advanced status alone is no status', { advancedStatus: 'meeting_booked' }, { ok: true, value: null }],
    ['unmapped parent and advanced status', { engagementState: 'replied_negative', advancedStatus: null }, { ok: false, error: { code: 'unmapped_status' } }],
  ])('%s', (_t, record, expected) => {
    expect(statusForExport({ crm: 'hubspot', mapping, conduitRecord: record as Record<string, unknown>, field: hsStatus })).toMatchObject(expected);
  });

  it.each(ADVANCED_STATUSES.map((s) => [s.status, s.parent] as const))('%s (under %s): its own entry when the table has one, else its parent\'s', (status, parent) => {
    const parentTable = { [parent]: 'IN_PROGRESS' };
    const record = { engagementState: parent, advancedStatus: status };
    const own: StatusMapping = { crmField: 'hs_lead_status', source: 'engagementState', table: { ...parentTable, [status]: 'OPEN_DEAL' } };
    const inherited: StatusMapping = { ...own, table: parentTable };
    expect(statusForExport({ crm: 'hubspot', mapping: own, conduitRecord: record, field: hsStatus })).toEqual({ ok: true, value: 'OPEN_DEAL' });
    expect(statusForExport({ crm: 'hubspot', mapping: inherited, conduitRecord: record, field: hsStatus })).toEqual({ ok: true, value: 'IN_PROGRESS' });
    expect(statusForExport({ crm: 'hubspot', mapping: { ...own, table: {} }, conduitRecord: record, field: hsStatus })).toMatchObject({ ok: false, error: { code: 'unmapped_status' } });
  });

  it('the advanced entry is checked against the field options', () => {
    const m: StatusMapping = { ...mapping, table: { replied_positive: 'IN_PROGRESS', meeting_booked: 'BOOKED' } };
    expect(statusForExport({ crm: 'hubspot', mapping: m, conduitRecord: { engagementState: 'replied_positive', advancedStatus: 'meeting_booked' }, field: hsStatus })).toMatchObject({
      ok: false,
      error: { code: 'invalid_option' },
    });
  });

  it('a leadStatus source never reads the advanced status', () => {
    const m: StatusMapping = { crmField: 'hs_lead_status', source: 'leadStatus', table: { hot: 'IN_PROGRESS', meeting_booked: 'OPEN_DEAL' } };
    expect(statusKeyOf(m, { leadStatus: 'hot', advancedStatus: 'meeting_booked' })).toBe('hot');
    expect(statusForExport({ crm: 'hubspot', mapping: m, conduitRecord: { leadStatus: 'hot', advancedStatus: 'meeting_booked' }, field: hsStatus })).toEqual({ ok: true, value: 'IN_PROGRESS' });
  });

  it('import gives the parent of an advanced entry', () => {
    const m: StatusMapping = { crmField: 'hs_lead_status', source: 'engagementState', table: { meeting_booked: 'OPEN_DEAL', replied_positive: 'IN_PROGRESS' } };
    expect(statusForImport(m, 'OPEN_DEAL')).toEqual({ ok: true, value: 'replied_positive' });
    expect(statusForImport({ ...m, reverse: { IN_PROGRESS: 'meeting_held' } }, 'IN_PROGRESS')).toEqual({ ok: true, value: 'replied_positive' });
  });
});

describe('validateStatusMapping with advanced statuses', () => {
  const base = { not_contacted: 'NEW', contacted: 'ATTEMPTED_TO_CONTACT', replied: 'CONNECTED', replied_positive: 'IN_PROGRESS', replied_negative: 'UNQUALIFIED' };

  it('accepts advanced keys, blank advanced entries, and does not ask for advanced ones', () => {
    const table = { ...base, meeting_booked: 'OPEN_DEAL', linkedin_connected: '' };
    expect(validateStatusMapping({ crm: 'hubspot', mapping: { crmField: 'hs_lead_status', source: 'engagementState', table }, fields: HS })).toEqual({ valid: true, issues: [] });
  });

  it('refuses an advanced value outside the options, a blank engagement state, and unknown keys', () => {
    const table = { ...base, replied: '', meeting_booked: 'BOOKED', meeting_cancelled: 'NEW' };
    const result = validateStatusMapping({ crm: 'hubspot', mapping: { crmField: 'hs_lead_status', source: 'engagementState', table }, fields: HS });
    expect(result.valid).toBe(false);
    expect(result.issues.map((i) => [i.status, i.code])).toEqual([
      ['replied', 'invalid_option'],
      ['meeting_booked', 'invalid_option'],
      ['meeting_cancelled', 'unknown_status'],
    ]);
  });

  it('a leadStatus source with an explicit list does not know advanced statuses', () => {
    const result = validateStatusMapping({ crm: 'hubspot', mapping: { crmField: 'hs_lead_status', source: 'leadStatus', table: { meeting_booked: 'NEW' } }, fields: HS, conduitStatuses: ['hot'] });
    expect(result.issues.map((i) => [i.status, i.code])).toEqual([
      ['meeting_booked', 'unknown_status'],
      ['hot', 'status_not_mapped'],
    ]);
  });

  it('every parent is an engagement state', () => {
    for (const parent of Object.values(ADVANCED_STATUS_PARENT)) expect(ENGAGEMENT_STATES).toContain(parent);
  });
});
