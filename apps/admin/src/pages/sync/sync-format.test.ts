import { describe, expect, it } from 'vitest';
import type { SyncRunDto } from '../../api/sync';
import { formatEta, objectLabel, recordsSynced, syncedPerHour } from './sync-format';

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
  pausedReason: null,
  pausedAt: null,
  resumesAt: null,
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
