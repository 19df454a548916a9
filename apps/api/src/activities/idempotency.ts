/** What an activity was first stored with under its idempotency key. */
export interface StoredActivity {
  type: string;
  person_id: string;
  performer_user_id: string | null;
  occurred_at: Date;
  details: Record<string, unknown>;
}

/** The parts of a new request compared with the stored one. */
export interface ActivityRequest {
  type: string;
  personId: string;
  performerUserId?: string | undefined;
  occurredAt: string;
  details: Record<string, unknown>;
}

/** JSON with object keys sorted (Postgres jsonb hands keys back in its own order). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The fields a repeated idempotency key changes, or none when it repeats the same activity (as Stripe does, a key
 * reused with other parameters is refused, never answered with the first result). A request without a performer
 * takes the person's assigned member, so only a performer it names is compared.
 */
export function idempotencyMismatch(stored: StoredActivity, request: ActivityRequest): string[] {
  const differs: string[] = [];
  if (stored.type !== request.type) differs.push('type');
  if (stored.person_id !== request.personId) differs.push('personId');
  if (request.performerUserId !== undefined && stored.performer_user_id !== request.performerUserId) differs.push('performerUserId');
  if (stored.occurred_at.getTime() !== new Date(request.occurredAt).getTime()) differs.push('occurredAt');
  for (const key of new Set([...Object.keys(stored.details), ...Object.keys(request.details)])) {
    if (canonical(stored.details[key] ?? null) !== canonical(request.details[key] ?? null)) differs.push(key);
  }
  return differs;
}

/** The message of a refused reuse, naming what differs. */
export function idempotencyConflictMessage(differs: readonly string[]): string {
  return `idempotencyKey was already used for another activity (different ${differs.join(', ')}): send a new key for a new activity, or the same payload to get the first result`;
}
