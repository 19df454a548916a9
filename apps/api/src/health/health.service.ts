import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { HealthDto } from '@conduit/contracts';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';

const CHECK_TIMEOUT_MS = 2000;

@Injectable()
export class HealthService implements OnModuleDestroy {
  /** Its own connection, failing fast instead of queueing commands while Redis is away. */
  private readonly redis: Redis;

  constructor(
    @InjectConfig() config: AppConfig,
    private readonly dataSource: DataSource,
  ) {
    this.redis = new Redis(config.redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: CHECK_TIMEOUT_MS });
    this.redis.on('error', () => undefined); // reported through the check, not as unhandled errors
  }

  async check(): Promise<HealthDto> {
    const [postgres, redis] = await Promise.all([
      up(this.dataSource.query('SELECT 1')),
      up((async () => {
        if (this.redis.status === 'wait' || this.redis.status === 'end') await this.redis.connect();
        return this.redis.ping();
      })()),
    ]);
    return { status: postgres === 'up' && redis === 'up' ? 'ok' : 'degraded', checks: { postgres, redis } };
  }

  async onModuleDestroy(): Promise<void> {
    this.redis.disconnect();
  }
}

async function up(probe: Promise<unknown>): Promise<'up' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([probe, timeout]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}
