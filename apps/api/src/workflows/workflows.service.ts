import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  WORKFLOW_KINDS,
  type CrmFieldDto,
  type OpportunityStageDto,
  type DealPipelineDto,
  type WorkflowOwnersDto,
  WORKFLOW_RUN_RESULTS,
  type LatencyWindow,
  type WorkflowConfigDto,
  type WorkflowCountsDto,
  type WorkflowDto,
  type WorkflowKind,
  type WorkflowLatencyDto,
  type WorkflowRunDto,
  type WorkflowRunResult,
} from '@conduit/contracts';
import { crmLabel, type CrmOwner, isCrmError, type CrmValue } from '@conduit/crm';
import { DataSource, type EntityManager, type Repository } from 'typeorm';
import type { Caller } from '../auth/caller.js';
import { CrmConnection } from '../connections/connection.entity.js';
import { validationFailed } from '../common/validation.js';
import { OutboxService, type OutboxTransaction } from '../queues/outbox.service.js';
import { CrmLinkRepository } from '../sync/crm-link.repository.js';
import { CrmRecordRefs } from '../sync/crm-record-refs.js';
import { runRecordKeys } from './workflow-run-records.js';
import { defaultConfig } from './workflow-defaults.js';
import { type WorkflowCrms, WorkflowCrmsProvider } from './workflow-crms.js';
import { fieldNameProblems, type DiscoveredWorkflowFields } from './workflow-field-names.js';
import { isOwnEcho } from './closed-loop-rules.js';
import { fingerprintValue, masterProblems } from './workflow-rules.js';
import { JobName } from '../queues/queue-names.js';

export interface WorkflowRow {
  id: string;
  workspace_id: string;
  kind: WorkflowKind;
  enabled: boolean;
  status: 'active' | 'paused';
  paused_reason: string | null;
  paused_crm: 'hubspot' | 'salesforce' | null;
  config: WorkflowConfigDto;
  enabled_at: Date | null;
  updated_at: Date;
}

export interface RunRow {
  id: string;
  workspace_id: string;
  workflow_id: string;
  trigger_key: string;
  trigger: WorkflowRunDto['trigger'];
  started_at: Date | null;
  decision: string | null;
  payload: Record<string, unknown> | null;
  action: string | null;
  summary: string | null;
  result: WorkflowRunResult;
  reason: string | null;
  wait_until: Date | null;
  target_id: string | null;
  attempts: number;
  latency_ms: number | null;
  triggered_at: Date;
  created_at: Date;
  finished_at: Date | null;
}

export interface NewTrigger {
  key: string;
  trigger: WorkflowRunDto['trigger'];
  /** When the change happened in the CRM (latency is measured from here). */
  at: Date;
  /** Set when the change is Conduit's own write coming back: logged, never executed. */
  echo?: boolean;
}

/** Chart buckets per window: about 60 points at most. */
const LATENCY_BUCKETS: Record<LatencyWindow, { interval: string; bucketSeconds: number }> = {
  '1h': { interval: '1 hour', bucketSeconds: 60 },
  '24h': { interval: '24 hours', bucketSeconds: 1800 },
  '7d': { interval: '7 days', bucketSeconds: 3 * 3600 },
};

/** How long a write fingerprint can explain a change event (webhooks arrive in seconds, polls within minutes). */
const FINGERPRINT_TTL = '24 hours';

/** The decision of a run skipped because a later run of its record had already read the record after this change. */
export const SUPERSEDED = 'superseded';
export const SUPERSEDED_REASON = 'A later run of this record replaced this one: it read the record after this change, so there was nothing left to do';

/** A superseded run: the run that replaced it (kept in its payload as `coveredByRunId`), when known. */
function supersededBy(row: Pick<RunRow, 'result' | 'decision' | 'payload'>): WorkflowRunDto['supersededBy'] {
  if (row.result !== 'skipped' || row.decision !== SUPERSEDED) return null;
  const runId = row.payload?.['coveredByRunId'];
  return { runId: typeof runId === 'string' ? runId : null };
}

/** Whether an admin may retry a run: not a superseded one (the later run did its work), not a pending or settled one. */
export function isRetryable(row: Pick<RunRow, 'result' | 'decision' | 'payload'>): boolean {
  return (row.result === 'failed' || row.result === 'needs_attention' || row.result === 'skipped') && !supersededBy(row);
}

