import { Injectable } from '@nestjs/common';
import type { CrmKind, CrmRecordRefDto } from '@conduit/contracts';
import type { CrmObjectType } from '@conduit/crm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { crmRecordUrl } from '../connections/crm-endpoints.js';

/** A CRM record to name: its CRM (one connection per CRM in a workspace), object when known, id, and a name to fall back on. */
export interface CrmRecordKey {
  crm: CrmKind;
  object: CrmObjectType | null;
  crmId: string;
  /** The name the record carried when Conduit read it (a failed import), used when no Conduit record is linked. */
  name?: string | null;
}

interface RefRow {
  i: number;
  account_id: string | null;
  instance_url: string | null;
  object: CrmObjectType | null;
  person_id: string | null;
  company_id: string | null;
  name: string | null;
}

const OBJECTS: readonly string[] = ['contact', 'lead', 'company', 'deal'] satisfies CrmObjectType[];
export const isCrmObject = (v: string | null): v is CrmObjectType => v !== null && OBJECTS.includes(v);

/**
 * CRM record ids in words for the admin (#21): each record's linked Conduit person or company by name, its Conduit
 * page and its CRM page — for a whole list (a run's failures, a run log page) in one query, scoped to the workspace.
 */
@Injectable()
export class CrmRecordRefs {
  constructor(
    private readonly dataSource: DataSource,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async resolve(workspaceId: string, keys: readonly CrmRecordKey[]): Promise<CrmRecordRefDto[]> {
    if (!keys.length) return [];
    const rows = await this.dataSource.query<RefRow[]>(
      `SELECT v.i, c.account_id, c.instance_url, coalesce(l.object, v.object) AS object, l.person_id, l.company_id,
              CASE WHEN l.person_id IS NOT NULL THEN coalesce(nullif(trim(concat_ws(' ', p.first_name, p.last_name)), ''), p.email)
                   WHEN l.company_id IS NOT NULL THEN coalesce(nullif(trim(co.name), ''), co.domain) END AS name
         FROM jsonb_to_recordset($2::jsonb) AS v(i int, crm text, object text, crm_id text)
         LEFT JOIN crm_connection c ON c.workspace_id = $1 AND c.crm = v.crm
         LEFT JOIN LATERAL (
           SELECT l.object, l.person_id, l.company_id FROM crm_link l
            WHERE l.workspace_id = $1 AND l.connection_id = c.id AND l.crm_id = v.crm_id AND (v.object IS NULL OR l.object = v.object)
            ORDER BY l.archived_at DESC NULLS FIRST, l.last_synced_at DESC LIMIT 1
         ) l ON true
         LEFT JOIN person p ON p.id = l.person_id AND p.workspace_id = $1
         LEFT JOIN company co ON co.id = l.company_id AND co.workspace_id = $1`,
      [workspaceId, JSON.stringify(keys.map((k, i) => ({ i, crm: k.crm, object: k.object, crm_id: k.crmId })))],
    );
    const byIndex = new Map(rows.map((r) => [r.i, r]));
    return keys.map((k, i) => {
      const r = byIndex.get(i);
      const object = r && isCrmObject(r.object) ? r.object : k.object;
      const connection = r?.account_id ? { crm: k.crm, accountId: r.account_id, instanceUrl: r.instance_url } : null;
      return {
        crm: k.crm,
        crmObject: object,
        crmId: k.crmId,
        name: r?.name ?? k.name ?? null,
        personId: r?.person_id ?? null,
        companyId: r?.company_id ?? null,
        crmRecordUrl: connection && object ? crmRecordUrl(this.config, connection, object, k.crmId) : null,
      };
    });
  }
}
