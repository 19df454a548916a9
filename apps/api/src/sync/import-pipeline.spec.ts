import { describe, expect, it } from '@jest/globals';
import type { CrmRecord } from '@conduit/crm';
import { type ConduitRecord, defaultMappings } from '@conduit/mapping';
import { applyOverlay, mergeOverlays, overlayOf, touchesOpenBatches } from './batch-overlay.js';
import { type ImportPlan, type PageState, planImport, planImportAsync, type PlanInput, type ProvenanceEntry } from './import-plan.js';

/**
 * The runner plans batch k+1 while batch k is written: k+1 reads the database without k's rows and gets k's
 * overlay on top. Planned that way, k+1 must come out as it would one batch after the other.
 */
const now = new Date('2026-01-02T03:04:05.000Z');
const rows = defaultMappings('hubspot', 'contact');

function contact(id: string, properties: Record<string, string | null>): CrmRecord {
  return { id, object: 'contact', properties, updatedAt: now.toISOString() };
}

function emptyState(): PageState {
  return { linkedByCrmId: new Map(), entitiesById: new Map(), entityByKey: new Map(), companyByCrmId: new Map(), companyByDomain: new Map() };
}

/** New ids of one batch (distinct across batches, as uuids are; the same sequence when a batch is planned twice). */
function ids(batch: string) {
  let n = 0;
  return () => `${batch}-${++n}`;
}

function input(records: CrmRecord[], state: PageState, newId: () => string): PlanInput {
  return { entity: 'person', crm: 'hubspot', connectionId: 'c1', rows, records, state, now, newId };
}

/** What the database would hold after `plans` were committed: links, rows and email keys. */
function committed(plans: ImportPlan[]): PageState {
  const state = emptyState();
  const linked = state.linkedByCrmId as Map<string, string>;
  const entities = state.entitiesById as Map<string, ConduitRecord>;
  const byKey = state.entityByKey as Map<string, string>;
  for (const plan of plans) {
    for (const l of plan.links) linked.set(l.crmId, l.entityId);
    for (const w of [...plan.creates, ...plan.updates]) {
      entities.set(w.id, w.record);
      if (typeof w.record['email'] === 'string') byKey.set(w.record['email'], w.id);
    }
  }
  return state;
}

/** The state batch 2 reads while batch 1 is uncommitted (nothing of batch 1), with batch 1's overlay applied. */
function overlaid(first: ImportPlan, records: CrmRecord[]): PageState {
  const overlay = overlayOf('person', first);
  const state = emptyState();
  const linked = state.linkedByCrmId as Map<string, string>;
  for (const r of records) {
    const id = overlay.links.get(r.id);
    if (id !== undefined) linked.set(r.id, id);
  }
  const keys = records.map((r) => String(r.properties['email'] ?? '').trim().toLowerCase()).filter((k) => k !== '');
  applyOverlay(overlay, keys, linked, state.entitiesById as Map<string, ConduitRecord>, state.entityByKey as Map<string, string>);
  return state;
}