export function toRunDto(row: RunRow, kind: WorkflowKind, records: Pick<WorkflowRunDto, 'record' | 'targets'>): WorkflowRunDto {
  const superseded = supersededBy(row);
  return {
    id: row.id,
    kind,
    trigger: row.trigger,
    decision: row.decision,
    // A superseded run wrote nothing: its payload only held the id of the run that replaced it (supersededBy).
    payload: superseded ? null : row.payload,
    action: row.action,
    summary: row.summary ?? null,
    result: row.result,
    // Runs superseded before #21's wording kept "Covered by a later run…": every one reads the same now.
    reason: superseded ? SUPERSEDED_REASON : row.reason,
    waitUntil: row.result === 'pending' ? (row.wait_until?.toISOString() ?? null) : null,
    targetId: row.target_id,
    supersededBy: superseded,
    retryable: isRetryable(row),
    record: records.record,
    targets: records.targets,
    attempts: row.attempts,
    latencyMs: row.latency_ms,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

/** Definitions, run log, fingerprints. Every query is scoped by workspace. */
@Injectable()
export class WorkflowsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    @InjectRepository(CrmConnection) private readonly connections: Repository<CrmConnection>,
    private readonly crms: WorkflowCrmsProvider,
    private readonly links: CrmLinkRepository,
    private readonly refs: CrmRecordRefs,
  ) {}

  // ---- definitions -------------------------------------------------------------------------------

  async list(caller: Caller): Promise<WorkflowDto[]> {
    const rows = await this.dataSource.query<WorkflowRow[]>(`SELECT * FROM workflow WHERE workspace_id = $1`, [caller.workspaceId]);
    return WORKFLOW_KINDS.map((kind) => this.toDto(kind, rows.find((r) => r.kind === kind)));
  }

  async get(caller: Caller, kind: WorkflowKind): Promise<WorkflowDto> {
    return this.toDto(kind, await this.find(caller.workspaceId, kind));
  }

  async update(caller: Caller, kind: WorkflowKind, body: { enabled?: boolean; config?: WorkflowConfigDto }): Promise<WorkflowDto> {
    const current = await this.find(caller.workspaceId, kind);
    const enabled = body.enabled ?? current?.enabled ?? false;
    if (enabled && !current?.enabled) await this.requireBothConnected(caller.workspaceId);
    // Plain JSON: DTO class instances carry no extra state, but jsonb should hold data only.
    const config = JSON.parse(JSON.stringify(body.config ?? current?.config ?? defaultConfig(kind))) as WorkflowConfigDto;
    // One master per field: a pair this definition maps that another (or this one) maps back must name who wins.
    const others = (await this.definitions(caller.workspaceId)).filter((d) => d.kind !== kind);
    // Names are checked when the definition is edited (an enable toggle does not fail on a later field drift).
    const names = body.config ? fieldNameProblems(kind, config, await this.discoveredFields(caller.workspaceId, kind)) : [];
    const problems = [...names, ...masterProblems(kind, [...others, { kind, config }])];
    if (problems.length) throw validationFailed(problems.map((p) => ({ field: p.field, messages: [p.message] })));
    await this.dataSource.query(
      `INSERT INTO workflow (workspace_id, kind, enabled, config, enabled_at) VALUES ($1, $2, $3, $4, CASE WHEN $3 THEN now() END)
       ON CONFLICT (workspace_id, kind) DO UPDATE SET enabled = EXCLUDED.enabled, config = EXCLUDED.config, updated_at = now(),
         enabled_at = CASE WHEN EXCLUDED.enabled AND NOT workflow.enabled THEN now() WHEN EXCLUDED.enabled THEN workflow.enabled_at END`,
      [caller.workspaceId, kind, enabled, JSON.stringify(config)],
    );
    return this.get(caller, kind);
  }

  /** The last discovered HubSpot contact properties and Salesforce Lead fields (what the MQL handoff names). */
  private async discoveredFields(workspaceId: string, kind: WorkflowKind): Promise<DiscoveredWorkflowFields> {
    if (kind !== 'mql_handoff') return {};
    const rows = await this.dataSource.query<{ crm: 'hubspot' | 'salesforce'; fields: CrmFieldDto[] }[]>(
      `SELECT c.crm, s.fields FROM crm_field_snapshot s JOIN crm_connection c ON c.id = s.connection_id
       WHERE c.workspace_id = $1 AND ((c.crm = 'hubspot' AND s.object = 'contact') OR (c.crm = 'salesforce' AND s.object = 'lead'))`,
      [workspaceId],
    );
    return { hubspotContact: rows.find((r) => r.crm === 'hubspot')?.fields, salesforceLead: rows.find((r) => r.crm === 'salesforce')?.fields };
  }

  /**
   * Salesforce Opportunity stage values for the editors (stage table, the handoff's Opportunity, the do-not-contact
   * deal stages): field discovery does not cover Opportunity, so this is a live describe, and OpportunityStage says
   * which stages close the deal (both cached a few minutes by the CRM provider).
   */
  async opportunityStages(caller: Caller): Promise<OpportunityStageDto[]> {
    const salesforce = await this.connections.findOneBy({ workspaceId: caller.workspaceId, crm: 'salesforce' });
    if (!salesforce) throw new ConflictException('Salesforce is not connected');
    try {
      const crms = await this.crms.for(caller.workspaceId);
      const [fields, stages] = await Promise.all([crms.describe('salesforce', 'deal'), crms.opportunityStages()]);
      const closed = new Set(stages.filter((s) => s.closed).map((s) => s.value));
      const stage = fields.find((f) => f.name === 'StageName');
      return (stage?.options ?? []).map((o) => ({ value: o.value, label: o.label, closed: closed.has(o.value) }));
    } catch (err) {
      // Not connected, or the grant was revoked: the editors fall back to typed stage names.
      if (isCrmError(err) && (err.kind === 'auth_revoked' || err.kind === 'auth_expired')) throw new ConflictException(err.message);
      throw err;
    }
  }

  /** HubSpot deal pipelines with their stages, for the Opportunity → deal stage table. */
  async dealPipelines(caller: Caller): Promise<DealPipelineDto[]> {
    return this.liveRead(caller.workspaceId, 'hubspot', (crms) => crms.pipelines());
  }

  /** Salesforce users and HubSpot owners, for the Opportunity → deal owner table. */
  async owners(caller: Caller): Promise<WorkflowOwnersDto> {
    return this.liveRead(caller.workspaceId, 'hubspot', async (crms) => {
      const directory = await crms.owners();
      const view = (o: CrmOwner) => ({ id: o.id, name: [o.firstName, o.lastName].filter(Boolean).join(' ') || (o.email ?? o.id), email: o.email, active: o.active });
      return { salesforce: directory.salesforce.map(view), hubspot: directory.hubspot.map(view) };
    });
  }

  /** A read from the connected CRMs for an editor: 409 naming the CRM while it is not connected or needs a reconnect. */
  private async liveRead<T>(workspaceId: string, crm: 'hubspot' | 'salesforce', read: (crms: WorkflowCrms) => Promise<T>): Promise<T> {
    const row = await this.connections.findOneBy({ workspaceId, crm });
    if (!row) throw new ConflictException(`${crmLabel(crm)} is not connected`);
    try {
      return await read(await this.crms.for(workspaceId));
    } catch (err) {
      if (isCrmError(err) && (err.kind === 'auth_revoked' || err.kind === 'auth_expired')) throw new ConflictException(err.message);
      throw err;
    }
  }

  /** Back to the defaults, disabled. */
  async reset(caller: Caller, kind: WorkflowKind): Promise<WorkflowDto> {
    await this.dataSource.query(`DELETE FROM workflow WHERE workspace_id = $1 AND kind = $2`, [caller.workspaceId, kind]);
    return this.get(caller, kind);
  }

  /** After an auth failure was fixed (reconnected), the admin resumes the workflow. */
  async resume(caller: Caller, kind: WorkflowKind): Promise<WorkflowDto> {
    const row = await this.find(caller.workspaceId, kind);
    if (!row) throw new NotFoundException('This workflow is not configured');
    await this.requireBothConnected(caller.workspaceId);
    await this.dataSource.query(`UPDATE workflow SET status = 'active', paused_reason = NULL, paused_crm = NULL, updated_at = now() WHERE id = $1 AND workspace_id = $2`, [
      row.id,
      caller.workspaceId,
    ]);
    return this.get(caller, kind);
  }

  /** Every definition of the workspace as it applies (stored, or the default), enabled or not. */
  async definitions(workspaceId: string): Promise<{ kind: WorkflowKind; config: WorkflowConfigDto }[]> {
    const rows = await this.dataSource.query<Pick<WorkflowRow, 'kind' | 'config'>[]>(`SELECT kind, config FROM workflow WHERE workspace_id = $1`, [workspaceId]);
    return WORKFLOW_KINDS.map((kind) => ({ kind, config: rows.find((r) => r.kind === kind)?.config ?? defaultConfig(kind) }));
  }

  async find(workspaceId: string, kind: WorkflowKind): Promise<WorkflowRow | undefined> {
    return (await this.dataSource.query<WorkflowRow[]>(`SELECT * FROM workflow WHERE workspace_id = $1 AND kind = $2`, [workspaceId, kind]))[0];
  }

  /** Enabled workflows of a workspace (paused ones included: their triggers are logged as skipped). */
  async enabled(workspaceId: string): Promise<WorkflowRow[]> {
    return this.dataSource.query<WorkflowRow[]>(`SELECT * FROM workflow WHERE workspace_id = $1 AND enabled`, [workspaceId]);
  }

  async pause(workspaceId: string, workflowId: string, reason: string, crm: 'hubspot' | 'salesforce'): Promise<void> {
    await this.dataSource.query(`UPDATE workflow SET status = 'paused', paused_reason = $3, paused_crm = $4, updated_at = now() WHERE id = $1 AND workspace_id = $2`, [
      workflowId,
      workspaceId,
      reason,
      crm,
    ]);
  }

  private async requireBothConnected(workspaceId: string): Promise<void> {
    const rows = await this.connections.findBy({ workspaceId, status: 'connected' });
    const missing = (['hubspot', 'salesforce'] as const).filter((crm) => !rows.some((r) => r.crm === crm));
    if (missing.length) throw new ConflictException(`Connect ${missing.map((m) => crmLabel(m)).join(' and ')} first: workflows need both CRMs`);
  }

  private toDto(kind: WorkflowKind, row: WorkflowRow | undefined): WorkflowDto {
    return {
      kind,
      enabled: row?.enabled ?? false,
      status: row?.status ?? 'active',
      pausedReason: row?.paused_reason ?? null,
      pausedCrm: row?.paused_crm ?? null,
      config: row?.config ?? defaultConfig(kind),
      updatedAt: row?.updated_at.toISOString() ?? null,
    };
  }

  // ---- triggers and runs ---------------------------------------------------------------------------

  /**
   * Records a trigger as a run and enqueues its execution in the same transaction. The unique trigger key makes a
   * delivery seen twice (HubSpot retries, concurrent duplicate deliveries, overlapping polls) one run.
   */
  async trigger(tx: OutboxTransaction, workflow: WorkflowRow, t: NewTrigger): Promise<string | null> {
    const paused = workflow.status === 'paused';
    const result: WorkflowRunResult = t.echo ? 'ignored_echo' : paused ? 'skipped' : 'pending';
    const reason = t.echo ? 'the change is a value Conduit wrote (origin fingerprint matched)' : paused ? `workflow paused: ${workflow.paused_reason ?? ''}` : null;
    const rows = await tx.manager.query<{ id: string }[]>(
      `INSERT INTO workflow_run (workspace_id, workflow_id, trigger_key, trigger, result, reason, triggered_at, decision, finished_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $5 <> 'pending' THEN now() END)
       ON CONFLICT (workflow_id, trigger_key) DO NOTHING RETURNING id`,
      [workflow.workspace_id, workflow.id, t.key, JSON.stringify(t.trigger), result, reason, t.at, t.echo ? 'ignored: own write' : null],
    );
    const id = rows[0]?.id ?? null;
    if (id && result === 'pending') await tx.enqueue(JobName.WorkflowsRun, { workspaceId: workflow.workspace_id, runId: id }, { workspaceId: workflow.workspace_id, maxAttempts: 5 });
    return id;
  }

  async loadRun(workspaceId: string, runId: string): Promise<{ run: RunRow; workflow: WorkflowRow } | null> {
    const runs = await this.dataSource.query<RunRow[]>(`SELECT * FROM workflow_run WHERE id = $1 AND workspace_id = $2`, [runId, workspaceId]);
    const run = runs[0];
    if (!run) return null;
    const wf = await this.dataSource.query<WorkflowRow[]>(`SELECT * FROM workflow WHERE id = $1 AND workspace_id = $2`, [run.workflow_id, workspaceId]);
    return wf[0] ? { run, workflow: wf[0] } : null;
  }

  /**
   * Marks an attempt started. Answers the id of a run of the same record that started after this run's change
   * happened (and before this one): it read the record after the change, so executing this run would only repeat
   * its work — duplicate deliveries and bursts of changes cost one CRM read, not one each.
   */
  async startAttempt(workspaceId: string, runId: string): Promise<string | null> {
    const [rows] = await this.dataSource.query<[{ workflow_id: string; record_id: string; object: string; triggered_at: Date; started_at: Date }[], number]>(
      `UPDATE workflow_run SET attempts = attempts + 1, started_at = clock_timestamp() WHERE id = $1 AND workspace_id = $2
       RETURNING workflow_id, trigger->>'recordId' AS record_id, trigger->>'object' AS object, triggered_at, started_at`,
      [runId, workspaceId],
    );
    const me = rows[0];
    if (!me) return null;
    const cover = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM workflow_run WHERE workflow_id = $1 AND trigger->>'recordId' = $2 AND trigger->>'object' = $3 AND id <> $4
          AND started_at >= $5 AND started_at < $6 AND result IN ('pending', 'success') LIMIT 1`,
      [me.workflow_id, me.record_id, me.object, runId, me.triggered_at, me.started_at],
    );
    return cover[0]?.id ?? null;
  }

  /** The run waits for the daily API budget (#17): still pending, with the reason, until `until` (budget clock). */
  async waitForBudget(workspaceId: string, runId: string, reason: string, until: Date): Promise<void> {
    await this.dataSource.query(`UPDATE workflow_run SET reason = $3, wait_until = $4 WHERE id = $1 AND workspace_id = $2 AND result = 'pending'`, [runId, workspaceId, reason, until]);
  }

  /**
   * The budget sweep (every workspace): runs whose wait is over at `now` (budget clock) lose it in `manager`'s
   * transaction, rows locked with SKIP LOCKED so several workers may sweep at once; the caller enqueues them again.
   */
  async takeDueBudgetWaits(manager: EntityManager, now: Date, limit: number): Promise<Array<{ id: string; workspace_id: string }>> {
    const [rows] = await manager.query<[Array<{ id: string; workspace_id: string }>, number]>(
      `UPDATE workflow_run SET wait_until = NULL, reason = NULL WHERE id IN (
         SELECT id FROM workflow_run WHERE result = 'pending' AND wait_until <= $1 ORDER BY wait_until LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING id, workspace_id`,
      [now, limit],
    );
    return rows;
  }

  async finishRun(
    workspaceId: string,
    runId: string,
    outcome: {
      result: Exclude<WorkflowRunResult, 'pending'>;
      decision?: string | null;
      payload?: Record<string, unknown> | null;
      action?: string | null;
      reason?: string | null;
      targetId?: string | null;
      /** What the run did, in words, for the run log. */
      summary?: string | null;
    },
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE workflow_run SET result = $3, decision = COALESCE($4, decision), payload = COALESCE($5, payload), action = $6, reason = $7, target_id = $8, summary = $9,
         wait_until = NULL, finished_at = now(), latency_ms = GREATEST(0, (extract(epoch FROM now() - triggered_at) * 1000)::int)
       WHERE id = $1 AND workspace_id = $2`,
      [
        runId,
        workspaceId,
        outcome.result,
        outcome.decision ?? null,
        outcome.payload ? JSON.stringify(outcome.payload) : null,
        outcome.action ?? null,
        outcome.reason ?? null,
        outcome.targetId ?? null,
        outcome.summary ?? null,
      ],
    );
  }

  async runs(caller: Caller, kind: WorkflowKind, query: { result?: WorkflowRunResult; limit?: number }): Promise<WorkflowRunDto[]> {
    const wf = await this.find(caller.workspaceId, kind);
    if (!wf) return [];
    const rows = await this.dataSource.query<RunRow[]>(
      `SELECT * FROM workflow_run WHERE workspace_id = $1 AND workflow_id = $2 AND ($3::text IS NULL OR result = $3) ORDER BY created_at DESC, id LIMIT $4`,
      [caller.workspaceId, wf.id, query.result ?? null, Math.min(Math.max(query.limit ?? 50, 1), 500)],
    );
    return this.withRecords(caller.workspaceId, rows, kind);
  }

  /** The runs with their records named (#21): every trigger and target of the page resolved in one query. */
  private async withRecords(workspaceId: string, rows: readonly RunRow[], kind: WorkflowKind): Promise<WorkflowRunDto[]> {
    const keys = rows.map((r) => runRecordKeys(kind, r));
    const refs = await this.refs.resolve(workspaceId, keys.flatMap((k) => [k.trigger, ...k.targets]));
    let at = 0;
    return rows.map((row, i) => {
      const n = keys[i]!.targets.length;
      const record = refs[at]!;
      const targets = refs.slice(at + 1, at + 1 + n);
      at += 1 + n;
      return toRunDto(row, kind, { record, targets });
    });
  }

  async run(caller: Caller, id: string): Promise<WorkflowRunDto> {
    const found = await this.loadRun(caller.workspaceId, id);
    if (!found) throw new NotFoundException('Not found');
    const [run] = await this.withRecords(caller.workspaceId, [found.run], found.workflow.kind);
    return run!;
  }

  async counts(caller: Caller, kind: WorkflowKind): Promise<WorkflowCountsDto> {
    const counts = Object.fromEntries(WORKFLOW_RUN_RESULTS.map((r) => [r, 0])) as Record<WorkflowRunResult, number>;
    const wf = await this.find(caller.workspaceId, kind);
    if (!wf) return { kind, counts, latency: { p50Ms: null, p95Ms: null } };
    const rows = await this.dataSource.query<{ result: WorkflowRunResult; n: number }[]>(
      `SELECT result, count(*)::int AS n FROM workflow_run WHERE workspace_id = $1 AND workflow_id = $2 GROUP BY result`,
      [caller.workspaceId, wf.id],
    );
    for (const r of rows) counts[r.result] = r.n;
    const [lat] = await this.dataSource.query<{ p50: number | null; p95: number | null }[]>(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95
         FROM workflow_run WHERE workspace_id = $1 AND workflow_id = $2 AND result = 'success'`,
      [caller.workspaceId, wf.id],
    );
    const round = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(Number(v)));
    return { kind, counts, latency: { p50Ms: round(lat?.p50), p95Ms: round(lat?.p95) } };
  }

  /** p50/p95 latency of successful runs per time bucket over a window (the page's chart). */
  async latency(caller: Caller, kind: WorkflowKind, window: LatencyWindow): Promise<WorkflowLatencyDto> {
    const spec = LATENCY_BUCKETS[window];
    const wf = await this.find(caller.workspaceId, kind);
    if (!wf) return { kind, window, bucketSeconds: spec.bucketSeconds, points: [] };
    const rows = await this.dataSource.query<{ at: Date; runs: number; p50: number; p95: number }[]>(
      `SELECT to_timestamp(floor(extract(epoch FROM finished_at) / $3) * $3) AS at, count(*)::int AS runs,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95
         FROM workflow_run
        WHERE workspace_id = $1 AND workflow_id = $2 AND result = 'success' AND latency_ms IS NOT NULL AND finished_at > now() - $4::interval
        GROUP BY 1 ORDER BY 1`,
      [caller.workspaceId, wf.id, spec.bucketSeconds, spec.interval],
    );
    return {
      kind,
      window,
      bucketSeconds: spec.bucketSeconds,
      points: rows.map((r) => ({ at: new Date(r.at).toISOString(), runs: r.runs, p50Ms: Math.round(Number(r.p50)), p95Ms: Math.round(Number(r.p95)) })),
    };
  }

  /**
   * Runs that failed, need attention or were skipped (while paused, say) go back to pending and execute again; a run
   * a later run replaced is not retried (that run read the record after this change and did the work).
   */
  async retry(caller: Caller, id: string): Promise<WorkflowRunDto> {
    const found = await this.loadRun(caller.workspaceId, id);
    if (!found) throw new NotFoundException('Not found');
    if (supersededBy(found.run)) throw new ConflictException('A later run of this record replaced this run and did its work: there is nothing to retry');
    if (!isRetryable(found.run)) throw new ConflictException(`A ${found.run.result} run cannot be retried`);
    if (found.workflow.status === 'paused') throw new ConflictException('The workflow is paused: resume it first');
    await this.outbox.transaction(async (tx) => {
      await tx.manager.query(`UPDATE workflow_run SET result = 'pending', reason = NULL, finished_at = NULL WHERE id = $1 AND workspace_id = $2`, [id, caller.workspaceId]);
      await tx.enqueue(JobName.WorkflowsRun, { workspaceId: caller.workspaceId, runId: id }, { workspaceId: caller.workspaceId });
    });
    return this.run(caller, id);
  }

  // ---- origin fingerprints (no ping-pong) ------------------------------------------------------------

  async recordWrites(workspaceId: string, runId: string | null, crm: 'hubspot' | 'salesforce', object: string, recordId: string, properties: Record<string, CrmValue>): Promise<void> {
    const fields = Object.keys(properties);
    if (!fields.length) return;
    await this.dataSource.query(
      `INSERT INTO workflow_write (workspace_id, crm, object, record_id, field, value, run_id)
       SELECT $1, $2, $3, $4, f, v, $7 FROM unnest($5::text[], $6::text[]) AS t(f, v)`,
      [workspaceId, crm, object, recordId, fields, fields.map((f) => fingerprintValue(properties[f])), runId],
    );
  }

  /**
   * Whether a change event is the echo of a write Conduit made: same record, field and value within the TTL.
   * The matching fingerprint is consumed, so a person setting the same value again later is a real change.
   */
  async consumeEcho(manager: EntityManager, workspaceId: string, crm: 'hubspot' | 'salesforce', object: string, recordId: string, field: string, value: CrmValue | undefined): Promise<boolean> {
    // DELETE … RETURNING answers [rows, affected] through TypeORM's postgres driver.
    const [rows] = await manager.query<[{ id: string }[], number]>(
      `DELETE FROM workflow_write WHERE id = (
         SELECT id FROM workflow_write WHERE workspace_id = $1 AND crm = $2 AND object = $3 AND record_id = $4 AND field = $5 AND value = $6
            AND written_at > now() - interval '${FINGERPRINT_TTL}' ORDER BY written_at DESC LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [workspaceId, crm, object, recordId, field, fingerprintValue(value)],
    );
    return rows.length > 0;
  }

  /**
   * Whether a polled record is Conduit's own write coming back as a whole (see isOwnEcho): then every fingerprint of
   * the record is consumed, so the next change a person makes is real.
   */
  async consumeRecordEcho(
    manager: EntityManager,
    workspaceId: string,
    crm: 'hubspot' | 'salesforce',
    object: string,
    recordId: string,
    watched: readonly string[],
    current: Record<string, CrmValue>,
  ): Promise<boolean> {
    const rows = await manager.query<{ id: string; field: string; value: string }[]>(
      `SELECT id, field, value FROM workflow_write WHERE workspace_id = $1 AND crm = $2 AND object = $3 AND record_id = $4
          AND written_at > now() - interval '${FINGERPRINT_TTL}' ORDER BY written_at DESC, id DESC FOR UPDATE SKIP LOCKED`,
      [workspaceId, crm, object, recordId],
    );
    if (!isOwnEcho(watched, rows, current, fingerprintValue)) return false;
    await manager.query(`DELETE FROM workflow_write WHERE workspace_id = $1 AND id = ANY($2::bigint[])`, [workspaceId, rows.map((r) => r.id)]);
    return true;
  }

  async link(workspaceId: string, hubspotContactId: string, salesforceObject: string, salesforceId: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO workflow_link (workspace_id, hubspot_contact_id, salesforce_object, salesforce_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace_id, hubspot_contact_id) DO UPDATE SET salesforce_object = EXCLUDED.salesforce_object, salesforce_id = EXCLUDED.salesforce_id, updated_at = now()`,
      [workspaceId, hubspotContactId, salesforceObject, salesforceId],
    );
  }

  async linkOfHubspot(workspaceId: string, hubspotContactId: string): Promise<{ object: 'lead' | 'contact'; id: string } | null> {
    const rows = await this.dataSource.query<{ salesforce_object: 'lead' | 'contact'; salesforce_id: string }[]>(
      `SELECT salesforce_object, salesforce_id FROM workflow_link WHERE workspace_id = $1 AND hubspot_contact_id = $2`,
      [workspaceId, hubspotContactId],
    );
    if (rows[0]) return { object: rows[0].salesforce_object, id: rows[0].salesforce_id };
    // The import sync links people to records of both CRMs: a person linked to this HubSpot contact and a Salesforce record.
    return this.links.salesforceRecordOfHubspotContact(workspaceId, hubspotContactId);
  }

  /** Whether the MQL handoff already wrote this HubSpot contact to Salesforce. */
  async handedOff(workspaceId: string, hubspotContactId: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(`SELECT 1 FROM workflow_link WHERE workspace_id = $1 AND hubspot_contact_id = $2`, [workspaceId, hubspotContactId]);
    return rows.length > 0;
  }

  async linkOfSalesforce(workspaceId: string, salesforceId: string): Promise<string | null> {
    const rows = await this.dataSource.query<{ hubspot_contact_id: string }[]>(`SELECT hubspot_contact_id FROM workflow_link WHERE workspace_id = $1 AND salesforce_id = $2 LIMIT 1`, [workspaceId, salesforceId]);
    return rows[0]?.hubspot_contact_id ?? null;
  }

  // ---- records a workflow wrote for a Salesforce record (Opportunity → deal, Account → company) ----------------

  async recordLink(workspaceId: string, salesforceObject: 'deal' | 'company', salesforceId: string): Promise<string | null> {
    const rows = await this.dataSource.query<{ hubspot_id: string }[]>(
      `SELECT hubspot_id FROM workflow_record_link WHERE workspace_id = $1 AND salesforce_object = $2 AND salesforce_id = $3`,
      [workspaceId, salesforceObject, salesforceId],
    );
    return rows[0]?.hubspot_id ?? null;
  }

  async saveRecordLink(workspaceId: string, salesforceObject: 'deal' | 'company', salesforceId: string, hubspotId: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO workflow_record_link (workspace_id, salesforce_object, salesforce_id, hubspot_object, hubspot_id) VALUES ($1, $2, $3, $2, $4)
       ON CONFLICT (workspace_id, salesforce_object, salesforce_id) DO UPDATE SET hubspot_id = EXCLUDED.hubspot_id, updated_at = now()`,
      [workspaceId, salesforceObject, salesforceId, hubspotId],
    );
  }

  /** The HubSpot company of a Salesforce Account: the one Account → company wrote, else the import's company links. */
  async hubspotCompanyOfAccount(workspaceId: string, accountId: string): Promise<string | null> {
    return (await this.recordLink(workspaceId, 'company', accountId)) ?? this.links.hubspotRecordOfSalesforceRecord(workspaceId, 'company', accountId);
  }

  /** The HubSpot contact of a Salesforce Lead/Contact: the handoff's link, else the import's person links. */
  async hubspotContactOfSalesforce(workspaceId: string, salesforceId: string): Promise<string | null> {
    return (await this.linkOfSalesforce(workspaceId, salesforceId)) ?? this.links.hubspotRecordOfSalesforceRecord(workspaceId, 'person', salesforceId);
  }

  /**
   * Runs `work` while holding a session advisory lock on `key` (a dedicated connection): two runs about the same
   * record (or the same domain) never both create it in HubSpot.
   */
  async withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(`SELECT pg_advisory_lock(hashtextextended($1, 0))`, [key]);
      try {
        return await work();
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [key]);
      }
    } finally {
      await runner.release();
    }
  }

  // ---- Salesforce poll cursors ---------------------------------------------------------------------------

  async cursor(workspaceId: string, object: string): Promise<string | null> {
    const rows = await this.dataSource.query<{ cursor: string }[]>(`SELECT cursor FROM workflow_cursor WHERE workspace_id = $1 AND object = $2`, [workspaceId, object]);
    return rows[0]?.cursor ?? null;
  }

  async saveCursor(workspaceId: string, object: string, cursor: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO workflow_cursor (workspace_id, object, cursor) VALUES ($1, $2, $3) ON CONFLICT (workspace_id, object) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now()`,
      [workspaceId, object, cursor],
    );
  }
}
