import { describe, expect, it } from '@jest/globals';
import { decideFieldSource, defaultFieldSourceRule, FIELD_SOURCES, type FieldSourceInput, fieldSourceRuleLabel, OTHER_SOURCES_POLICIES } from './source-of-truth.js';
import { CRM_KINDS, type CrmKind } from './types.js';

const T1 = '2026-12-01T10:00:00.000Z';
const T2 = '2026-12-01T11:00:00.000Z';

type CurrentState = 'blank' | 'equal' | 'different';
/** The incoming record's modification time against the current value's. */
type Times = 'newer' | 'older' | 'same' | 'incoming_unknown' | 'current_unknown' | 'no_origin';

const TIMES: Record<Times, Pick<FieldSourceInput, 'incomingModifiedAt' | 'current'>> = {
  newer: { incomingModifiedAt: T2, current: { crm: 'hubspot', modifiedAt: T1 } },
  older: { incomingModifiedAt: T1, current: { crm: 'hubspot', modifiedAt: T2 } },
  same: { incomingModifiedAt: T1, current: { crm: null, modifiedAt: T1 } },
  incoming_unknown: { incomingModifiedAt: null, current: { crm: 'salesforce', modifiedAt: T1 } },
  current_unknown: { incomingModifiedAt: T1, current: { crm: 'salesforce', modifiedAt: null } },
  no_origin: { incomingModifiedAt: T1, current: null },
};

/**
 * The expected outcome, written as the product rule reads (not as the implementation is structured):
 * 1. nothing to change when the values are equal; 2. Conduit's own write read back is never a change;
 * 3. a blank field is filled unless the CRM is not the source and its policy is "never" (Conduit and "latest" let
 *    every CRM fill blanks); 4. the source CRM always replaces a filled value; 5. with a CRM or Conduit as the
 *    source, other CRMs never replace a filled value; 6. "latest": the CRM's value wins only when it is a real change
 *    in the CRM made strictly after the current value was set (unknown current age loses; unknown incoming age never wins).
 */
function expected(source: string, others: string, incoming: CrmKind, state: CurrentState, times: Times, echo: boolean, unchangedInCrm: boolean): boolean {
  if (state === 'equal') return false;
  if (echo) return false;
  const isSource = source === incoming;
  if (state === 'blank') return isSource || source === 'latest' || source === 'conduit' || others === 'fill_blanks';
  if (isSource) return true;
  if (source !== 'latest') return false;
  if (unchangedInCrm) return false;
  return times === 'newer' || times === 'current_unknown' || times === 'no_origin';
}

describe('decideFieldSource: every choice × incoming CRM × blank/equal/different × modification times × echo', () => {
  const cases: [string, string, CrmKind, CurrentState, Times, boolean, boolean][] = [];
  for (const source of FIELD_SOURCES)
    for (const others of OTHER_SOURCES_POLICIES)
      for (const incoming of CRM_KINDS)
        for (const state of ['blank', 'equal', 'different'] as const)
          for (const times of Object.keys(TIMES) as Times[])
            for (const echo of [false, true])
              for (const unchangedInCrm of [false, true]) cases.push([source, others, incoming, state, times, echo, unchangedInCrm]);

  it('covers the whole matrix', () => {
    expect(cases).toHaveLength(4 * 2 * 2 * 3 * 6 * 2 * 2);
  });

  it.each(cases)('source %s, others %s, from %s, Conduit %s, times %s, echo %s, unchanged in CRM %s', (source, others, incoming, state, times, echo, unchangedInCrm) => {
    const decision = decideFieldSource({
      rule: { source: source as FieldSourceInput['rule']['source'], others: others as FieldSourceInput['rule']['others'] },
      incomingCrm: incoming,
      currentBlank: state === 'blank',
      equal: state === 'equal',
      echo,
      unchangedSinceLastImport: unchangedInCrm,
      ...TIMES[times],
    });
    expect(decision.write).toBe(expected(source, others, incoming, state, times, echo, unchangedInCrm));
  });
});

