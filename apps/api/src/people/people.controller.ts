import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, UploadedFile } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { BulkResult, Page, PersonDto } from '@conduit/contracts';
import type { Request } from 'express';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller } from '../auth/decorators.js';
import { BulkResultResponse } from '../common/bulk-result.dto.js';
import { CsvUpload, csvTextOf } from '../common/csv-upload.js';
import { UuidParam } from '../common/uuid-param.js';
import { BulkPeopleDto, CreatePersonDto, PeopleQueryDto, PersonPageResponse, PersonResponse, UpdatePersonDto } from './dto.js';
import { PeopleService } from './people.service.js';
import { ApiErrors } from '../common/api-errors.js';

@ApiTags('people')
@ApiCookieAuth()
@ApiErrors()
@Controller('people')
export class PeopleController {
  constructor(private readonly people: PeopleService) {}

  @Get()
  @ApiOkResponse({ type: PersonPageResponse })
  list(@CurrentCaller() caller: Caller, @Query() query: PeopleQueryDto): Promise<Page<PersonDto>> {
    return this.people.list(caller, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: PersonResponse })
  get(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<PersonDto> {
    return this.people.get(caller, id);
  }

  @Post()
  @ApiCreatedResponse({ type: PersonResponse })
  create(@CurrentCaller() caller: Caller, @Body() body: CreatePersonDto): Promise<PersonDto> {
    return this.people.create(caller, body);
  }

  @Post('bulk')
  @HttpCode(200)
  @ApiOkResponse({ type: BulkResultResponse, description: 'Valid rows are created; invalid rows are reported by index.' })
  bulk(@CurrentCaller() caller: Caller, @Body() body: BulkPeopleDto): Promise<BulkResult> {
    return this.people.bulkCreate(caller, body.people);
  }

  @Post('import-csv')
  @HttpCode(200)
  @CsvUpload('A CSV with a header row (email, first name, last name, name, company, job title, …; unknown columns become custom attributes), as a text/csv body or a multipart `file` field. At most 10 000 rows.')
  @ApiOkResponse({ type: BulkResultResponse })
  importCsv(@CurrentCaller() caller: Caller, @Req() req: Request, @UploadedFile() file?: { buffer: Buffer }): Promise<BulkResult> {
    return this.people.importCsv(caller, csvTextOf(req, file));
  }

  @Patch(':id')
  @ApiOkResponse({ type: PersonResponse })
  update(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Body() body: UpdatePersonDto): Promise<PersonDto> {
    return this.people.update(caller, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<void> {
    return this.people.remove(caller, id);
  }
}
