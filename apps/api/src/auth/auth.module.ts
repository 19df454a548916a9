import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TeamController } from '../users/team.controller.js';
import { TeamService } from '../users/team.service.js';
import { User } from '../users/user.entity.js';
import { Workspace } from '../workspaces/workspace.entity.js';
import { ApiKey } from './api-key.entity.js';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiKeysService } from './api-keys.service.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { LoginThrottleService } from './login-throttle.service.js';
import { Session } from './session.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([User, Workspace, Session, ApiKey])],
  controllers: [AuthController, TeamController, ApiKeysController],
  providers: [AuthService, LoginThrottleService, TeamService, ApiKeysService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService],
})
export class AuthModule {}
