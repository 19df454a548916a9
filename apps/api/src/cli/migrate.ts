import 'reflect-metadata';
import { loadConfigOrExit } from '../config/app-config.js';
import { migrate } from '../database/migrate.js';
import { createLogger } from '../logging/logger.js';

const config = loadConfigOrExit();
const logger = createLogger({ level: config.logLevel, service: 'conduit-cli' });
try {
  const { created, ran } = await migrate(config.databaseUrl);
  logger.info({ databaseCreated: created, migrations: ran }, ran.length ? `ran ${ran.length} migration(s)` : 'database is up to date');
  logger.flush();
} catch (err) {
  logger.fatal({ err }, 'migration failed');
  logger.flush();
  process.exitCode = 1;
}
