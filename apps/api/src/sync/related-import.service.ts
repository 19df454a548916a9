import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CrmAdapter } from '@conduit/crm';
import { DataSource } from 'typeorm';
import { withCrmRetry } from '../crm-runtime/crm-retry.js';
import { RELATED_IMPORTERS, type RelatedImporters } from './related-importers.js';
import type { RunProgress, SyncRun } from './sync-run.entity.js';
import { SyncRunRepository } from './sync-run.repository.js';
import { isRecordObject, type RelatedObject } from './sync-objects.js';

/**
 * Runs the related-object steps of a backfill. Deals and list metadata are imported by the DNC and lists features'
 * own services (one import path each), which register themselves in RELATED_IMPORTERS: those features import this
 * one, never the other way round. Owners are stored here (crm_owner), matched to team members by email.
 */
@Injectable()
export class RelatedImportService {
  private readonly logger = new Logger(RelatedImportService.name);

  constructor(
    @Inject(RELATED_IMPORTERS) private readonly importers: RelatedImporters,
    private readonly dataSource: DataSource,
    private readonly runs: SyncRunRepository,
  ) {}

  /**
   * The run's expected total, for done/total and the ETA: one count call per record object and for deals
   * (owners and lists are few and added once read). Spent calls are recorded on the run.
   */
  async estimateTotal(run: SyncRun, adapter: CrmAdapter, takeCalls: () => number): Promise<number | null> {
    let total: number | null = 0;
    try {
      for (const object of run.objects as string[]) {
        if (!isRecordObject(object) && object !== 'deal') continue;
        total += await withCrmRetry(() => adapter.countRecords(object));
      }
    } catch (err) {
      // The total only feeds the progress bar: a CRM that cannot count does not stop the backfill (its pages will tell).
      this.logger.warn({ msg: 'could not count the CRM records; the run has no total', runId: run.id, error: (err as Error).message });
      total = null;
    }
    await this.runs.recordEstimate(run, total, takeCalls());
    run.totalEstimate = total;
    return total;
  }

  /** Imports one related object and records its count, the calls and the run's next checkpoint together. */
  async importRelated(run: SyncRun, object: RelatedObject, adapter: CrmAdapter, takeCalls: () => number, next: RunProgress): Promise<number> {
    let count: number;
    let extraCalls = 0;
    if (object === 'deal' || object === 'list') {
      const result = await this.importers.get(object).importFor(run.workspaceId, run.connectionId, { feature: 'backfill', allocationOverrideUntil: run.allocationOverrideUntil });
      count = result.count;
      extraCalls = result.apiCalls;
    } else {
      count = await this.importOwners(run, adapter);
    }
    // Deals were counted up front; owners and lists join the total when read (a run without a total stays without).
    const addToTotal = object === 'deal' || run.totalEstimate === null ? 0 : count;
    await this.runs.recordRelated(run, { object, count, addToTotal, apiCalls: takeCalls() + extraCalls, next });
    this.logger.log({ msg: 'related objects imported', runId: run.id, object, count });
    return count;
  }

  /** HubSpot owners / Salesforce Users into crm_owner; owners the CRM no longer lists are marked removed. */
  private async importOwners(run: SyncRun, adapter: CrmAdapter): Promise<number> {
    const owners = await withCrmRetry(() => adapter.listOwners());
    await this.dataSource.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO crm_owner (workspace_id, connection_id, crm, crm_id, email, first_name, last_name, active, user_id, removed_in_crm_at, synced_at)
         SELECT $1, $2, $3, v.crm_id, v.email, v.first_name, v.last_name, v.active,
                (SELECT u.id FROM app_user u WHERE u.workspace_id = $1 AND lower(u.email) = lower(v.email) LIMIT 1), NULL, now()
           FROM jsonb_to_recordset($4::jsonb) AS v(crm_id text, email text, first_name text, last_name text, active boolean)
         ON CONFLICT (connection_id, crm_id) DO UPDATE SET email = excluded.email, first_name = excluded.first_name, last_name = excluded.last_name,
            active = excluded.active, user_id = excluded.user_id, removed_in_crm_at = NULL, synced_at = now()
          WHERE crm_owner.workspace_id = excluded.workspace_id`,
        [
          run.workspaceId,
          run.connectionId,
          run.crm,
          JSON.stringify(owners.map((o) => ({ crm_id: o.id, email: o.email?.trim() || null, first_name: o.firstName, last_name: o.lastName, active: o.active }))),
        ],
      );
      await tx.query(`UPDATE crm_owner SET removed_in_crm_at = now() WHERE workspace_id = $1 AND connection_id = $2 AND removed_in_crm_at IS NULL AND NOT (crm_id = ANY($3::text[]))`, [
        run.workspaceId,
        run.connectionId,
        owners.map((o) => o.id),
      ]);
    });
    return owners.length;
  }
}
