import { describe, expect, it } from '@jest/globals';
import { idempotencyConflictMessage, idempotencyMismatch, type StoredActivity } from './idempotency.js';

const stored: StoredActivity = { type: 'email_sent', person_id: 'p1', performer_user_id: 'u1', occurred_at: new Date('2026-12-01T10:00:00Z'), details: { subject: 'Hi', meta: { a: 1, b: 2 } } };
const same = { type: 'email_sent', personId: 'p1', occurredAt: '2026-12-01T11:00:00+01:00', details: { meta: { b: 2, a: 1 }, subject: 'Hi' } };

describe('idempotency key reuse', () => {
  it('the same activity again is no mismatch (key order, time zone and an omitted performer do not matter)', () => {
    expect(idempotencyMismatch(stored, same)).toEqual([]);
    expect(idempotencyMismatch(stored, { ...same, performerUserId: 'u1' })).toEqual([]);
  });

  it('names every field that differs', () => {
    expect(idempotencyMismatch(stored, { ...same, type: 'call', details: { subject: 'Hello', meta: { a: 1, b: 2 } } })).toEqual(['type', 'subject']);
    expect(idempotencyMismatch(stored, { ...same, personId: 'p2', performerUserId: 'u2', occurredAt: '2026-12-01T10:00:01Z' })).toEqual(['personId', 'performerUserId', 'occurredAt']);
    expect(idempotencyMismatch(stored, { ...same, details: { subject: 'Hi', meta: { a: 1, b: 2 }, body: 'new' } })).toEqual(['body']);
    expect(idempotencyConflictMessage(['type', 'subject'])).toMatch(/^idempotencyKey was already used for another activity \(different type, subject\)/);
  });
});
