import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CrmConnection } from '../connections/connection.entity.js';
import { MAPPING_CHANGED_LISTENER } from '../connections/mapping-events.js';
import { CONDUIT_EDIT_RECORDER, ConduitEditProvenance } from './conduit-edits.js';
import { ConnectionsSyncPort } from './connections-sync.port.js';
import { CrmLinkRepository } from './crm-link.repository.js';
import { CrmRecordRefs } from './crm-record-refs.js';
import { ImportService } from './import.service.js';
import { LeadConversions } from './lead-conversions.js';
import { PersonSyncService } from './person-sync.service.js';
import { ProvenanceService } from './provenance.service.js';
import { RelatedImportService } from './related-import.service.js';
import { RELATED_IMPORTERS, RelatedImporters } from './related-importers.js';
import { SYNC_CONNECTION_PORT } from './sync-connection.port.js';
import { SyncCursorRepository } from './sync-cursor.repository.js';
import { SyncRunRepository } from './sync-run.repository.js';
import { SyncRunnerService } from './sync-runner.service.js';
import { SyncSchedulerService } from './sync-scheduler.service.js';
import { SyncController } from './sync.controller.js';
import { SyncProcessor } from './sync.processor.js';
import { SyncService } from './sync.service.js';
import { WebhooksController } from './webhooks.controller.js';

/**
 * Import sync. `connections` is the connections feature's module (the port delegates to its services); the
 * controllers exist with HTTP, the processor and the incremental schedule with processors. Global so the
 * connections feature's mapping service is told about mapping changes (MAPPING_CHANGED_LISTENER) and the people
 * and companies features record provenance of edits made in Conduit (CONDUIT_EDIT_RECORDER).
 */
@Module({})
export class SyncModule {
  static forRoot({ http, processors, connections }: { http: boolean; processors: boolean; connections: DynamicModule }): DynamicModule {
    return {
      module: SyncModule,
      global: true,
      imports: [connections, TypeOrmModule.forFeature([CrmConnection])],
      controllers: http ? [SyncController, WebhooksController] : [],
      providers: [
        { provide: SYNC_CONNECTION_PORT, useClass: ConnectionsSyncPort },
        CrmLinkRepository,
        CrmRecordRefs,
        SyncRunRepository,
        SyncCursorRepository,
        ImportService,
        LeadConversions,
        SyncService,
        SyncRunnerService,
        PersonSyncService,
        ProvenanceService,
        RelatedImportService,
        { provide: RELATED_IMPORTERS, useClass: RelatedImporters },
        { provide: MAPPING_CHANGED_LISTENER, useExisting: SyncService },
        { provide: CONDUIT_EDIT_RECORDER, useClass: ConduitEditProvenance },
        ...(processors ? [SyncProcessor, SyncSchedulerService] : []),
      ],
      exports: [SyncService, SyncRunnerService, ImportService, LeadConversions, CrmLinkRepository, CrmRecordRefs, SyncRunRepository, SYNC_CONNECTION_PORT, RELATED_IMPORTERS, MAPPING_CHANGED_LISTENER, CONDUIT_EDIT_RECORDER],
    };
  }
}
