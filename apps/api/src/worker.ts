import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { loadConfigOrExit } from './config/app-config.js';
import { createLogger } from './logging/logger.js';
import { PinoNestLogger } from './logging/pino-nest-logger.js';

/** Queue processors and the reconciler, without HTTP. */
const config = loadConfigOrExit();
const logger = createLogger({ level: config.logLevel, service: 'conduit-worker' });
const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, { http: false, processors: true }), {
  logger: new PinoNestLogger(logger),
});
app.enableShutdownHooks();
logger.info({ queuePrefix: config.queuePrefix }, 'Conduit worker started');
