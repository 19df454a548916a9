import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module.js';
import { loadConfigOrExit } from '../config/app-config.js';
import { createLogger } from '../logging/logger.js';
import { PinoNestLogger } from '../logging/pino-nest-logger.js';
import { connectDemoToSandbox } from '../seed/connect-sandbox.js';

/** `npm start` step after the seed: the demo workspace comes up connected to the local CRM sandbox (skips politely when it is not running). */
const config = loadConfigOrExit();
const logger = createLogger({ level: config.logLevel, service: 'conduit-cli' });
const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, { http: false, processors: false }), { logger: new PinoNestLogger(logger) });
try {
  const result = await connectDemoToSandbox(app, config, logger);
  logger.info({ result }, 'sandbox connections checked');
} catch (err) {
  // The product still starts: an admin can connect from Settings → Integrations.
  logger.error({ err }, 'could not connect the demo workspace to the CRM sandbox');
} finally {
  await app.close();
  logger.flush();
}
