import { BullModule } from '@nestjs/bull';
import type { AdvancedSettings } from 'bull';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/app-config.js';
import { JobLifecycle } from './job-lifecycle.js';
import { OutboxJob } from './outbox-job.entity.js';
import { OutboxService } from './outbox.service.js';
import { QueueName } from './queue-names.js';
import { QueueRegistry, queueRegistryProvider } from './queue-registry.js';
import { ReconcilerService } from './reconciler.service.js';

/**
 * Bull's lock and stall check per queue where the defaults (30 s) do not fit. A list sync runs for minutes with
 * bursts of import work: on a loaded machine a lock renewal can come late, Bull then takes the job for stalled and
 * hands it to a second slot while the first still runs. A longer lock makes that rare; the list sync's advisory
 * lock makes the second run a no-op when it happens anyway.
 */
const QUEUE_SETTINGS: Partial<Record<QueueName, AdvancedSettings>> = {
  [QueueName.Lists]: { lockDuration: 120_000, lockRenewTime: 30_000, stalledInterval: 60_000, maxStalledCount: 2 },
};

/**
 * Bull on REDIS_URL with QUEUE_PREFIX, every queue of QueueName, and the OutboxService.
 * With `processors`, the Reconciler runs too (worker, or API in dev); processors themselves live in their feature modules.
 */
@Global()
@Module({})
export class QueuesModule {
  static forRoot(config: AppConfig, { processors }: { processors: boolean }): DynamicModule {
    const queues = BullModule.registerQueue(...Object.values(QueueName).map((name) => ({ name, ...(QUEUE_SETTINGS[name] ? { settings: QUEUE_SETTINGS[name] } : {}) })));
    return {
      module: QueuesModule,
      imports: [
        BullModule.forRoot({ url: config.redisUrl, prefix: config.queuePrefix }),
        queues,
        TypeOrmModule.forFeature([OutboxJob]),
      ],
      providers: [queueRegistryProvider, OutboxService, JobLifecycle, ...(processors ? [ReconcilerService] : [])],
      exports: [QueueRegistry, OutboxService, JobLifecycle, queues],
    };
  }
}
