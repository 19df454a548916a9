import { ApiForecast } from '../api-usage/api-forecast.entity.js';
import { ApiKey } from '../auth/api-key.entity.js';
import { Session } from '../auth/session.entity.js';
import { Company } from '../companies/company.entity.js';
import { CrmConnectionHealth } from '../connections/connection-health.entity.js';
import { CrmConnection } from '../connections/connection.entity.js';
import { CrmApiReported, CrmApiUsage } from '../crm-runtime/crm-api-usage.entity.js';
import { CrmFieldMapping } from '../connections/field-mapping.entity.js';
import { CrmFieldSnapshot } from '../connections/field-snapshot.entity.js';
import { CrmOAuthState } from '../connections/oauth-state.entity.js';
import { ExportRun } from '../export/export-run.entity.js';
import { CrmExportSettings } from '../export/export-settings.entity.js';
import { NeedsAttention } from '../export/needs-attention.entity.js';
import { Person } from '../people/person.entity.js';
import { OutboxJob } from '../queues/outbox-job.entity.js';
import { CrmLink } from '../sync/crm-link.entity.js';
import { FieldProvenance } from '../sync/field-provenance.entity.js';
import { SyncCursor } from '../sync/sync-cursor.entity.js';
import { SyncFailure } from '../sync/sync-failure.entity.js';
import { SyncRun } from '../sync/sync-run.entity.js';
import { WebhookEvent } from '../sync/webhook-event.entity.js';
import { User } from '../users/user.entity.js';
import { Workspace } from '../workspaces/workspace.entity.js';

/** Listed explicitly: ESM builds have no reliable glob loading, and a missing entity should fail the typecheck. */
export const ENTITIES = [Workspace, User, Session, ApiKey, Company, Person, OutboxJob, CrmConnection, CrmOAuthState, CrmFieldSnapshot, CrmFieldMapping, CrmLink, SyncCursor, SyncRun, SyncFailure, FieldProvenance, WebhookEvent, CrmExportSettings, ExportRun, NeedsAttention, CrmApiUsage, CrmApiReported, CrmConnectionHealth, ApiForecast];
