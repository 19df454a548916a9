import { Body, type CanActivate, Controller, type ExecutionContext, HttpCode, Injectable, Post, UnauthorizedException, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../auth/decorators.js';
import { checkOperator } from '../auth/operator.js';
import { ApiErrorResponse } from '../common/api-errors.js';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { type CreatedWorkspace, WorkspacesService } from './workspaces.service.js';
import { CreatedWorkspaceResponse, CreateWorkspaceDto } from './dto.js';

/** The instance operators' token (OPERATOR_TOKEN); sessions and API keys of workspaces never pass. */
@Injectable()
export class OperatorGuard implements CanActivate {
  constructor(@InjectConfig() private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const check = checkOperator(this.config, context.switchToHttp().getRequest<Request>().headers.authorization);
    switch (check) {
      case 'operator':
        return true;
      case 'disabled':
        throw new UnauthorizedException('The operator API is closed: no OPERATOR_TOKEN is configured on this instance');
      case 'missing':
      case 'wrong':
        throw new UnauthorizedException('Operator token required');
    }
  }
}

/** For the platform embedding Conduit: what `node dist/cli/create-workspace.js` does, over HTTP. */
@ApiTags('operator')
@ApiBearerAuth()
@Public()
@UseGuards(OperatorGuard)
@Controller('operator')
export class OperatorController {
  constructor(private readonly workspaces: WorkspacesService) {}

  @Post('workspaces')
  @HttpCode(201)
  @ApiCreatedResponse({ type: CreatedWorkspaceResponse, description: 'The workspace and its first admin, who can sign in at once' })
  @ApiUnauthorizedResponse({ type: ApiErrorResponse, description: 'No or wrong operator token (Authorization: Bearer <OPERATOR_TOKEN>), or none configured' })
  @ApiConflictResponse({ type: ApiErrorResponse, description: 'adminEmail already has an account on this instance' })
  create(@Body() body: CreateWorkspaceDto): Promise<CreatedWorkspace> {
    return this.workspaces.create(body);
  }
}
