import { randomUUID } from 'node:crypto';
import type { PropertyValueError } from './properties.js';

export interface HubspotErrorDetail {
  message: string;
  code?: string;
  context?: Record<string, string[]>;
  in?: string;
  subCategory?: string;
}

export interface HubspotErrorBody {
  status: 'error';
  message: string;
  correlationId: string;
  category: string;
  subCategory?: string;
  errors?: HubspotErrorDetail[];
  context?: Record<string, string[]>;
  [extra: string]: unknown;
}

/** An error that becomes HubSpot's JSON error body with the given HTTP status. */
export class HubspotError extends Error {
  constructor(
    readonly statusCode: number,
    readonly category: string,
    message: string,
    readonly extra: Partial<HubspotErrorBody> = {},
  ) {
    super(message);
  }

  body(): HubspotErrorBody {
    return { status: 'error', message: this.message, correlationId: randomUUID(), category: this.category, ...this.extra };
  }
}

export const notFound = (message = 'Object not found.  objectId are usually numeric.'): HubspotError =>
  new HubspotError(404, 'OBJECT_NOT_FOUND', message);

export const badRequest = (message: string, extra: Partial<HubspotErrorBody> = {}): HubspotError =>
  new HubspotError(400, 'VALIDATION_ERROR', message, extra);

/**
 * HubSpot's answer when a body lacks a field its API description requires: the whole request fails with 400 before
 * any input is applied (its JSON binding builds each model and names the missing attributes).
 */
export const missingRequired = (model: string, fields: string[]): HubspotError =>
  badRequest(`Invalid input JSON on line 1: Cannot build ${model}, some of required attributes are not set [${fields.join(', ')}]`);

/** Check that `input` has each of `fields` (not undefined/null); throws missingRequired naming the absent ones. */
export function requireFields(input: Record<string, unknown>, fields: string[], model: string): void {
  const missing = fields.filter((f) => input[f] === undefined || input[f] === null);
  if (missing.length > 0) throw missingRequired(model, missing);
}

/** HubSpot's property validation error: the message embeds a JSON array, `errors` repeats it in structured form. */
export function propertyValidationError(errors: PropertyValueError[], portalId: number): HubspotError {
  const embedded = errors.map((e) => ({
    isValid: false,
    message: e.message,
    error: e.code,
    name: e.name,
    localizedErrorMessage: e.message,
    portalId,
  }));
  return new HubspotError(400, 'VALIDATION_ERROR', `Property values were not valid: ${JSON.stringify(embedded)}`, {
    errors: errors.map((e) => ({ message: e.message, code: e.code, context: { propertyName: [e.name] } })),
  });
}

export function conflict(existingId: string): HubspotError {
  return new HubspotError(409, 'CONFLICT', `Contact already exists. Existing ID: ${existingId}`);
}
