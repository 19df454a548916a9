import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { CrmError, type CrmAdapter, type CrmFieldDescriptor, type CrmObjectType } from '@conduit/crm';
import type { Repository } from 'typeorm';
import { ConnectionCredentialsService } from '../connections/connection-credentials.service.js';
import { CrmConnection } from '../connections/connection.entity.js';

export interface WorkflowCrms {
  hubspot: CrmAdapter;
  salesforce: CrmAdapter;
  describe(crm: 'hubspot' | 'salesforce', object: CrmObjectType): Promise<CrmFieldDescriptor[]>;
}

const DESCRIBE_TTL_MS = 5 * 60_000;

/** Both CRM adapters of a workspace, through the connections feature's credentials (refresh included). */
@Injectable()
export class WorkflowCrmsProvider {
  private readonly describeCache = new Map<string, { at: number; fields: Promise<CrmFieldDescriptor[]> }>();

  constructor(
    private readonly credentials: ConnectionCredentialsService,
    @InjectRepository(CrmConnection) private readonly connections: Repository<CrmConnection>,
  ) {}

  async for(workspaceId: string): Promise<WorkflowCrms> {
    const rows = await this.connections.findBy({ workspaceId });
    const hs = rows.find((r) => r.crm === 'hubspot');
    const sf = rows.find((r) => r.crm === 'salesforce');
    // A missing or revoked connection is an auth failure of the workflow: it pauses instead of retrying.
    for (const [crm, row] of [['hubspot', hs], ['salesforce', sf]] as const) {
      if (!row) throw new CrmError({ kind: 'auth_revoked' }, { crm, message: `${crm === 'hubspot' ? 'HubSpot' : 'Salesforce'} is not connected` });
      if (row.status !== 'connected') throw new CrmError({ kind: 'auth_revoked' }, { crm, message: row.lastError ?? `${crm} needs a reconnect` });
    }
    const [hubspot, salesforce] = await Promise.all([this.credentials.adapterFor(hs!), this.credentials.adapterFor(sf!)]);
    const adapters = { hubspot, salesforce };
    const ids = { hubspot: hs!.id, salesforce: sf!.id };
    return {
      hubspot,
      salesforce,
      describe: (crm, object) => {
        const key = `${ids[crm]}:${object}`;
        const hit = this.describeCache.get(key);
        if (hit && Date.now() - hit.at < DESCRIBE_TTL_MS) return hit.fields;
        const fields = adapters[crm].describeFields(object);
        fields.catch(() => this.describeCache.delete(key));
        this.describeCache.set(key, { at: Date.now(), fields });
        return fields;
      },
    };
  }
}
