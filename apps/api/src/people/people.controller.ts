import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { BulkResult, Page, PersonDto } from '@conduit/contracts';
import type { Request } from 'express';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller } from '../auth/decorators.js';
import { UuidParam } from '../common/uuid-param.js';
import { validationFailed } from '../common/validation.js';
import { BulkPeopleDto, BulkResultResponse, CreatePersonDto, PeopleQueryDto, PersonPageResponse, PersonResponse, UpdatePersonDto } from './dto.js';
import { PeopleService } from './people.service.js';

export const MAX_CSV_BYTES = 10 * 1024 * 1024;

@ApiTags('people')
@ApiCookieAuth()
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
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_CSV_BYTES, files: 1 } }))
  @ApiConsumes('text/csv', 'multipart/form-data')
  @ApiBody({
    description: 'A CSV with a header row (email, first name, last name, name, company, job title, …; unknown columns become custom attributes), as a text/csv body or a multipart `file` field.',
    schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } },
  })
  @ApiOkResponse({ type: BulkResultResponse })
  importCsv(@CurrentCaller() caller: Caller, @Req() req: Request, @UploadedFile() file?: { buffer: Buffer }): Promise<BulkResult> {
    const text = file ? file.buffer.toString('utf8') : typeof req.body === 'string' ? req.body : null;
    if (text === null) throw validationFailed([{ field: 'file', messages: ['send the CSV as a text/csv body or as a multipart "file" field'] }]);
    return this.people.importCsv(caller, text);
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
