import { BadRequestException, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import type { ApiErrorBody, FieldError } from '@conduit/contracts';
import type { ValidationError } from 'class-validator';

/** Flattens class-validator's tree into dotted paths: `people.3.email`. Unknown fields appear under their own name. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints && Object.keys(error.constraints).length > 0) {
      out.push({ field, messages: Object.values(error.constraints) });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

export function validationFailed(errors: FieldError[]): BadRequestException {
  const body: ApiErrorBody = { statusCode: 400, error: 'Bad Request', message: 'Validation failed', errors };
  return new BadRequestException(body);
}

export const VALIDATION_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  transform: true,
  validationError: { target: false, value: false },
} satisfies ValidationPipeOptions;

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...VALIDATION_OPTIONS,
    exceptionFactory: (errors) => validationFailed(flattenValidationErrors(errors)),
  });
}
