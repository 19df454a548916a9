import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module.js';
import { OutboxJob } from '../queues/outbox-job.entity.js';
import { User } from '../users/user.entity.js';
import { ApiAllocationService } from './api-allocation.service.js';
import { ConnectionCredentialsService } from './connection-credentials.service.js';
import { CrmConnectionHealth } from './connection-health.entity.js';
import { CrmConnection } from './connection.entity.js';
import { ConnectionsController } from './connections.controller.js';
import { ConnectionsProcessor, DiscoveryScheduler } from './connections.processor.js';
import { ConnectionsService } from './connections.service.js';
import { DiscoveryService } from './discovery.service.js';
import { CrmFieldMapping } from './field-mapping.entity.js';
import { CrmFieldSnapshot } from './field-snapshot.entity.js';
import { MappingRows } from './mapping-rows.js';
import { MappingService } from './mapping.service.js';
import { CrmOAuthState } from './oauth-state.entity.js';
import { OAuthStateService } from './oauth-state.service.js';
import { SourceOfTruthController } from './source-of-truth.controller.js';
import { FieldSourceRules, SourceOfTruthService } from './source-of-truth.service.js';

/**
 * CRM connections. The services exist in both entry points (the worker refreshes tokens and discovers fields);
 * the controller only with HTTP, the processor and the discovery schedule only with processors.
 */
@Module({})
export class ConnectionsModule {
  static forRoot({ http, processors }: { http: boolean; processors: boolean }): DynamicModule {
    return {
      module: ConnectionsModule,
      imports: [TypeOrmModule.forFeature([CrmConnection, CrmConnectionHealth, CrmOAuthState, CrmFieldSnapshot, CrmFieldMapping, User, OutboxJob]), ...(http ? [AuthModule] : [])],
      controllers: http ? [ConnectionsController, SourceOfTruthController] : [],
      providers: [
        ConnectionCredentialsService,
        DiscoveryService,
        MappingService,
        MappingRows,
        FieldSourceRules,
        SourceOfTruthService,
        OAuthStateService,
        ConnectionsService,
        ApiAllocationService,
        ...(processors ? [DiscoveryScheduler, ConnectionsProcessor] : []),
      ],
      exports: [ConnectionCredentialsService, ConnectionsService, DiscoveryService, MappingService, MappingRows, FieldSourceRules, SourceOfTruthService],
    };
  }
}
