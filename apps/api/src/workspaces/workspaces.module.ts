import { Module } from '@nestjs/common';
import { OperatorController, OperatorGuard } from './operator.controller.js';
import { WorkspacesService } from './workspaces.service.js';

/** Workspaces as the instance's operators see them (creating one with its first admin). */
@Module({
  controllers: [OperatorController],
  providers: [WorkspacesService, OperatorGuard],
})
export class WorkspacesModule {}
