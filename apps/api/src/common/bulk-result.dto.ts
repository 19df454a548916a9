import { ApiProperty } from '@nestjs/swagger';
import type { BulkResult, FieldError } from '@conduit/contracts';

class FieldErrorResponse implements FieldError {
  @ApiProperty({ example: 'email' }) field: string;
  @ApiProperty({ type: [String] }) messages: string[];
}

class RowErrorResponse {
  @ApiProperty({ description: '0-based index of the row in the request (or data row of the CSV)' }) index: number;
  @ApiProperty({ type: [FieldErrorResponse] }) errors: FieldErrorResponse[];
}

export class BulkResultResponse implements BulkResult {
  @ApiProperty() created: number;
  @ApiProperty() failed: number;
  @ApiProperty({ type: [RowErrorResponse] }) errors: RowErrorResponse[];
}

