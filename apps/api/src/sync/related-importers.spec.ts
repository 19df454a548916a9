import { describe, expect, it } from '@jest/globals';
import { RelatedImporters } from './related-importers.js';

describe('RelatedImporters', () => {
  it('hands a backfill the importer its feature registered', async () => {
    const importers = new RelatedImporters();
    const seen: unknown[] = [];
    importers.register('deal', {
      importFor: (workspaceId, connectionId, run) => {
        seen.push(run);
        return Promise.resolve({ count: workspaceId.length + connectionId.length, apiCalls: 2 });
      },
    });
    importers.register('list', { importFor: () => Promise.resolve({ count: 7, apiCalls: 0 }) });
    const run = { feature: 'backfill' as const, allocationOverrideUntil: new Date('2026-12-07T00:00:00Z') };
    await expect(importers.get('deal').importFor('ws', 'conn', run)).resolves.toEqual({ count: 6, apiCalls: 2 });
    await expect(importers.get('list').importFor('ws', 'conn', run)).resolves.toEqual({ count: 7, apiCalls: 0 });
    // The run's feature and "Resume now anyway" reach the importer, so its calls are counted and admitted as the run's.
    expect(seen).toEqual([run]);
  });

  it('names the object whose feature registered nothing', () => {
    expect(() => new RelatedImporters().get('list')).toThrow(/'list'/);
  });
});
