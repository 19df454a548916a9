import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CrmConnection } from '../connections/connection.entity.js';
import { HUBSPOT_CHANGE_LISTENER } from '../sync/hubspot-change-listener.js';
import { ClosedLoopRuns } from './closed-loop-runs.js';
import { WorkflowCrmsProvider } from './workflow-crms.js';
import { WorkflowExecutor } from './workflow-executor.service.js';
import { WorkflowBudgetWaits } from './workflow-budget-waits.js';
import { WorkflowPollScheduler } from './workflow-poll-scheduler.service.js';
import { WorkflowTriggers } from './workflow-triggers.service.js';
import { WorkflowsController } from './workflows.controller.js';
import { WorkflowsProcessor } from './workflows.processor.js';
import { WorkflowsService } from './workflows.service.js';

/**
 * HubSpot ↔ Salesforce workflows. Global so the sync feature's HubSpot webhook endpoint can hand verified events
 * to HUBSPOT_CHANGE_LISTENER without importing this module. `connections` is the connections feature's module.
 */
@Module({})
export class WorkflowsModule {
  static forRoot({ http, processors, connections }: { http: boolean; processors: boolean; connections: DynamicModule }): DynamicModule {
    return {
      module: WorkflowsModule,
      global: true,
      imports: [connections, TypeOrmModule.forFeature([CrmConnection])],
      controllers: http ? [WorkflowsController] : [],
      providers: [
        WorkflowsService,
        WorkflowCrmsProvider,
        WorkflowExecutor,
        ClosedLoopRuns,
        WorkflowTriggers,
        { provide: HUBSPOT_CHANGE_LISTENER, useExisting: WorkflowTriggers },
        ...(processors ? [WorkflowsProcessor, WorkflowPollScheduler, WorkflowBudgetWaits] : []),
      ],
      exports: [HUBSPOT_CHANGE_LISTENER, WorkflowsService, WorkflowTriggers],
    };
  }
}
