import { Inject, Injectable, Logger, NotFoundException, type OnModuleDestroy } from '@nestjs/common';
import type { CrmAdapter, CrmKind } from '@conduit/crm';
import { Redis } from 'ioredis';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { RateBudget } from '../sync/rate-budget.js';
import { SYNC_CONNECTION_PORT, type SyncConnectionInfo, type SyncConnectionPort } from '../sync/sync-connection.port.js';
import { RATE_LIMITS } from '../sync/sync-runner.service.js';

export interface CountedAdapter {
  connection: SyncConnectionInfo;
  adapter: CrmAdapter;
  /** API calls made through this adapter so far. */
  calls: () => number;
}

/**
 * CRM adapters for the lists and DNC features, on the sync engine's terms: credentials and refresh from the
 * connections feature (through the sync port), and every call waiting for the same per-connection Redis budget
 * the import sync spends, so a list refresh and a backfill never exceed the CRM's rate limit together.
 */
@Injectable()
export class CrmAccessService implements OnModuleDestroy {
  private readonly logger = new Logger(CrmAccessService.name);
  private readonly redis: Redis;
  private readonly budget: RateBudget;

  constructor(
    @InjectConfig() config: AppConfig,
    @Inject(SYNC_CONNECTION_PORT) private readonly connections: SyncConnectionPort,
  ) {
    this.redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
    this.redis.on('error', (err: Error) => this.logger.warn({ msg: 'redis error (rate budget)', error: err.message }));
    this.budget = new RateBudget(this.redis, config.queuePrefix);
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }

  /** The connection of this workspace, or 404. */
  async connection(workspaceId: string, connectionId: string): Promise<SyncConnectionInfo> {
    const connection = await this.connections.get(workspaceId, connectionId);
    if (!connection) throw new NotFoundException('Connection not found');
    return connection;
  }

  async adapter(workspaceId: string, connectionId: string): Promise<CountedAdapter> {
    const connection = await this.connection(workspaceId, connectionId);
    let count = 0;
    const crm: CrmKind = connection.crm;
    const adapter = await this.connections.getAdapter(workspaceId, connectionId, {
      beforeRequest: async (cost, info) => {
        count += cost;
        await this.budget.take(connectionId, info.budget, RATE_LIMITS[crm][info.budget], cost);
      },
    });
    return { connection, adapter, calls: () => count };
  }
}
