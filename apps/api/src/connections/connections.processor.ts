import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Job } from 'bull';
import { In, type Repository } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { JobLifecycle } from '../queues/job-lifecycle.js';
import { isJobOf, OutboxJob } from '../queues/outbox-job.entity.js';
import { OutboxService } from '../queues/outbox.service.js';
import { type BullJobData, JobName, QueueName, REPEATABLE_JOBS } from '../queues/queue-names.js';
import { CrmConnection } from './connection.entity.js';
import { DiscoveryService } from './discovery.service.js';

/** Enqueues one durable `discover-fields` job per connected connection, skipping those that already have one open. */
@Injectable()
export class DiscoveryScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(DiscoveryScheduler.name);

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectRepository(CrmConnection) private readonly connections: Repository<CrmConnection>,
    @InjectRepository(OutboxJob) private readonly jobs: Repository<OutboxJob>,
    private readonly outbox: OutboxService,
  ) {}

  /** Registers the repeatable tick (idempotent: Bull keys repeatable jobs by name, jobId and interval). */
  async onApplicationBootstrap(): Promise<void> {
    const { queue, name, jobId } = REPEATABLE_JOBS.scheduleDiscovery;
    try {
      await this.outbox.queue(queue).add(name, {}, { jobId, repeat: { every: this.config.crm.discoveryIntervalMs }, removeOnComplete: true, removeOnFail: 100 });
    } catch (err) {
      this.logger.warn({ msg: 'could not register the discovery schedule', error: (err as Error).message });
    }
  }

  async enqueueAll(): Promise<number> {
    const connected = await this.connections.findBy({ status: 'connected' });
    const open = await this.jobs.findBy({ name: JobName.DiscoverFields, status: In(['pending', 'running']) });
    const busy = new Set(open.filter((j) => isJobOf(j, JobName.DiscoverFields)).map((j) => j.payload.connectionId));
    let enqueued = 0;
    for (const c of connected) {
      if (busy.has(c.id)) continue;
      await this.outbox.enqueue(JobName.DiscoverFields, { workspaceId: c.workspaceId, connectionId: c.id }, { workspaceId: c.workspaceId, maxAttempts: 3 });
      enqueued++;
    }
    return enqueued;
  }
}

/** Thin: load the connection, call the service; errors throw so Bull retries. */
@Processor(QueueName.Connections)
export class ConnectionsProcessor {
  constructor(
    private readonly jobs: JobLifecycle,
    private readonly scheduler: DiscoveryScheduler,
    private readonly discovery: DiscoveryService,
    @InjectRepository(CrmConnection) private readonly connections: Repository<CrmConnection>,
  ) {}

  @Process({ name: REPEATABLE_JOBS.scheduleDiscovery.name })
  async scheduleDiscovery(): Promise<{ enqueued: number }> {
    return { enqueued: await this.scheduler.enqueueAll() };
  }

  @Process({ name: JobName.DiscoverFields })
  discoverFields(job: Job<BullJobData>): Promise<void> {
    return this.jobs.run(JobName.DiscoverFields, job, async (payload) => {
      const connection = await this.connections.findOneBy({ id: payload.connectionId, workspaceId: payload.workspaceId });
      // Disconnected or waiting for a reconnect since the job was queued: nothing to discover.
      if (!connection || connection.status !== 'connected') return { skipped: true };
      const snapshots = await this.discovery.discover(connection);
      return { objects: snapshots.map((s) => ({ object: s.object, fields: s.fields.length, drift: s.drift !== null })) };
    });
  }

  @OnQueueFailed()
  onFailed(job: Job<BullJobData>, error: Error): Promise<void> {
    // The repeatable tick has no outbox row; the next tick simply tries again.
    return this.jobs.failed(job, error, JobName.DiscoverFields);
  }
}
