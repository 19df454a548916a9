import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import type { Request } from 'express';
import { CsvFormatError } from './csv.js';
import { validationFailed } from './validation.js';

export const MAX_CSV_BYTES = 10 * 1024 * 1024;
export const MAX_CSV_ROWS = 10_000;

/** Accepts a CSV as a text/csv body or as a multipart `file` field, and documents both. */
export function CsvUpload(description: string): MethodDecorator {
  return applyDecorators(
    UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_CSV_BYTES, files: 1 } })),
    ApiConsumes('text/csv', 'multipart/form-data'),
    ApiBody({ description, schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } }),
  );
}

/** The CSV text of a request made for a @CsvUpload route. */
export function csvTextOf(req: Request, file: { buffer: Buffer } | undefined): string {
  if (file) return file.buffer.toString('utf8');
  if (typeof req.body === 'string') return req.body;
  throw validationFailed([{ field: 'file', messages: ['send the CSV as a text/csv body or as a multipart "file" field'] }]);
}

/** Parses with `parse`, turning format problems, empty files and oversized files into 400 `file` errors. */
export function csvRows(parse: (text: string) => Record<string, unknown>[], text: string): Record<string, unknown>[] {
  let rows: Record<string, unknown>[];
  try {
    rows = parse(text);
  } catch (err) {
    if (err instanceof CsvFormatError) throw validationFailed([{ field: 'file', messages: [err.message] }]);
    throw err;
  }
  if (rows.length === 0) throw validationFailed([{ field: 'file', messages: ['the CSV has a header row but no data rows'] }]);
  if (rows.length > MAX_CSV_ROWS) throw validationFailed([{ field: 'file', messages: [`at most ${MAX_CSV_ROWS} rows per import`] }]);
  return rows;
}
