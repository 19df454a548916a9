import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { ApiKeyDto, CreatedApiKeyDto } from '@conduit/contracts';
import { UuidParam } from '../common/uuid-param.js';
import { ApiKeysService } from './api-keys.service.js';
import type { Caller } from './caller.js';
import { CurrentCaller, Roles } from './decorators.js';
import { CreateApiKeyDto } from './dto.js';
import { ApiErrors } from '../common/api-errors.js';

class ApiKeyResponse implements ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'cdk_AbCdEfGhIjKl' }) prefix: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) lastUsedAt: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) revokedAt: string | null;
}

class CreatedApiKeyResponse extends ApiKeyResponse implements CreatedApiKeyDto {
  @ApiProperty({ description: 'Shown once; send as `Authorization: Bearer <key>`.' }) key: string;
}

@ApiTags('api-keys')
@ApiCookieAuth()
@Roles('admin')
@ApiErrors()
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @ApiCreatedResponse({ type: CreatedApiKeyResponse })
  create(@CurrentCaller() caller: Caller, @Body() body: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    return this.keys.create(caller, body.name);
  }

  @Get()
  @ApiOkResponse({ type: [ApiKeyResponse] })
  list(@CurrentCaller() caller: Caller): Promise<ApiKeyDto[]> {
    return this.keys.list(caller);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked; requests with the key now answer 401.' })
  revoke(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<void> {
    return this.keys.revoke(caller, id);
  }
}
