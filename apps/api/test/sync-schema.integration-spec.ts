import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source.js';
import { createTestEnvironment } from './support/test-app.js';

describe('sync schema', () => {
  let ds: DataSource;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const env = await createTestEnvironment();
    cleanup = env.cleanup;
    ds = await new DataSource(dataSourceOptions(env.config.databaseUrl)).initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await cleanup?.();
  });
  it('has the sync migration in sync with the sync entities', async () => {
    const log = await ds.driver.createSchemaBuilder().log();
    expect(log.upQueries.map((q) => q.query)).toEqual([]);
  });
});
