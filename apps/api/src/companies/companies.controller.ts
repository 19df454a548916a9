import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, UploadedFile } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { BulkResult, CompanyDto, Page } from '@conduit/contracts';
import type { Request } from 'express';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller } from '../auth/decorators.js';
import { BulkResultResponse } from '../common/bulk-result.dto.js';
import { CsvUpload, csvTextOf } from '../common/csv-upload.js';
import { UuidParam } from '../common/uuid-param.js';
import { CompaniesService } from './companies.service.js';
import { BulkCompaniesDto, CompaniesQueryDto, CompanyPageResponse, CompanyResponse, CreateCompanyDto, UpdateCompanyDto } from './dto.js';
import { ApiErrors } from '../common/api-errors.js';

@ApiTags('companies')
@ApiCookieAuth()
@ApiErrors()
@Controller('companies')
export class CompaniesController {
  constructor(private readonly companies: CompaniesService) {}

  @Get()
  @ApiOkResponse({ type: CompanyPageResponse })
  list(@CurrentCaller() caller: Caller, @Query() query: CompaniesQueryDto): Promise<Page<CompanyDto>> {
    return this.companies.list(caller, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: CompanyResponse })
  get(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<CompanyDto> {
    return this.companies.get(caller, id);
  }

  @Post()
  @ApiCreatedResponse({ type: CompanyResponse })
  create(@CurrentCaller() caller: Caller, @Body() body: CreateCompanyDto): Promise<CompanyDto> {
    return this.companies.create(caller, body);
  }

  @Post('bulk')
  @HttpCode(200)
  @ApiOkResponse({ type: BulkResultResponse })
  bulk(@CurrentCaller() caller: Caller, @Body() body: BulkCompaniesDto): Promise<BulkResult> {
    return this.companies.bulkCreate(caller, body.companies);
  }

  @Post('import-csv')
  @HttpCode(200)
  @CsvUpload('A CSV with a header row (name, domain, website, industry, employees, city, country; other columns are ignored), as a text/csv body or a multipart `file` field. At most 10 000 rows.')
  @ApiOkResponse({ type: BulkResultResponse })
  importCsv(@CurrentCaller() caller: Caller, @Req() req: Request, @UploadedFile() file?: { buffer: Buffer }): Promise<BulkResult> {
    return this.companies.importCsv(caller, csvTextOf(req, file));
  }

  @Patch(':id')
  @ApiOkResponse({ type: CompanyResponse })
  update(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Body() body: UpdateCompanyDto): Promise<CompanyDto> {
    return this.companies.update(caller, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<void> {
    return this.companies.remove(caller, id);
  }
}
