import { BullModule } from '@nestjs/bull';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/app-config.js';
import { OutboxJob } from './outbox-job.entity.js';
import { OutboxService } from './outbox.service.js';
import { QueueName } from './queue-names.js';
import { ReconcilerService } from './reconciler.service.js';

/**
 * Bull on REDIS_URL with QUEUE_PREFIX, every queue of QueueName, and the OutboxService.
 * With `processors`, the Reconciler runs too (worker, or API in dev); processors themselves live in their feature modules.
 */
@Global()
@Module({})
export class QueuesModule {
  static forRoot(config: AppConfig, { processors }: { processors: boolean }): DynamicModule {
    const queues = BullModule.registerQueue(...Object.values(QueueName).map((name) => ({ name })));
    return {
      module: QueuesModule,
      imports: [
        BullModule.forRoot({ url: config.redisUrl, prefix: config.queuePrefix }),
        queues,
        TypeOrmModule.forFeature([OutboxJob]),
      ],
      providers: [OutboxService, ...(processors ? [ReconcilerService] : [])],
      exports: [OutboxService, queues],
    };
  }
}
