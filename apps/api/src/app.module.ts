import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActivitiesModule } from './activities/activities.module.js';
import { ApiUsageModule } from './api-usage/api-usage.module.js';
import { ConsentModule } from './consent/consent.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CampaignsModule } from './campaigns/campaigns.module.js';
import { CompaniesModule } from './companies/companies.module.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { ConnectionsModule } from './connections/connections.module.js';
import { CrmListsModule } from './crm-lists/crm-lists.module.js';
import type { CrmRuntimeOptions } from './crm-runtime/crm-runtime.options.js';
import { CrmRuntimeModule } from './crm-runtime/crm-runtime.module.js';
import { dataSourceOptions } from './database/data-source.js';
import { DncModule } from './dnc/dnc.module.js';
import { ErasureModule } from './erasure/erasure.module.js';
import { ExportModule } from './export/export.module.js';
import { HealthModule } from './health/health.module.js';
import { MaintenanceModule } from './maintenance/maintenance.module.js';
import { PeopleModule } from './people/people.module.js';
import { QueuesModule } from './queues/queues.module.js';
import { SuppressionModule } from './suppression/suppression.module.js';
import { SyncModule } from './sync/sync.module.js';
import { WorkflowsModule } from './workflows/workflows.module.js';
import { WorkspacesModule } from './workspaces/workspaces.module.js';

export interface AppModuleOptions {
  /** Controllers (the HTTP API). */
  http: boolean;
  /** Bull processors and the reconciler. */
  processors: boolean;
  /** CRM runtime set-up (limits override, adapter decorator); production passes none. */
  crmRuntime?: CrmRuntimeOptions;
}

/** One module graph for both entry points: main.ts (http, + processors in dev) and worker.ts (processors only). */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, { http, processors, crmRuntime }: AppModuleOptions): DynamicModule {
    const connections = ConnectionsModule.forRoot({ http, processors });
    const runtime = CrmRuntimeModule.forRoot({ connections, http, ...(crmRuntime ? { options: crmRuntime } : {}) });
    const sync = SyncModule.forRoot({ http, processors, connections });
    const crmLists = CrmListsModule.forRoot({ http, processors, sync });
    const activities = ActivitiesModule.forRoot({ http, processors, connections });
    const exports = ExportModule.forRoot({ http, processors, connections });
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot(dataSourceOptions(config.databaseUrl)),
        QueuesModule.forRoot(config, { processors }),
        MaintenanceModule.forRoot({ http, processors }),
        connections,
        SuppressionModule,
        runtime,
        sync,
        crmLists,
        CampaignsModule.forRoot({ http, crmLists }),
        DncModule.forRoot({ http, processors }),
        exports,
        WorkflowsModule.forRoot({ http, processors, connections }),
        activities,
        ConsentModule.forRoot({ http, processors, activities }),
        ErasureModule.forRoot({ http, processors }),
        ApiUsageModule.forRoot({ http, sync, exports }),
        ...(http ? [AuthModule, PeopleModule, CompaniesModule, HealthModule, WorkspacesModule] : []),
      ],
    };
  }
}
