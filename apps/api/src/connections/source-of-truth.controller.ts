import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { MappingObjectDto, SourceOfTruthDto } from '@conduit/contracts';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller, Roles } from '../auth/decorators.js';
import { ApiErrors } from '../common/api-errors.js';
import { UpdateSourceOfTruthDto } from './dto/mapping.dto.js';
import { MappingObjectParam } from './dto/params.js';
import { SourceOfTruthService } from './source-of-truth.service.js';

@ApiTags('connections')
@ApiCookieAuth()
@ApiErrors()
@Controller('mapping')
export class SourceOfTruthController {
  constructor(private readonly sourceOfTruth: SourceOfTruthService) {}

  /** Per Conduit field of people (`contacts`) or companies: which CRM is its source of truth when several are connected. */
  @Get('source-of-truth/:object')
  get(@CurrentCaller() caller: Caller, @Param('object', MappingObjectParam) object: MappingObjectDto): Promise<SourceOfTruthDto> {
    return this.sourceOfTruth.get(caller.workspaceId, object);
  }

  @Put('source-of-truth/:object')
  @Roles('admin')
  @ApiOkResponse({ description: 'Saved; records already imported are re-evaluated in the background (a remap per connection). 400 names rules.N.conduitField or rules.N.source.' })
  update(@CurrentCaller() caller: Caller, @Param('object', MappingObjectParam) object: MappingObjectDto, @Body() body: UpdateSourceOfTruthDto): Promise<SourceOfTruthDto> {
    return this.sourceOfTruth.update(caller.workspaceId, object, body);
  }
}
