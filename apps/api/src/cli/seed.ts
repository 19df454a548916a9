import 'reflect-metadata';
import { loadConfigOrExit } from '../config/app-config.js';
import { createDataSource } from '../database/data-source.js';
import { createLogger } from '../logging/logger.js';
import { DEMO_USERS } from '../seed/demo-data.js';
import { seedDemo } from '../seed/seed.js';

const config = loadConfigOrExit();
const logger = createLogger({ level: config.logLevel, service: 'conduit-cli' });
const dataSource = createDataSource(config.databaseUrl);
try {
  await dataSource.initialize();
  const result = await seedDemo(dataSource);
  logger.info({ ...result, logins: DEMO_USERS.map((u) => u.email) }, 'demo data seeded (password: see README)');
} catch (err) {
  logger.fatal({ err }, 'seed failed');
  process.exitCode = 1;
} finally {
  if (dataSource.isInitialized) await dataSource.destroy();
  logger.flush();
}
