import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccessTokenRecord } from '../common/tokens.js';
import type { SfError } from './values.js';

export interface RequestAuth {
  token: AccessTokenRecord;
  userId: string;
}

const auth = new WeakMap<FastifyRequest, RequestAuth>();

export function setAuth(request: FastifyRequest, value: RequestAuth): void {
  auth.set(request, value);
}

export function getAuth(request: FastifyRequest): RequestAuth {
  const value = auth.get(request);
  if (value === undefined) throw new Error('request is not authenticated');
  return value;
}

/** REST error bodies are arrays of {message, errorCode, fields?}. */
export function restErrors(errors: SfError[]): Record<string, unknown>[] {
  return errors.map((e) => ({
    ...(e.duplicateResult !== undefined ? { duplicateResult: e.duplicateResult } : {}),
    message: e.message,
    errorCode: e.statusCode,
    ...(e.fields.length > 0 ? { fields: e.fields } : {}),
  }));
}

export function sendError(reply: FastifyReply, status: number, errorCode: string, message: string, fields?: string[]): FastifyReply {
  return reply.code(status).type('application/json').send([{ message, errorCode, ...(fields && fields.length > 0 ? { fields } : {}) }]);
}

/** Composite results keep Salesforce's per-record shape: statusCode, not errorCode. */
export function compositeErrors(errors: SfError[]): Record<string, unknown>[] {
  return errors.map((e) => ({
    statusCode: e.statusCode,
    message: e.message,
    fields: e.fields,
    ...(e.duplicateResult !== undefined ? { duplicateResult: e.duplicateResult } : {}),
  }));
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function queryParam(request: FastifyRequest, name: string): string | undefined {
  const q = request.query;
  if (!isObject(q)) return undefined;
  const v = q[name];
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : undefined;
  return typeof v === 'string' ? v : undefined;
}

export function headerValue(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** The origin clients reach us at: configured publicUrl, else the Host header. */
export function originOf(request: FastifyRequest, publicUrl: string | undefined): string {
  if (publicUrl !== undefined && publicUrl !== '') return publicUrl.replace(/\/$/, '');
  const host = headerValue(request, 'host') ?? '127.0.0.1';
  return `${request.protocol}://${host}`;
}
