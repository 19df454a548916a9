import { type ArgumentMetadata, BadRequestException, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import type { ApiErrorBody, FieldError } from '@conduit/contracts';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import type { ValidationError } from 'class-validator';
import { unstorableFields } from './storable-input.js';

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

const BULK_ROWS = 'conduit:bulkRows';
const SWAGGER_PROPERTY = 'swagger/apiModelProperties';

/**
 * Marks an array property whose rows are validated one by one by the service (validateRow), so that one bad row
 * is reported by its index and the good rows are stored: the global checks leave the rows to it.
 */
export function BulkRows(): PropertyDecorator {
  return (target, key) => {
    const keys = (Reflect.getOwnMetadata(BULK_ROWS, target) as string[] | undefined) ?? [...((Reflect.getMetadata(BULK_ROWS, target) as string[] | undefined) ?? [])];
    Reflect.defineMetadata(BULK_ROWS, [...keys, String(key)], target);
  };
}

function bulkRowKeys(metatype: ArgumentMetadata['metatype']): ReadonlySet<string> {
  const proto = (metatype as { prototype?: object } | undefined)?.prototype;
  return new Set(proto ? ((Reflect.getMetadata(BULK_ROWS, proto) as string[] | undefined) ?? []) : []);
}

/**
 * Nulls in a validated DTO (and the DTOs nested in it) that its OpenAPI document does not allow: optional means
 * "may be absent", and null is accepted only where a property is documented `nullable` (e.g. PATCH clearing a
 * value). class-validator's @IsOptional (and PartialType, which adds it) would let null through to the service.
 */
export function disallowedNulls(value: unknown, path = ''): FieldError[] {
  const out: FieldError[] = [];
  const walk = (v: unknown, at: string): void => {
    if (typeof v !== 'object' || v === null) return;
    if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, at ? `${at}.${i}` : String(i)));
      return;
    }
    const proto = Object.getPrototypeOf(v) as object | null;
    // Free-form JSON (custom attributes, CRM payloads) is a plain object: nulls in it are data.
    if (proto === null || proto === Object.prototype) return;
    for (const [key, item] of Object.entries(v)) {
      const field = at ? `${at}.${key}` : key;
      if (item === null) {
        const documented = Reflect.getMetadata(SWAGGER_PROPERTY, proto, key) as { nullable?: boolean } | undefined;
        if (!documented?.nullable) out.push({ field, messages: [`${field} must not be null (leave it out instead)`] });
      } else {
        walk(item, field);
      }
    }
  };
  walk(value, path);
  return out;
}

/**
 * Documents properties of a PATCH body that null clears (OpenAPI `nullable: true`), which is also what lets null
 * through the global pipe: `documentNullable(UpdatePersonDto, ['jobTitle', …])` after the class.
 */
export function documentNullable<T extends object>(cls: abstract new (...args: never[]) => T, keys: readonly (keyof T & string)[]): void {
  for (const key of keys) ApiPropertyOptional({ nullable: true })(cls.prototype as object, key);
}

/**
 * The global pipe: before class-validator, every string and key of a body, query or path parameter must be
 * storable by Postgres (storable-input.ts); after it, no null may stand where the document does not allow one.
 * One mechanism for every route, so a new DTO cannot forget either check.
 */
export class InputValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'custom') return super.transform(value, metadata);
    const path = metadata.data ?? '';
    const rows = bulkRowKeys(metadata.metatype);
    const unstorable = unstorableFields(value, path, (at) => rows.has(at));
    if (unstorable.length > 0) throw validationFailed(unstorable);
    let result: unknown;
    try {
      result = await super.transform(value, metadata);
    } catch (err) {
      // A body that fails class-validator names its undocumented nulls too (optional fields skip their rules on null).
      const nulls = isDto(metadata.metatype) && typeof value === 'object' && value !== null ? disallowedNulls(plainToInstance(metadata.metatype, value), path) : [];
      const body = err instanceof BadRequestException ? (err.getResponse() as Partial<ApiErrorBody>) : undefined;
      if (!body?.errors || nulls.length === 0) throw err;
      const named = new Set(body.errors.map((e) => e.field));
      throw validationFailed([...body.errors, ...nulls.filter((n) => !named.has(n.field))]);
    }
    const nulls = disallowedNulls(result, path);
    if (nulls.length > 0) throw validationFailed(nulls);
    return result;
  }
}

function isDto(metatype: ArgumentMetadata['metatype']): metatype is new (...args: unknown[]) => object {
  return typeof metatype === 'function' && ![String, Number, Boolean, Array, Object].includes(metatype as never);
}

export function createValidationPipe(): ValidationPipe {
  return new InputValidationPipe({
    ...VALIDATION_OPTIONS,
    exceptionFactory: (errors) => validationFailed(flattenValidationErrors(errors)),
  });
}
