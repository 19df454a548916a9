/** Every Bull queue of Conduit. */
export enum QueueName {
  Maintenance = 'maintenance',
}

/** Every job name with its payload: the payload is stored in `outbox_job.payload`, Bull only carries the row id. */
export interface JobPayloads {
  /** Counts people, companies and users of a workspace and stores the counts as the job's result. */
  'recount-workspace': { workspaceId: string };
}

export type JobName = keyof JobPayloads;

/** Which queue runs which job. */
export const JOB_QUEUE: { readonly [N in JobName]: QueueName } = {
  'recount-workspace': QueueName.Maintenance,
};

/** What travels through Redis: a pointer to the durable row. */
export interface BullJobData {
  outboxJobId: string;
}
