import { describe, expect, it } from '@jest/globals';
import { RelatedImporters } from './related-importers.js';

describe('RelatedImporters', () => {
  it('hands a backfill the importer its feature registered', async () => {
    const importers = new RelatedImporters();
    importers.register('deal', { importFor: (workspaceId, connectionId) => Promise.resolve({ count: workspaceId.length + connectionId.length, apiCalls: 2 }) });
    importers.register('list', { importFor: () => Promise.resolve({ count: 7, apiCalls: 0 }) });
    await expect(importers.get('deal').importFor('ws', 'conn')).resolves.toEqual({ count: 6, apiCalls: 2 });
    await expect(importers.get('list').importFor('ws', 'conn')).resolves.toEqual({ count: 7, apiCalls: 0 });
  });

  it('names the object whose feature registered nothing', () => {
    expect(() => new RelatedImporters().get('list')).toThrow(/'list'/);
  });
});
