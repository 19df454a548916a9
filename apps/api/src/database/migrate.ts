import { createDataSource } from './data-source.js';
import { ensureDatabase } from './create-database.js';

/** Creates the database when missing and runs pending migrations; returns the names of those it ran. */
export async function migrate(databaseUrl: string): Promise<{ created: boolean; ran: string[] }> {
  const created = await ensureDatabase(databaseUrl);
  const dataSource = createDataSource(databaseUrl);
  await dataSource.initialize();
  try {
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    return { created, ran: ran.map((m) => m.name) };
  } finally {
    await dataSource.destroy();
  }
}
