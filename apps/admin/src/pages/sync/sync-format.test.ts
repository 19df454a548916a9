import { describe, expect, it } from 'vitest';
import type { SyncRunDto } from '../../api/sync';
import { describeSlowdown, formatEta, objectLabel, RULE_LABELS, recordsSynced, syncedPerHour } from './sync-format';

const run = (over: Partial<SyncRunDto>): SyncRunDto => ({
  id: 'r',
  connectionId: 'c',
  crm: 'hubspot',
  kind: 'backfill',
  status: 'done',
  objects: ['contact'],
  startedAt: '2026-01-01T10:00:00.000Z',
  finishedAt: '2026-01-01T10:05:00.000Z',
  counts: { created: 3, updated: 2, unchanged: 5, failed: 1, archived: 1 },
  apiCalls: 4,
  slowdown: { throttledCalls: 0, retriedCalls: 0, retryWaitMs: 0, rateWaitMs: 0 },
  pausedReason: null,
  pausedAt: null,
  resumesAt: null,
  person: null,
  related: {},
  forecast: null,
  mappingPreview: false,
  progress: { done: 12, total: null, recordsPerSecond: null, etaSeconds: null },
  sample: null,
  error: null,
  createdAt: '2026-01-01T10:00:00.000Z',
  ...over,
});

describe('sync formatting', () => {
  it('reads an unknown ETA as "unknown" and splits known ones', () => {
    expect(formatEta(null)).toBe('unknown');
    expect(formatEta(12.4)).toBe('12 s');
    expect(formatEta(185)).toBe('3 min 5 s');
    expect(formatEta(3720)).toBe('1 h 2 min');
  });

  it('counts created, updated and archived records as synced', () => {
    expect(recordsSynced(run({}))).toBe(6);
  });

  it('sums finished runs per hour, leaving out dry runs and open runs', () => {
    const points = syncedPerHour([
      run({ finishedAt: '2026-01-01T10:05:00.000Z' }),
      run({ finishedAt: '2026-01-01T10:55:00.000Z' }),
      run({ finishedAt: '2026-01-01T09:10:00.000Z' }),
      run({ kind: 'dry_run', finishedAt: '2026-01-01T10:10:00.000Z' }),
      run({ status: 'running', finishedAt: null }),
    ]);
    expect(points).toHaveLength(2);
    expect(points[0]).toMatchObject({ created: 3, updated: 3 });
    expect(points[1]).toMatchObject({ created: 6, updated: 6 });
  });
});

describe('objectLabel', () => {
  it('names objects as each CRM does', () => {
    expect(objectLabel('salesforce', 'deal')).toBe('Opportunities');
    expect(objectLabel('salesforce', 'owner')).toBe('Users');
    expect(objectLabel('salesforce', 'list')).toBe('Campaigns');
    expect(objectLabel('hubspot', 'deal')).toBe('Deals');
    expect(objectLabel('salesforce', 'lead')).toBe('Leads');
  });
});

describe('run slowdown in words', () => {
  const none = { throttledCalls: 0, retriedCalls: 0, retryWaitMs: 0, rateWaitMs: 0 };
  it('says how long 429s and retries slowed the run and how many calls', () => {
    expect(describeSlowdown({ throttledCalls: 12, retriedCalls: 12, retryWaitMs: 37_400, rateWaitMs: 0 }, 'hubspot')).toEqual({
      slowed: true,
      headline: 'Slowed by 37 s: 12 throttled calls (429) retried',
      pacing: null,
    });
    expect(describeSlowdown({ throttledCalls: 3, retriedCalls: 3, retryWaitMs: 125_000, rateWaitMs: 0 }, 'salesforce').headline).toBe('Slowed by 2 min 5 s: 3 throttled calls (429) retried');
    expect(describeSlowdown({ throttledCalls: 1, retriedCalls: 3, retryWaitMs: 400, rateWaitMs: 0 }, 'salesforce').headline).toBe(
      'Slowed by under a second: 1 throttled call (429) retried, 2 calls retried after a Salesforce error (5xx, timeout)',
    );
    // The last attempt's 429 is not retried.
    expect(describeSlowdown({ throttledCalls: 4, retriedCalls: 3, retryWaitMs: 9_000, rateWaitMs: 0 }, 'hubspot').headline).toBe('Slowed by 9 s: 4 throttled calls (429), 3 retried');
  });

  it('says when nothing slowed the run, and when calls were paced under the rate limit', () => {
    expect(describeSlowdown(none, 'hubspot')).toEqual({ slowed: false, headline: 'Not slowed by HubSpot: no throttled calls (429) and no retries.', pacing: null });
    expect(describeSlowdown({ ...none, rateWaitMs: 65_000 }, 'hubspot').pacing).toBe("Calls waited 1 min 5 s in all for HubSpot's rate limit (Conduit paces them so HubSpot does not throttle).");
    expect(describeSlowdown({ ...none, rateWaitMs: 999 }, 'hubspot').pacing).toBeNull();
  });
});

describe('provenance rules in words', () => {
  it('names every rule the import records, the source-of-truth ones too (#21: "fill_blank" showed as such)', () => {
    const recorded = ['crm_wins', 'conduit_wins_fill_empty', 'crm_association', 'email_domain', 'conduit_edit', 'conduit_create', 'lead_converted', 'source_of_truth', 'latest_change', 'fill_blank', 'name_from_domain'];
    for (const rule of recorded) expect(RULE_LABELS[rule], rule).toMatch(/^[A-Z][^_]*$/);
    expect(RULE_LABELS['fill_blank']).toBe('Filled an empty value');
  });
});
