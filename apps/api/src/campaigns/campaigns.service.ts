import { Injectable, NotFoundException } from '@nestjs/common';
import type {
  CampaignDto,
  CampaignListsRefreshDto,
  CampaignChannel,
  CampaignStatus,
  CampaignSuppressionDto,
  ExcludedPageDto,
  ExcludedRecipientDto,
  RecipientCountsDto,
  RecipientsPageDto,
} from '@conduit/contracts';
import type { CrmListSource, FieldError } from '@conduit/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { validationFailed } from '../common/validation.js';
import { unavailableOf } from '../crm-lists/crm-list.view.js';
import { CrmListsService } from '../crm-lists/crm-lists.service.js';
import { OutboxService, type OutboxTransaction } from '../queues/outbox.service.js';
import { COUNTS_SQL, EXCLUDED_PAGE_SQL, RECIPIENTS_PAGE_SQL } from './recipients.sql.js';

export interface CampaignInput {
  name?: string;
  status?: CampaignStatus;
  channel?: CampaignChannel;
  audienceListIds?: string[];
  audiencePersonIds?: string[];
  suppressionListIds?: string[];
}

interface CampaignRow {
  id: string;
  name: string;
  status: CampaignStatus;
  channel: CampaignChannel;
  created_at: Date;
  updated_at: Date;
}

interface ListRefRow {
  id: string;
  name: string;
  kind: 'static' | 'dynamic';
  crm: 'hubspot' | 'salesforce';
  source: CrmListSource;
  crmObject: 'lead' | 'contact' | null;
  memberCount: number;
  deletedInCrmAt: string | null;
  unreadableAt: string | null;
  unreadableReason: string | null;
}

const LIST_REF = `jsonb_build_object('id', l.id, 'name', l.name, 'kind', l.kind, 'crm', l.crm, 'source', l.source, 'crmObject', l.crm_object, 'memberCount', l.member_count,
  'deletedInCrmAt', l.deleted_in_crm_at, 'unreadableAt', l.unreadable_at, 'unreadableReason', l.unreadable_reason)`;

type ListRef = CampaignSuppressionDto['list'];

/** A list as a campaign shows it: with whether Conduit can still read it, and why not. */
function listRef(r: ListRefRow): ListRef {
  const { unreadableAt, unreadableReason, ...rest } = r;
  return { ...rest, unavailable: unavailableOf({ source: r.source, deletedInCrmAt: r.deletedInCrmAt, unreadableAt, unreadableReason }) };
}

interface PersonRow {
  person_id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  company_name: string | null;
  total: number;
}

const recipient = (r: PersonRow) => ({ personId: r.person_id, firstName: r.first_name, lastName: r.last_name, email: r.email, companyName: r.company_name });

