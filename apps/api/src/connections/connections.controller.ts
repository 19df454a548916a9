import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Req, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiExcludeEndpoint, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { ApiAllocationDto, AuthorizeConnectionResponse, ConnectionDto, ConnectionMappingDto, CrmKind, MappingObjectDto } from '@conduit/contracts';
import type { Request, Response } from 'express';
import { AuthService } from '../auth/auth.service.js';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller, Public, Roles, SessionOnly } from '../auth/decorators.js';
import { ApiErrors } from '../common/api-errors.js';
import { UuidParam } from '../common/uuid-param.js';
import { ApiAllocationService } from './api-allocation.service.js';
import { type CallbackQuery, ConnectionsService } from './connections.service.js';
import { UpdateApiAllocationDto } from './dto/api-allocation.dto.js';
import { UpdateMappingDto } from './dto/mapping.dto.js';
import { CrmParam, MappingObjectParam } from './dto/params.js';
import { MappingService } from './mapping.service.js';

/** Settings → Integrations. Members can read; only admins connect, configure or disconnect. */
@ApiTags('connections')
@ApiCookieAuth()
@ApiErrors()
@Controller('connections')
export class ConnectionsController {
  constructor(
    private readonly connections: ConnectionsService,
    private readonly mapping: MappingService,
    private readonly auth: AuthService,
    private readonly allocation: ApiAllocationService,
  ) {}

  @Get(':id/api-allocation')
  @ApiOkResponse({ description: "The connection's allocation of the CRM's API budget (#17): daily share, 10-second window share, live reserve, account daily limit." })
  getAllocation(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<ApiAllocationDto> {
    return this.allocation.get(caller.workspaceId, id);
  }

  @Put(':id/api-allocation')
  @Roles('admin')
  @ApiOkResponse({ description: 'Changes any part of the allocation (a bad value → 400 naming the field); every worker applies it within a few seconds.' })
  updateAllocation(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Body() body: UpdateApiAllocationDto): Promise<ApiAllocationDto> {
    return this.allocation.update(caller.workspaceId, id, body);
  }

  @Get()
  @ApiOkResponse({ description: 'One entry per CRM (state not_connected when there is no connection). Never contains tokens.' })
  list(@CurrentCaller() caller: Caller): Promise<ConnectionDto[]> {
    return this.connections.list(caller);
  }

  @Get(':crm')
  get(@CurrentCaller() caller: Caller, @Param('crm', CrmParam) crm: CrmKind): Promise<ConnectionDto> {
    return this.connections.get(caller, crm);
  }

  @Post(':crm/authorize')
  @HttpCode(200)
  @Roles('admin')
  @SessionOnly()
  @ApiOkResponse({ description: 'The CRM consent URL (with a single-use state bound to this session, valid 10 minutes).' })
  authorize(@CurrentCaller() caller: Caller, @Param('crm', CrmParam) crm: CrmKind): Promise<AuthorizeConnectionResponse> {
    return this.connections.authorize(caller as Caller & { kind: 'user' }, crm);
  }

  /**
   * Public: the browser arrives from the CRM; the state and the session cookie prove who started it. The query
   * is read loosely (CRMs add parameters of their own) and every outcome is a redirect to the Integrations page.
   */
  @Get(':crm/callback')
  @Public()
  @ApiExcludeEndpoint()
  async callback(@Req() req: Request, @Res() res: Response, @Param('crm', CrmParam) crm: CrmKind): Promise<void> {
    const caller = await this.auth.authenticate(req);
    const text = (name: string) => (typeof req.query[name] === 'string' ? req.query[name].slice(0, 4000) : undefined);
    const query: CallbackQuery = {};
    for (const key of ['code', 'state', 'error'] as const) {
      const value = text(key);
      if (value !== undefined) query[key] = value;
    }
    res.redirect(302, await this.connections.callback(caller, crm, query));
  }

  @Post(':crm/discover')
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({ description: 'Re-reads the CRM fields now and returns the connection with its drift summary.' })
  discover(@CurrentCaller() caller: Caller, @Param('crm', CrmParam) crm: CrmKind): Promise<ConnectionDto> {
    return this.connections.discover(caller, crm);
  }

  @Delete(':crm')
  @HttpCode(204)
  @Roles('admin')
  @ApiNoContentResponse({ description: 'Revoked at the CRM where supported; tokens, mapping, cached fields and sync settings deleted.' })
  disconnect(@CurrentCaller() caller: Caller, @Param('crm', CrmParam) crm: CrmKind): Promise<void> {
    return this.connections.disconnect(caller, crm);
  }

  @Get(':crm/mappings/:object')
  async getMapping(@CurrentCaller() caller: Caller, @Param('crm', CrmParam) crm: CrmKind, @Param('object', MappingObjectParam) object: MappingObjectDto): Promise<ConnectionMappingDto> {
    return this.mapping.get(await this.connections.require(caller, crm), object);
  }

  @Put(':crm/mappings/:object')
  @Roles('admin')
  @ApiOkResponse({ description: 'Saved. Unknown or read-only CRM fields answer 400 naming the row; type mismatches are saved and listed in `issues`.' })
  async putMapping(
    @CurrentCaller() caller: Caller,
    @Param('crm', CrmParam) crm: CrmKind,
    @Param('object', MappingObjectParam) object: MappingObjectDto,
    @Body() body: UpdateMappingDto,
  ): Promise<ConnectionMappingDto> {
    return this.mapping.replace(await this.connections.require(caller, crm), object, body.rows);
  }

  @Post(':crm/mappings/:object/reset')
  @HttpCode(200)
  @Roles('admin')
  async resetMapping(@CurrentCaller() caller: Caller, @Param('crm', CrmParam) crm: CrmKind, @Param('object', MappingObjectParam) object: MappingObjectDto): Promise<ConnectionMappingDto> {
    return this.mapping.reset(await this.connections.require(caller, crm), object);
  }
}
