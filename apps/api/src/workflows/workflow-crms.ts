import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { CrmError, createCrmAdapter, type CrmAdapter, type CrmFieldDescriptor, type CrmObjectType } from '@conduit/crm';
import { Redis } from 'ioredis';
import type { Repository } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { ConnectionCredentialsService } from '../connections/connection-credentials.service.js';
import { CrmConnection } from '../connections/connection.entity.js';
import { adapterEndpoints } from '../connections/crm-endpoints.js';
import { RateBudget } from '../sync/rate-budget.js';
import { RATE_LIMITS } from '../sync/sync-runner.service.js';

export interface WorkflowCrms {
  hubspot: CrmAdapter;
  salesforce: CrmAdapter;
  describe(crm: 'hubspot' | 'salesforce', object: CrmObjectType): Promise<CrmFieldDescriptor[]>;
}

const DESCRIBE_TTL_MS = 5 * 60_000;

/**
 * Both CRM adapters of a workspace, through the connections feature's credentials (single-flight refresh), spending
 * the connection's shared Redis rate budget (the import's sliding window) so bursts wait instead of earning 429s.
 */
@Injectable()
export class WorkflowCrmsProvider implements OnModuleDestroy {
  private readonly logger = new Logger(WorkflowCrmsProvider.name);
  private readonly describeCache = new Map<string, { at: number; fields: Promise<CrmFieldDescriptor[]> }>();
  private readonly redis: Redis;
  private readonly budget: RateBudget;

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly credentials: ConnectionCredentialsService,
    @InjectRepository(CrmConnection) private readonly connections: Repository<CrmConnection>,
  ) {
    this.redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
    this.redis.on('error', (err: Error) => this.logger.warn({ msg: 'redis error (rate budget)', error: err.message }));
    this.budget = new RateBudget(this.redis, config.queuePrefix);
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }

  private async adapter(row: CrmConnection): Promise<CrmAdapter> {
    const credentials = await this.credentials.credentials(row.id);
    let current = credentials.accessToken;
    return createCrmAdapter(row.crm, credentials, {
      ...adapterEndpoints(this.config),
      beforeRequest: (cost, info) => this.budget.take(row.id, info.budget, RATE_LIMITS[row.crm][info.budget], cost),
      refresh: async () => {
        const next = await this.credentials.refresh(row.id, current);
        current = next.accessToken;
        return next;
      },
    });
  }

  async for(workspaceId: string): Promise<WorkflowCrms> {
    const rows = await this.connections.findBy({ workspaceId });
    const hs = rows.find((r) => r.crm === 'hubspot');
    const sf = rows.find((r) => r.crm === 'salesforce');
    // A missing or revoked connection is an auth failure of the workflow: it pauses instead of retrying.
    for (const [crm, row] of [['hubspot', hs], ['salesforce', sf]] as const) {
      if (!row) throw new CrmError({ kind: 'auth_revoked' }, { crm, message: `${crm === 'hubspot' ? 'HubSpot' : 'Salesforce'} is not connected` });
      if (row.status !== 'connected') throw new CrmError({ kind: 'auth_revoked' }, { crm, message: row.lastError ?? `${crm} needs a reconnect` });
    }
    const [hubspot, salesforce] = await Promise.all([this.adapter(hs!), this.adapter(sf!)]);
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
