import type { ConduitRecord } from '@conduit/mapping';
import { type EntityKind, type ImportPlan, keyOfRecord } from './import-plan.js';

/**
 * The batch overlay of the pipelined backfill: what batches planned but not committed yet will have written, so the
 * next batch is planned as if they had committed (the pure half; the runner and ImportService.preparePage use it).
 */

/**
 * What a planned page leaves in the database once it is written: its links, the rows it creates or updates and their
 * identity keys. The runner plans batch k+1 while batch k commits; batch k+1's reads do not see k's uncommitted rows,
 * so its state is read with k's overlay on top (see ImportService.preparePage) and matching stays what it would be
 * one batch after the other.
 */
export interface PageOverlay {
  links: ReadonlyMap<string, string>;
  entities: ReadonlyMap<string, ConduitRecord>;
  keys: ReadonlyMap<string, string>;
}

export function overlayOf(entity: EntityKind, plan: Pick<ImportPlan, 'links' | 'creates' | 'updates'>): PageOverlay {
  const links = new Map<string, string>();
  for (const l of plan.links) links.set(l.crmId, l.entityId);
  const entities = new Map<string, ConduitRecord>();
  const keys = new Map<string, string>();
  for (const list of [plan.creates, plan.updates]) {
    for (const w of list) {
      entities.set(w.id, w.record);
      const key = keyOfRecord(entity, w.record);
      if (key) keys.set(key, w.id);
    }
  }
  return { links, entities, keys };
}

/**
 * The overlays of several batches not committed yet, oldest first, as one: a later batch's links, rows and keys win.
 */
export function mergeOverlays(overlays: readonly (PageOverlay | null)[]): PageOverlay | null {
  const present = overlays.filter((o): o is PageOverlay => o !== null);
  if (present.length <= 1) return present[0] ?? null;
  const links = new Map<string, string>();
  const entities = new Map<string, ConduitRecord>();
  const keys = new Map<string, string>();
  for (const o of present) {
    for (const [k, v] of o.links) links.set(k, v);
    for (const [k, v] of o.entities) entities.set(k, v);
    for (const [k, v] of o.keys) keys.set(k, v);
  }
  return { links, entities, keys };
}

/**
 * Whether a planned batch writes rows that batches not committed yet (`open`, their merged overlay) write too: it
 * updates one of their people/companies, links a CRM record to one of them, or re-points, stamps or archives a link
 * they insert. Such a batch must wait for them to commit (its statements would not see their rows); any other batch
 * only inserts rows of its own and can be written beside them.
 */
export function touchesOpenBatches(plan: Pick<ImportPlan, 'updates' | 'links' | 'archivedCrmIds'>, open: PageOverlay | null): boolean {
  if (!open) return false;
  for (const w of plan.updates) if (open.entities.has(w.id)) return true;
  for (const l of plan.links) if (open.entities.has(l.entityId) || open.links.has(l.crmId)) return true;
  for (const id of plan.archivedCrmIds) if (open.links.has(id)) return true;
  return false;
}

/**
 * Puts `overlay` (a batch not committed yet) over what was read from the database for a page: the overlay's rows
 * replace the read ones, and its keys (new or changed emails/domains) win. `linked` already holds the overlay's links.
 */
export function applyOverlay(
  overlay: PageOverlay,
  keys: readonly string[],
  linked: ReadonlyMap<string, string>,
  entitiesById: Map<string, ConduitRecord>,
  entityByKey: Map<string, string>,
): void {
  for (const id of linked.values()) {
    const rec = overlay.entities.get(id);
    if (rec) entitiesById.set(id, rec);
  }
  for (const key of keys) {
    const id = overlay.keys.get(key);
    const rec = id === undefined ? undefined : overlay.entities.get(id);
    if (id !== undefined && rec) {
      entityByKey.set(key, id);
      entitiesById.set(id, rec);
    }
  }
}