describe('decideFieldSource reasons', () => {
  const base: FieldSourceInput = {
    rule: { source: 'salesforce', others: 'fill_blanks' },
    incomingCrm: 'hubspot',
    incomingModifiedAt: T2,
    currentBlank: false,
    equal: false,
    echo: false,
    unchangedSinceLastImport: false,
    current: { crm: 'salesforce', modifiedAt: T1 },
  };

  it('names why a value is kept or taken', () => {
    expect(decideFieldSource({ ...base, equal: true }).reason).toBe('unchanged');
    expect(decideFieldSource({ ...base, echo: true }).reason).toBe('echo');
    expect(decideFieldSource(base)).toEqual({ write: false, reason: 'not_source' });
    expect(decideFieldSource({ ...base, rule: { source: 'salesforce', others: 'never' } })).toEqual({ write: false, reason: 'never' });
    expect(decideFieldSource({ ...base, currentBlank: true })).toEqual({ write: true, reason: 'fill_blank' });
    expect(decideFieldSource({ ...base, currentBlank: true, rule: { source: 'salesforce', others: 'never' } })).toEqual({ write: false, reason: 'never' });
    expect(decideFieldSource({ ...base, incomingCrm: 'salesforce' })).toEqual({ write: true, reason: 'source' });
    expect(decideFieldSource({ ...base, rule: { source: 'conduit', others: 'fill_blanks' } })).toEqual({ write: false, reason: 'conduit_is_source' });
    const latest = { ...base, rule: { source: 'latest' as const, others: 'fill_blanks' as const } };
    expect(decideFieldSource(latest)).toEqual({ write: true, reason: 'newer' });
    expect(decideFieldSource({ ...latest, incomingModifiedAt: T1, current: { crm: 'salesforce', modifiedAt: T2 } })).toEqual({ write: false, reason: 'older' });
    expect(decideFieldSource({ ...latest, incomingModifiedAt: T1 })).toEqual({ write: false, reason: 'same_time' });
    expect(decideFieldSource({ ...latest, incomingModifiedAt: null })).toEqual({ write: false, reason: 'time_unknown' });
    expect(decideFieldSource({ ...latest, unchangedSinceLastImport: true })).toEqual({ write: false, reason: 'not_changed_in_crm' });
  });

  it('compares instants, not strings (offsets and precision differ between CRMs)', () => {
    const latest = { ...base, rule: { source: 'latest' as const, others: 'fill_blanks' as const } };
    // 11:00 UTC written with an offset is later than 10:30 UTC, though the string sorts first.
    expect(decideFieldSource({ ...latest, incomingModifiedAt: '2026-12-01T12:00:00+01:00', current: { crm: 'salesforce', modifiedAt: '2026-12-01T10:30:00.000Z' } }).write).toBe(true);
    expect(decideFieldSource({ ...latest, incomingModifiedAt: 'not a date' }).reason).toBe('time_unknown');
  });

  it('labels the provenance of a write by its reason', () => {
    expect(fieldSourceRuleLabel('source')).toBe('source_of_truth');
    expect(fieldSourceRuleLabel('fill_blank')).toBe('fill_blank');
    expect(fieldSourceRuleLabel('newer')).toBe('latest_change');
  });
});

describe('defaultFieldSourceRule', () => {
  it('makes the first connected CRM the source and lets the others fill blanks', () => {
    expect(defaultFieldSourceRule(['salesforce', 'hubspot'])).toEqual({ source: 'salesforce', others: 'fill_blanks' });
    expect(defaultFieldSourceRule(['hubspot'])).toEqual({ source: 'hubspot', others: 'fill_blanks' });
    expect(defaultFieldSourceRule([])).toEqual({ source: 'conduit', others: 'fill_blanks' });
  });
});

describe('two CRMs through repeated syncs (a field mastered by Salesforce, and "most recent change wins")', () => {
  /** Simulates Conduit's field across syncs: the value, who set it and when. */
  function simulate(rule: FieldSourceInput['rule'], syncs: { crm: CrmKind; value: string | null; at: string }[]): { value: string | null; writes: number } {
    let value: string | null = null;
    let origin: FieldSourceInput['current'] = null;
    const last = new Map<CrmKind, string>();
    let writes = 0;
    for (const s of syncs) {
      if (s.value === null) continue;
      const d = decideFieldSource({
        rule,
        incomingCrm: s.crm,
        incomingModifiedAt: s.at,
        currentBlank: value === null,
        equal: value === s.value,
        echo: false,
        unchangedSinceLastImport: last.get(s.crm) === s.value,
        current: origin,
      });
      if (d.write) {
        value = s.value;
        origin = { crm: s.crm, modifiedAt: s.at };
        last.set(s.crm, s.value);
        writes++;
      }
    }
    return { value, writes };
  }

  it('Salesforce as the source: HubSpot never flips the value back, however often both sync', () => {
    const syncs = Array.from({ length: 10 }, (_, i) => [
      { crm: 'hubspot' as const, value: 'Bad timing', at: `2026-12-01T10:${String(i).padStart(2, '0')}:00Z` },
      { crm: 'salesforce' as const, value: 'Not contacted', at: '2026-12-01T09:00:00Z' },
    ]).flat();
    expect(simulate({ source: 'salesforce', others: 'fill_blanks' }, syncs)).toEqual({ value: 'Not contacted', writes: 2 });
  });

  it('latest: the later modification wins once, then stays while neither CRM changes the field', () => {
    const syncs = Array.from({ length: 5 }, () => [
      { crm: 'hubspot' as const, value: 'Bad timing', at: T1 },
      { crm: 'salesforce' as const, value: 'Not contacted', at: T2 },
    ]).flat();
    expect(simulate({ source: 'latest', others: 'fill_blanks' }, syncs)).toEqual({ value: 'Not contacted', writes: 2 });
    // HubSpot's record changes later, but not this field (Conduit took "Bad timing" from it before): no flip.
    expect(simulate({ source: 'latest', others: 'fill_blanks' }, [...syncs, { crm: 'hubspot', value: 'Bad timing', at: '2026-12-01T12:00:00Z' }])).toEqual({ value: 'Not contacted', writes: 2 });
    // A real change in HubSpot, after Salesforce's: it wins.
    expect(simulate({ source: 'latest', others: 'fill_blanks' }, [...syncs, { crm: 'hubspot', value: 'Qualified', at: '2026-12-01T12:00:00Z' }])).toEqual({ value: 'Qualified', writes: 3 });
  });
});
