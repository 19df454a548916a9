export const JOB_STATUSES = ['pending', 'running', 'done', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** A durable unit of background work (the `outbox_job` row behind a Bull job). */
export interface JobDto {
  id: string;
  queue: string;
  name: string;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  result: Record<string, unknown> | null;
  runAfter: string;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

/** Result of the `recount-workspace` maintenance job. */
export interface WorkspaceCountsDto {
  people: number;
  companies: number;
  users: number;
  peopleByEngagementState: Record<string, number>;
}