/** Campaigns with their audiences (CRM lists, hand-picked people) and suppression lists, and their recipients. */
@Injectable()
export class CampaignsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly lists: CrmListsService,
  ) {}

  async list(workspaceId: string): Promise<CampaignDto[]> {
    const rows = await this.dataSource.query<CampaignRow[]>(`SELECT * FROM campaign WHERE workspace_id = $1 ORDER BY created_at DESC, id`, [workspaceId]);
    return Promise.all(rows.map((r) => this.view(workspaceId, r)));
  }

  async get(workspaceId: string, id: string): Promise<CampaignDto> {
    return this.view(workspaceId, await this.row(workspaceId, id));
  }

  /**
   * The campaign's Refresh: a membership sync of every CRM list it reads (its audiences, its suppression lists and the
   * workspace-wide suppression lists), each in the lists feature's queue; a list already pending or running is not
   * queued twice. Lists deleted in the CRM, or whose CRM needs a reconnect, are answered as skipped with the reason.
   */
  async refreshLists(workspaceId: string, campaignId: string): Promise<CampaignListsRefreshDto> {
    await this.row(workspaceId, campaignId);
    return this.outbox.transaction(async (tx) => {
      const lists = await tx.manager.query<{ id: string; name: string; crm: string; sync_status: string; deleted_in_crm_at: Date | null; connected: boolean }[]>(
        `SELECT l.id, l.name, l.crm, l.sync_status, l.deleted_in_crm_at, (c.status = 'connected') IS TRUE AS connected
           FROM crm_list l LEFT JOIN crm_connection c ON c.id = l.connection_id AND c.workspace_id = l.workspace_id
          WHERE l.workspace_id = $1 AND l.id IN (
                SELECT list_id FROM campaign_audience WHERE workspace_id = $1 AND campaign_id = $2 AND list_id IS NOT NULL
                UNION SELECT list_id FROM campaign_suppression WHERE workspace_id = $1 AND (campaign_id = $2 OR campaign_id IS NULL))
          ORDER BY lower(l.name), l.id`,
        [workspaceId, campaignId],
      );
      const result: CampaignListsRefreshDto = { campaignId, queued: [], skipped: [] };
      for (const l of lists) {
        const crm = l.crm === 'hubspot' ? 'HubSpot' : 'Salesforce';
        if (l.deleted_in_crm_at) result.skipped.push({ listId: l.id, name: l.name, reason: `Deleted in ${crm}` });
        else if (!l.connected) result.skipped.push({ listId: l.id, name: l.name, reason: `${crm} is not connected` });
        else {
          const alreadySyncing = l.sync_status === 'pending' || l.sync_status === 'running';
          await this.lists.enqueueSync(tx, workspaceId, l.id);
          result.queued.push({ listId: l.id, name: l.name, alreadySyncing });
        }
      }
      return result;
    });
  }

  async create(workspaceId: string, input: CampaignInput & { name: string }): Promise<CampaignDto> {
    const id = await this.outbox.transaction(async (tx) => {
      await this.checkRefs(tx.manager, workspaceId, input);
      const [row] = await tx.manager.query<{ id: string }[]>(`INSERT INTO campaign (workspace_id, name, status, channel) VALUES ($1, $2, $3, $4) RETURNING id`, [
        workspaceId,
        input.name.trim(),
        input.status ?? 'draft',
        input.channel ?? 'email',
      ]);
      await this.replaceRefs(tx, workspaceId, row!.id, input);
      return row!.id;
    });
    return this.get(workspaceId, id);
  }

  async update(workspaceId: string, id: string, input: CampaignInput): Promise<CampaignDto> {
    await this.outbox.transaction(async (tx) => {
      const [found] = await tx.manager.query<{ id: string }[]>(`SELECT id FROM campaign WHERE workspace_id = $1 AND id = $2 FOR UPDATE`, [workspaceId, id]);
      if (!found) throw new NotFoundException('Campaign not found');
      await this.checkRefs(tx.manager, workspaceId, input);
      await tx.manager.query(`UPDATE campaign SET name = COALESCE($3, name), status = COALESCE($4, status), channel = COALESCE($5, channel), updated_at = now() WHERE workspace_id = $1 AND id = $2`, [
        workspaceId,
        id,
        input.name?.trim() ?? null,
        input.status ?? null,
        input.channel ?? null,
      ]);
      await this.replaceRefs(tx, workspaceId, id, input);
    });
    return this.get(workspaceId, id);
  }

  async remove(workspaceId: string, id: string): Promise<void> {
    const [, count] = await this.dataSource.query<[unknown[], number]>(`DELETE FROM campaign WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
    if (!count) throw new NotFoundException('Campaign not found');
  }

  /** Lists suppressed in every campaign of the workspace. */
  async workspaceSuppressions(workspaceId: string): Promise<CampaignSuppressionDto[]> {
    const rows = await this.dataSource.query<{ id: string; list: ListRefRow }[]>(
        `SELECT s.id, ${LIST_REF} AS list FROM campaign_suppression s JOIN crm_list l ON l.id = s.list_id
          WHERE s.workspace_id = $1 AND s.campaign_id IS NULL ORDER BY lower(l.name), l.id`,
        [workspaceId],
    );
    return rows.map((r) => ({ id: r.id, campaignId: null, list: listRef(r.list) }));
  }

  async setWorkspaceSuppressions(workspaceId: string, listIds: string[]): Promise<CampaignSuppressionDto[]> {
    await this.outbox.transaction(async (tx) => {
      await this.checkRefs(tx.manager, workspaceId, { suppressionListIds: listIds }, 'listIds');
      await tx.manager.query(`DELETE FROM campaign_suppression WHERE workspace_id = $1 AND campaign_id IS NULL AND NOT (list_id = ANY($2::uuid[]))`, [workspaceId, listIds]);
      await tx.manager.query(
        `INSERT INTO campaign_suppression (workspace_id, campaign_id, list_id) SELECT $1, NULL, x FROM unnest($2::uuid[]) AS x
         ON CONFLICT (workspace_id, list_id) WHERE campaign_id IS NULL DO NOTHING`,
        [workspaceId, [...new Set(listIds)]],
      );
      await this.syncNeverSynced(tx, workspaceId, listIds);
    });
    return this.workspaceSuppressions(workspaceId);
  }

  async counts(workspaceId: string, id: string): Promise<RecipientCountsDto> {
    await this.row(workspaceId, id);
    const [row] = await this.dataSource.query<RecipientCountsDto[]>(COUNTS_SQL, [workspaceId, id]);
    return row!;
  }

  async recipients(workspaceId: string, id: string, page: number, pageSize: number): Promise<RecipientsPageDto> {
    await this.row(workspaceId, id);
    const rows = await this.dataSource.query<PersonRow[]>(RECIPIENTS_PAGE_SQL, [workspaceId, id, pageSize, (page - 1) * pageSize]);
    return { items: rows.map(recipient), page, pageSize, total: rows[0]?.total ?? (page > 1 ? (await this.counts(workspaceId, id)).final : 0) };
  }

  async excluded(workspaceId: string, id: string, page: number, pageSize: number): Promise<ExcludedPageDto> {
    await this.row(workspaceId, id);
    const rows = await this.dataSource.query<(PersonRow & { reasons: ExcludedRecipientDto['reasons'] })[]>(EXCLUDED_PAGE_SQL, [workspaceId, id, pageSize, (page - 1) * pageSize]);
    let total = rows[0]?.total ?? 0;
    if (!rows.length && page > 1) {
      const c = await this.counts(workspaceId, id);
      total = c.suppressed + c.dnc;
    }
    return { items: rows.map((r) => ({ ...recipient(r), reasons: r.reasons })), page, pageSize, total };
  }

  private async row(workspaceId: string, id: string): Promise<CampaignRow> {
    const [row] = await this.dataSource.query<CampaignRow[]>(`SELECT * FROM campaign WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
    if (!row) throw new NotFoundException('Campaign not found');
    return row;
  }

  private async view(workspaceId: string, row: CampaignRow): Promise<CampaignDto> {
    const [audiences, suppressions] = await Promise.all([
        this.dataSource.query<{ id: string; kind: 'crm_list' | 'people'; person_id: string | null; list: ListRefRow | null }[]>(
          `SELECT a.id, a.kind, a.person_id, CASE WHEN l.id IS NULL THEN NULL ELSE ${LIST_REF} END AS list
             FROM campaign_audience a LEFT JOIN crm_list l ON l.id = a.list_id
            WHERE a.workspace_id = $1 AND a.campaign_id = $2 ORDER BY a.kind, a.created_at, a.id`,
          [workspaceId, row.id],
        ),
        this.dataSource.query<{ id: string; campaign_id: string | null; list: ListRefRow }[]>(
          `SELECT s.id, s.campaign_id, ${LIST_REF} AS list FROM campaign_suppression s JOIN crm_list l ON l.id = s.list_id
            WHERE s.workspace_id = $1 AND (s.campaign_id = $2 OR s.campaign_id IS NULL) ORDER BY s.campaign_id NULLS LAST, lower(l.name), l.id`,
          [workspaceId, row.id],
        ),
      ]);
    const lists = [...audiences.map((a) => a.list), ...suppressions.map((s) => s.list)].filter((l): l is ListRefRow => l !== null).map(listRef);
    const deleted = new Map(lists.filter((l) => l.deletedInCrmAt).map((l) => [l.id, { id: l.id, name: l.name }]));
    const unavailable = new Map(lists.flatMap((l) => (l.unavailable ? [[l.id, { id: l.id, name: l.name, crm: l.crm, source: l.source, crmObject: l.crmObject, ...l.unavailable }] as const] : [])));
    return {
      id: row.id,
      name: row.name,
      status: row.status,
      channel: row.channel,
      audiences: audiences.map((a) => ({ id: a.id, kind: a.kind, list: a.list && listRef(a.list), personId: a.person_id })),
      suppressions: suppressions.map((s) => ({ id: s.id, campaignId: s.campaign_id, list: listRef(s.list) })),
      deletedLists: [...deleted.values()],
      unavailableLists: [...unavailable.values()],
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    };
  }

  /** Every referenced list and person must exist in this workspace: 400 naming the field and the unknown ids. */
  private async checkRefs(manager: EntityManager, workspaceId: string, input: CampaignInput, suppressionField = 'suppressionListIds'): Promise<void> {
    const errors: FieldError[] = [];
    const missing = async (table: 'crm_list' | 'person', ids: string[] | undefined): Promise<string[]> => {
      if (!ids?.length) return [];
      const rows = await manager.query<{ id: string }[]>(
        `SELECT x AS id FROM unnest($2::uuid[]) AS x WHERE NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.id = x AND t.workspace_id = $1)`,
        [workspaceId, [...new Set(ids)]],
      );
      return rows.map((r) => r.id);
    };
    for (const [field, table, ids] of [
      ['audienceListIds', 'crm_list', input.audienceListIds],
      ['audiencePersonIds', 'person', input.audiencePersonIds],
      [suppressionField, 'crm_list', input.suppressionListIds],
    ] as const) {
      const unknown = await missing(table, ids);
      if (unknown.length) errors.push({ field, messages: [`unknown ${table === 'person' ? 'people' : 'lists'}: ${unknown.slice(0, 10).join(', ')}`] });
    }
    if (errors.length) throw validationFailed(errors);
  }

  /** Replaces each given set (audience lists, people, suppression lists); sets not given stay. */
  private async replaceRefs(tx: OutboxTransaction, workspaceId: string, campaignId: string, input: CampaignInput): Promise<void> {
    const m = tx.manager;
    if (input.audienceListIds) {
      const ids = [...new Set(input.audienceListIds)];
      await m.query(`DELETE FROM campaign_audience WHERE workspace_id = $1 AND campaign_id = $2 AND kind = 'crm_list' AND NOT (list_id = ANY($3::uuid[]))`, [workspaceId, campaignId, ids]);
      await m.query(
        `INSERT INTO campaign_audience (workspace_id, campaign_id, kind, list_id) SELECT $1, $2, 'crm_list', x FROM unnest($3::uuid[]) AS x
         ON CONFLICT (campaign_id, list_id) WHERE list_id IS NOT NULL DO NOTHING`,
        [workspaceId, campaignId, ids],
      );
    }
    if (input.audiencePersonIds) {
      const ids = [...new Set(input.audiencePersonIds)];
      await m.query(`DELETE FROM campaign_audience WHERE workspace_id = $1 AND campaign_id = $2 AND kind = 'people' AND NOT (person_id = ANY($3::uuid[]))`, [workspaceId, campaignId, ids]);
      await m.query(
        `INSERT INTO campaign_audience (workspace_id, campaign_id, kind, person_id) SELECT $1, $2, 'people', x FROM unnest($3::uuid[]) AS x
         ON CONFLICT (campaign_id, person_id) WHERE person_id IS NOT NULL DO NOTHING`,
        [workspaceId, campaignId, ids],
      );
    }
    if (input.suppressionListIds) {
      const ids = [...new Set(input.suppressionListIds)];
      await m.query(`DELETE FROM campaign_suppression WHERE workspace_id = $1 AND campaign_id = $2 AND NOT (list_id = ANY($3::uuid[]))`, [workspaceId, campaignId, ids]);
      await m.query(
        `INSERT INTO campaign_suppression (workspace_id, campaign_id, list_id) SELECT $1, $2, x FROM unnest($3::uuid[]) AS x
         ON CONFLICT (campaign_id, list_id) WHERE campaign_id IS NOT NULL DO NOTHING`,
        [workspaceId, campaignId, ids],
      );
    }
    await this.syncNeverSynced(tx, workspaceId, [...(input.audienceListIds ?? []), ...(input.suppressionListIds ?? [])]);
  }

  /** A list used for the first time gets its first membership sync with the campaign change. */
  private async syncNeverSynced(tx: OutboxTransaction, workspaceId: string, listIds: string[]): Promise<void> {
    if (!listIds.length) return;
    const rows = await tx.manager.query<{ id: string }[]>(`SELECT id FROM crm_list WHERE workspace_id = $1 AND id = ANY($2::uuid[]) AND sync_status = 'never'`, [
      workspaceId,
      [...new Set(listIds)],
    ]);
    for (const r of rows) await this.lists.enqueueSync(tx, workspaceId, r.id);
  }
}
