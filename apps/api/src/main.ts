import { loadConfigOrExit } from './config/app-config.js';
import { createApp } from './bootstrap.js';
import { createLogger } from './logging/logger.js';

const config = loadConfigOrExit();
const logger = createLogger({ level: config.logLevel });
const app = await createApp(config, logger);
await app.listen(config.port);
logger.info({ port: config.port, processors: config.runProcessors }, 'Conduit API listening');