describe('pipelined batches (overlay of the batch being written)', () => {
  const batch1 = [contact('1', { email: 'ada@example.com', firstname: 'Ada' }), contact('2', { email: 'bob@example.com', firstname: 'Bob' })];
  // Contact 1 again (changed), a second CRM record with Bob's email, and someone new.
  const batch2 = [contact('1', { email: 'ada@example.com', firstname: 'Augusta' }), contact('3', { email: 'BOB@example.com', lastname: 'Builder' }), contact('4', { email: 'cy@example.com' })];

  it('plans batch 2 against batch 1 overlaid exactly as after batch 1 committed', () => {
    const first = planImport(input(batch1, emptyState(), ids('b1')));
    expect(first.counts.created).toBe(2);

    const sequential = planImport(input(batch2, committed([first]), ids('b2')));
    const pipelined = planImport(input(batch2, overlaid(first, batch2), ids('b2')));
    expect(pipelined).toEqual(sequential);
    // Contact 1 updates its own person, contact 3 joins Bob's person by email, contact 4 is new.
    expect(pipelined.counts).toEqual({ created: 1, updated: 2, unchanged: 0, failed: 0, archived: 0 });
    const ada = first.links.find((l) => l.crmId === '1')!.entityId;
    const bob = first.links.find((l) => l.crmId === '2')!.entityId;
    expect(pipelined.links.filter((l) => l.crmId !== '4')).toEqual([
      { crmId: '1', entityId: ada },
      { crmId: '3', entityId: bob },
    ]);
    expect(pipelined.updates.find((w) => w.id === ada)!.record).toMatchObject({ firstName: 'Augusta', email: 'ada@example.com' });
    expect(pipelined.updates.find((w) => w.id === bob)!.record).toMatchObject({ firstName: 'Bob', lastName: 'Builder' });
  });

  it('without the overlay, batch 2 would duplicate batch 1 (what the overlay is for)', () => {
    const first = planImport(input(batch1, emptyState(), ids('b1')));
    const blind = planImport(input(batch2, emptyState(), ids('b2')));
    expect(blind.counts.created).toBe(3);
    expect(overlayOf('person', first).keys.get('bob@example.com')).toBe(first.links.find((l) => l.crmId === '2')!.entityId);
  });

  it('plans the same in slices as in one go', async () => {
    const records = Array.from({ length: 700 }, (_, i) => contact(String(i), { email: `u${i % 650}@example.com`, firstname: `U${i}` }));
    const whole = planImport(input(records, emptyState(), ids('b')));
    const sliced = await planImportAsync(input(records, emptyState(), ids('b')), 64);
    expect(sliced).toEqual(whole);
    expect(sliced.counts.created).toBe(650);
  });

  it('hands each record its provenance entries as it is planned, the same entries the plan would hold', async () => {
    const records = Array.from({ length: 300 }, (_, i) => contact(String(i), { email: `u${i % 250}@example.com`, firstname: `U${i}`, lastname: i % 3 ? 'L' : null }));
    const held = planImport(input(records, emptyState(), ids('b')));
    const streamed: ProvenanceEntry[][] = [];
    const sunk = await planImportAsync({ ...input(records, emptyState(), ids('b')), onProvenance: (entries) => streamed.push([...entries]) }, 32);
    expect(sunk.provenance).toEqual([]);
    expect(streamed.flat()).toEqual(held.provenance);
    // One call per record that changed, each with that record's entries only.
    expect(streamed.length).toBe(300);
    for (const entries of streamed) expect(new Set(entries.map((e) => `${e.entityId}/${e.crmRecordId}`)).size).toBe(1);
    const { provenance: _p1, ...restHeld } = held;
    const { provenance: _p2, ...restSunk } = sunk;
    expect(restSunk).toEqual(restHeld);
  });

  it('merges the overlays of two open batches, the later one winning, and plans against them as if both had committed', () => {
    // Three batches, the third planned while the first two are still open (two writers).
    const b1 = [contact('1', { email: 'ada@example.com', firstname: 'Ada' }), contact('2', { email: 'bob@example.com', firstname: 'Bob' })];
    const b2 = [contact('3', { email: 'cy@example.com', firstname: 'Cy' }), contact('2', { email: 'bob@example.com', firstname: 'Robert' })];
    const b3 = [contact('4', { email: 'BOB@example.com', jobtitle: 'CFO' }), contact('5', { email: 'dee@example.com', firstname: 'Dee' })];
    const first = planImport(input(b1, emptyState(), ids('b1')));
    const second = planImport(input(b2, overlaid(first, b2), ids('b2')));
    const open = mergeOverlays([overlayOf('person', first), overlayOf('person', second)])!;
    expect(open.entities.get(open.keys.get('bob@example.com')!)?.['firstName']).toBe('Robert');
    const state = emptyState();
    applyOverlay(open, ['bob@example.com', 'dee@example.com'], state.linkedByCrmId, state.entitiesById as Map<string, ConduitRecord>, state.entityByKey as Map<string, string>);
    const third = planImport(input(b3, state, ids('b3')));
    const sequential = planImport(input(b3, committed([first, second]), ids('b3')));
    expect(third).toEqual(sequential);
    expect(mergeOverlays([null, overlayOf('person', first)])).toEqual(overlayOf('person', first));
    expect(mergeOverlays([null, null])).toBeNull();
  });

  it('tells a batch that writes rows of an open batch (must wait) from one that only inserts its own (may go beside it)', () => {
    const first = planImport(input([contact('1', { email: 'ada@example.com', firstname: 'Ada' })], emptyState(), ids('b1')));
    const open = overlayOf('person', first);
    const adaId = first.links[0]!.entityId;
    // Independent: new people only.
    const fresh = planImport(input([contact('2', { email: 'bob@example.com', firstname: 'Bob' })], overlaid(first, []), ids('b2')));
    expect(touchesOpenBatches(fresh, open)).toBe(false);
    expect(touchesOpenBatches(fresh, null)).toBe(false);
    // The same CRM record again (its link is the open batch's).
    const again = planImport(input([contact('1', { email: 'ada@example.com', firstname: 'Ada L.' })], overlaid(first, [contact('1', {})]), ids('b2')));
    expect(again.updates.map((w) => w.id)).toEqual([adaId]);
    expect(touchesOpenBatches(again, open)).toBe(true);
    // Another CRM record matched by email to the open batch's person (a link to it, no change to the row).
    const twin = planImport(input([contact('9', { email: 'ADA@example.com' })], overlaid(first, [contact('9', { email: 'ada@example.com' })]), ids('b2')));
    expect(twin.links).toEqual([{ crmId: '9', entityId: adaId }]);
    expect(touchesOpenBatches(twin, open)).toBe(true);
    // An archive of a record the open batch linked.
    expect(touchesOpenBatches({ updates: [], links: [], archivedCrmIds: ['1'] }, open)).toBe(true);
  });

  it('plans new people with the row defaults, so an update planned from the overlay writes no null into them', () => {
    const first = planImport(input([contact('1', { email: 'ada@example.com', firstname: 'Ada' })], emptyState(), ids('b1')));
    expect(first.creates[0]!.record).toMatchObject({ engagementState: 'not_contacted', customAttributes: {} });
    const twin = [contact('9', { email: 'ada@example.com.', jobtitle: 'CTO' })];
    const second = planImport(input(twin, overlaid(first, [contact('9', { email: 'ada@example.com' })]), ids('b2')));
    expect(second.updates).toHaveLength(1);
    expect(second.updates[0]!.record).toMatchObject({ jobTitle: 'CTO', engagementState: 'not_contacted', customAttributes: {} });
  });
});

