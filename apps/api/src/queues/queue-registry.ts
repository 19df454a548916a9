import { getQueueToken } from '@nestjs/bull';
import type { FactoryProvider } from '@nestjs/common';
import type { Queue } from 'bull';
import { QueueName } from './queue-names.js';

/** Every Bull queue of QueueName by name, injected once by the queues module (no module lookup at run time). */
export class QueueRegistry {
  constructor(private readonly byName: ReadonlyMap<string, Queue>) {}

  get(name: string): Queue {
    const queue = this.byName.get(name);
    if (!queue) throw new Error(`Unknown queue "${name}"`);
    return queue;
  }

  all(): Queue[] {
    return [...this.byName.values()];
  }
}

const NAMES = Object.values(QueueName);

export const queueRegistryProvider: FactoryProvider<QueueRegistry> = {
  provide: QueueRegistry,
  useFactory: (...queues: Queue[]) => new QueueRegistry(new Map(NAMES.map((name, i) => [name, queues[i]!]))),
  inject: NAMES.map((name) => getQueueToken(name)),
};
