import { applyDecorators } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiProperty, ApiPropertyOptional, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { ApiErrorBody, FieldError } from '@conduit/contracts';

class FieldErrorSchema implements FieldError {
  @ApiProperty({ example: 'people.3.email' }) field: string;
  @ApiProperty({ type: [String], example: ['email must be an email'] }) messages: string[];
}

export class ApiErrorResponse implements ApiErrorBody {
  @ApiProperty({ example: 400 }) statusCode: number;
  @ApiProperty({ example: 'Bad Request' }) error: string;
  @ApiProperty({ example: 'Validation failed' }) message: string;
  @ApiPropertyOptional({ type: [FieldErrorSchema], description: 'Present on validation failures' }) errors?: FieldErrorSchema[];
}

/** Documents the error answers every authenticated controller can give, all in the ApiErrorBody shape. */
export function ApiErrors(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    ApiBadRequestResponse({ type: ApiErrorResponse, description: 'Validation failed (field errors in `errors`)' }),
    ApiUnauthorizedResponse({ type: ApiErrorResponse, description: 'No valid session cookie or API key' }),
    ApiForbiddenResponse({ type: ApiErrorResponse, description: 'Role not allowed' }),
    ApiNotFoundResponse({ type: ApiErrorResponse, description: 'Unknown id, or an id of another workspace' }),
  );
}
