import type { PipeTransform } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { validationFailed } from './validation.js';

export const MAX_PAGE_SIZE = 200;
/** Pages past this are refused (400) rather than turned into an offset Postgres cannot hold. */
export const MAX_PAGE = 1_000_000;

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 25 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  pageSize?: number;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';

  @ApiPropertyOptional({ description: 'Case-insensitive substring search' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;
}

/** `%` and `_` in user input are literals, not wildcards. */
export function likePattern(search: string): string {
  return `%${search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * `?name=<integer>` for a single @Query parameter, bounded (400 naming it outside [min, max]); absent = undefined.
 * Document it with `@ApiQuery({ name, required: false, type: 'integer', minimum: min, maximum: max })`.
 */
export class BoundedIntPipe implements PipeTransform<unknown, number | undefined> {
  constructor(
    private readonly name: string,
    private readonly min: number,
    private readonly max: number,
  ) {}

  transform(value: unknown): number | undefined {
    if (value === undefined || value === '') return undefined;
    // The global pipe may already have turned the text into a number (transform: true).
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < this.min || n > this.max) {
      throw validationFailed([{ field: this.name, messages: [`${this.name} must be an integer from ${this.min} to ${this.max}`] }]);
    }
    return n;
  }
}
