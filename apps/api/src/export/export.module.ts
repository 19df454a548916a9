import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CrmConnection } from '../connections/connection.entity.js';
import { CrmFieldSnapshot } from '../connections/field-snapshot.entity.js';
import { PERSON_ENGAGEMENT_LISTENER } from '../people/person-events.js';
import { Person } from '../people/person.entity.js';
import { CrmLink } from '../sync/crm-link.entity.js';
import { User } from '../users/user.entity.js';
import { ExportCompanies } from './export-companies.js';
import { ExportContexts } from './export-context.js';
import { ExportEngine } from './export-engine.service.js';
import { ExportAccounts } from './export-accounts.js';
import { ExportLinks } from './export-links.js';
import { ExportResumes, ExportResumeScheduler } from './export-resume.js';
import { ExportRun } from './export-run.entity.js';
import { ExportRunRepository } from './export-run.repository.js';
import { CrmExportSettings } from './export-settings.entity.js';
import { ExportController } from './export.controller.js';
import { ExportProcessor } from './export.processor.js';
import { ExportService } from './export.service.js';
import { NeedsAttention } from './needs-attention.entity.js';
import { OwnerMappingService } from './owner-mapping.service.js';

/**
 * Export to the CRM. Global so the people feature can be told about engagement changes (PERSON_ENGAGEMENT_LISTENER)
 * without importing this module. `connections` is the connections feature's module.
 */
@Module({})
export class ExportModule {
  static forRoot({ http, processors, connections }: { http: boolean; processors: boolean; connections: DynamicModule }): DynamicModule {
    return {
      module: ExportModule,
      global: true,
      imports: [connections, TypeOrmModule.forFeature([CrmConnection, CrmFieldSnapshot, CrmExportSettings, ExportRun, NeedsAttention, Person, CrmLink, User])],
      controllers: http ? [ExportController] : [],
      providers: [
        ExportContexts,
        ExportCompanies,
        ExportLinks,
        ExportAccounts,
        ExportEngine,
        ExportRunRepository,
        OwnerMappingService,
        ExportService,
        ExportResumes,
        { provide: PERSON_ENGAGEMENT_LISTENER, useExisting: ExportService },
        ...(processors ? [ExportProcessor, ExportResumeScheduler] : []),
      ],
      exports: [ExportService, ExportEngine, PERSON_ENGAGEMENT_LISTENER],
    };
  }
}
