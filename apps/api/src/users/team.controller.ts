import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { UserDto } from '@conduit/contracts';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller, Roles } from '../auth/decorators.js';
import { UuidParam } from '../common/uuid-param.js';
import { TeamService } from './team.service.js';
import { CreateUserDto, UpdateUserDto, UserResponse } from './user.dto.js';
import { ApiErrors } from '../common/api-errors.js';

@ApiTags('team')
@ApiCookieAuth()
@ApiErrors()
@Controller('team')
export class TeamController {
  constructor(private readonly team: TeamService) {}

  @Get()
  @ApiOkResponse({ type: [UserResponse] })
  list(@CurrentCaller() caller: Caller): Promise<UserDto[]> {
    return this.team.list(caller);
  }

  @Post()
  @Roles('admin')
  @ApiOkResponse({ type: UserResponse })
  create(@CurrentCaller() caller: Caller, @Body() body: CreateUserDto): Promise<UserDto> {
    return this.team.create(caller, body);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOkResponse({ type: UserResponse })
  update(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Body() body: UpdateUserDto): Promise<UserDto> {
    return this.team.update(caller, id, body);
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<void> {
    return this.team.remove(caller, id);
  }
}
