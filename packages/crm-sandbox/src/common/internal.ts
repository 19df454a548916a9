import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/**
 * Requests a server makes to itself (Salesforce composite subrequests, sent over loopback) carry this header with a
 * per-process random token. They are part of one API call: faults, the request log and API budgets skip them.
 * The token never leaves the process, so no client can forge it.
 */
export const INTERNAL_HEADER = 'x-sandbox-internal';
export const INTERNAL_TOKEN = randomUUID();

export function isInternal(request: FastifyRequest): boolean {
  return request.headers[INTERNAL_HEADER] === INTERNAL_TOKEN;
}
