import type { EngagementState } from '@conduit/contracts';
import { ADVANCED_STATUS_PARENT, advancedStatusesHeldOver, advancedStatusOf, advancedStatusOfActivity, readAdvancedStatusMap } from '@conduit/mapping';
import type { EntityManager } from 'typeorm';

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Advanced statuses (issue 6): records what an accepted activity says about the person in `person.engagement_details`
 * (per parent engagement state, the highest-ranked advanced status reached; @conduit/mapping status-advanced.ts).
 * One conditional UPDATE, none for activities that show no advanced status; called by the activity intake inside its
 * transaction, after the engagement state was advanced.
 *
 * True when the person's current advanced status — the one under `engagementState`, their state after the activity —
 * changed and a status mapping of the workspace gives the old or the new one its own value: the intake then reports
 * the person as changed, so a linked person's CRM status is updated the way an engagement change updates it. Where
 * both resolve to their parent's value the CRM value cannot change, and no export is queued for it (an export costs
 * CRM calls from the budget activities share).
 */
export async function recordAdvancedStatus(
  manager: EntityManager,
  workspaceId: string,
  personId: string,
  engagementState: EngagementState,
  type: string,
  details: Readonly<Record<string, unknown>>,
): Promise<boolean> {
  const status = advancedStatusOfActivity({ type, direction: text(details['direction']), state: text(details['state']), outcome: text(details['outcome']) });
  if (status === null) return false;
  const parent = ADVANCED_STATUS_PARENT[status];
  const [rows] = await manager.query<[Array<{ previous: string | null }>, number]>(
    `WITH before AS (SELECT engagement_details->>$3 AS previous FROM person WHERE id = $1 AND workspace_id = $2)
     UPDATE person SET engagement_details = engagement_details || jsonb_build_object($3::text, $4::text)
      WHERE id = $1 AND workspace_id = $2 AND coalesce(engagement_details->>$3, '') <> ALL($5::text[])
     RETURNING (SELECT previous FROM before)`,
    [personId, workspaceId, parent, status, advancedStatusesHeldOver(status)],
  );
  const changed = rows[0];
  if (!changed || parent !== engagementState) return false;
  const keys = changed.previous ? [changed.previous, status] : [status];
  const [mapped] = await manager.query<Array<{ mapped: boolean }>>(
    `SELECT EXISTS (SELECT 1 FROM crm_export_settings WHERE workspace_id = $1 AND status_mapping->'table' ?| $2::text[]) AS mapped`,
    [workspaceId, keys],
  );
  return mapped?.mapped === true;
}

/** The current advanced status of each person, one query: the export reads it with the people of a chunk. */
export async function advancedStatusesOf(manager: EntityManager, workspaceId: string, people: readonly { id: string; engagementState: string }[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!people.length) return out;
  const rows = await manager.query<Array<{ id: string; engagement_details: unknown }>>(
    `SELECT id, engagement_details FROM person WHERE workspace_id = $1 AND id = ANY($2::uuid[]) AND engagement_details <> '{}'::jsonb`,
    [workspaceId, people.map((p) => p.id)],
  );
  const stateOf = new Map(people.map((p) => [p.id, p.engagementState]));
  for (const r of rows) {
    const advanced = advancedStatusOf(stateOf.get(r.id), readAdvancedStatusMap(r.engagement_details));
    if (advanced) out.set(r.id, advanced);
  }
  return out;
}
