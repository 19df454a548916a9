import 'reflect-metadata';
import { loadConfig } from '../config/app-config.js';
import { migrate } from '../database/migrate.js';
import { createLogger } from '../logging/logger.js';

const config = loadConfig();
const logger = createLogger({ level: config.logLevel });
try {
  const { created, ran } = await migrate(config.databaseUrl);
  logger.info({ databaseCreated: created, migrations: ran }, ran.length ? `ran ${ran.length} migration(s)` : 'database is up to date');
  logger.flush();
} catch (err) {
  logger.fatal({ err }, 'migration failed');
  logger.flush();
  process.exitCode = 1;
}
