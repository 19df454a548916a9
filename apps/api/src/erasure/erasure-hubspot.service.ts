import { Injectable, Logger } from '@nestjs/common';
import { CrmError } from '@conduit/crm';
import { CrmClients } from '../crm-runtime/crm-clients.service.js';
import { withCrmRetry } from '../crm-runtime/crm-retry.js';
import type { JobOf, JobResultOf } from '../queues/jobs/index.js';
import type { JobName } from '../queues/queue-names.js';
import { ErasureRepository } from './erasure.repository.js';

/**
 * Asks HubSpot to delete erased people's contacts (GDPR delete, one call per contact, the shared rate budget). Each
 * answer moves the audit's progress, so a retried job resumes after the contacts already answered; a contact HubSpot
 * no longer has counts as gone. A refusal (e.g. a missing scope) is kept as the audit's reason; transient errors and
 * rate limits retry in place, then throw so Bull retries the job.
 */
@Injectable()
export class ErasureHubspotService {
  private readonly logger = new Logger(ErasureHubspotService.name);

  constructor(
    private readonly clients: CrmClients,
    private readonly repo: ErasureRepository,
  ) {}

  async delete(payload: JobOf<JobName.ErasureHubspotDelete>): Promise<JobResultOf<JobName.ErasureHubspotDelete>> {
    const { workspaceId, connectionId, auditId, contactIds } = payload;
    const counts = { deleted: 0, notFound: 0, failed: 0 };
    const from = await this.repo.hubspotProgress(workspaceId, auditId);
    if (from === null) return counts;
    const client = await this.clients.open(workspaceId, connectionId, { feature: 'other' });
    for (let i = from; i < contactIds.length; i++) {
      const [r] = await withCrmRetry(() => client.adapter.gdprDelete([contactIds[i]!]), { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 10_000 });
      if (!r) throw new Error('HubSpot GDPR delete answered nothing');
      if (r.ok) {
        counts.deleted++;
        await this.repo.hubspotAnswered(workspaceId, auditId, i, 'deleted', null);
      } else if (r.error instanceof CrmError && r.error.kind === 'not_found') {
        counts.notFound++;
        await this.repo.hubspotAnswered(workspaceId, auditId, i, 'not_found', null);
      } else if (r.error instanceof CrmError && r.error.retryable) {
        throw r.error;
      } else {
        counts.failed++;
        await this.repo.hubspotAnswered(workspaceId, auditId, i, 'failed', `HubSpot: ${r.error.message}`.slice(0, 2000));
      }
    }
    await this.repo.finishHubspot(workspaceId, auditId, null);
    this.logger.log({ msg: 'hubspot gdpr deletes', auditId, ...counts });
    return counts;
  }

  /** The job's last attempt failed: the audit says so, with the error. */
  async failed(payload: JobOf<JobName.ErasureHubspotDelete>, error: Error): Promise<void> {
    await this.repo.finishHubspot(payload.workspaceId, payload.auditId, `HubSpot: ${error.message}`.slice(0, 2000));
  }
}
