import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, UploadedFile } from '@nestjs/common';
import { ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import type { ErasureAuditDto, ErasureResultDto } from '@conduit/contracts';
import { IsIn, IsOptional } from 'class-validator';
import type { Request } from 'express';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller, Roles } from '../auth/decorators.js';
import { ApiErrors } from '../common/api-errors.js';
import { CsvUpload, csvTextOf } from '../common/csv-upload.js';
import { UuidParam } from '../common/uuid-param.js';
import { EraseEmailsDto, ErasePersonDto } from './dto.js';
import { ErasureService } from './erasure.service.js';

class EraseCsvQuery {
  @IsOptional() @IsIn(['true', 'false'])
  deleteInHubspot?: 'true' | 'false';
}

/**
 * Erasure (#18), admins only: a person, a list of addresses or a CSV of them. Irreversible: the people's data is
 * deleted and only salted hashes stay, so they are never imported or added again.
 */
@ApiTags('erasure')
@ApiCookieAuth()
@ApiErrors()
@Roles('admin')
@Controller()
export class ErasureController {
  constructor(private readonly erasure: ErasureService) {}

  @Post('people/:id/erasure')
  @HttpCode(200)
  erasePerson(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Body() body: ErasePersonDto): Promise<ErasureResultDto> {
    return this.erasure.erasePerson(caller, id, body.deleteInHubspot ?? false);
  }

  @Post('erasure')
  @HttpCode(200)
  eraseEmails(@CurrentCaller() caller: Caller, @Body() body: EraseEmailsDto): Promise<ErasureResultDto> {
    return this.erasure.eraseEmails(caller, body.emails, body.deleteInHubspot ?? false);
  }

  @Post('erasure/import-csv')
  @HttpCode(200)
  @CsvUpload('A CSV with an email column (header row first; `Email`, `E-mail Address`, `Work Email` …), as a text/csv body or a multipart `file` field. At most 10 000 rows; a row without a valid address erases nothing.')
  eraseCsv(@CurrentCaller() caller: Caller, @Query() query: EraseCsvQuery, @Req() req: Request, @UploadedFile() file?: { buffer: Buffer }): Promise<ErasureResultDto> {
    return this.erasure.eraseCsv(caller, csvTextOf(req, file), query.deleteInHubspot === 'true');
  }

  /** Who erased how many people, when, and how the HubSpot deletion went (never whom). */
  @Get('erasure/audit')
  audit(@CurrentCaller() caller: Caller): Promise<ErasureAuditDto[]> {
    return this.erasure.audit(caller);
  }
}
