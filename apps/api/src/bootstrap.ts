import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppModule } from './app.module.js';
import { OPENAPI_AUTH } from './auth/decorators.js';
import { SESSION_COOKIE } from './auth/tokens.js';
import { AllExceptionsFilter } from './common/all-exceptions.filter.js';
import { createValidationPipe } from './common/validation.js';
import type { AppConfig } from './config/app-config.js';
import { PinoNestLogger } from './logging/pino-nest-logger.js';
import { mountBullBoard } from './queues/bull-board.js';
import type { CrmRuntimeOptions } from './crm-runtime/crm-runtime.options.js';

export const BODY_LIMIT = '10mb';

/** `?code=…&state=…` → `?code=[redacted]&state=[redacted]` (authorization codes are credentials until exchanged). */
export function redactOAuthQuery(url: string | undefined): string | undefined {
  return url?.replace(/([?&](?:code|state)=)[^&#]*/g, '$1[redacted]');
}

/** Builds the HTTP application (not yet listening): shared by main.ts and the integration tests. */
export async function createApp(config: AppConfig, logger: Logger, crmRuntime?: CrmRuntimeOptions): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, { http: true, processors: config.runProcessors, ...(crmRuntime ? { crmRuntime } : {}) }), {
    logger: new PinoNestLogger(logger),
    bufferLogs: true,
    // Webhook signatures are computed over the exact bytes received (req.rawBody).
    rawBody: true,
  });
  app.useLogger(new PinoNestLogger(logger));
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  app.use(
    pinoHttp({
      logger,
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w-]{1,100}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      // OAuth callbacks carry an authorization code and a state in the query: never write them to the logs.
      serializers: {
        req: (req: { url?: string; query?: Record<string, unknown> }) => ({
          ...req,
          url: redactOAuthQuery(req.url),
          ...(req.query ? { query: Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, k === 'code' || k === 'state' ? '[redacted]' : v])) } : {}),
        }),
      },
      autoLogging: { ignore: (req) => req.url === '/api/health' },
    }),
  );
  app.setGlobalPrefix('api');
  app.enableCors({ origin: config.adminOrigin, credentials: true });
  app.use(cookieParser());
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.useBodyParser('text', { type: ['text/csv', 'text/plain', 'application/csv'], limit: BODY_LIMIT });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());

  const openApi = new DocumentBuilder()
    .setTitle('Conduit API')
    .setDescription(
      'CRM sync layer for outbound sales. Authenticate with an API key as a Bearer token (`Authorization: Bearer cdk_…`; an admin creates keys under Settings → API keys or with POST /api/api-keys, and a key acts for its workspace with member rights) or, in a browser, with the session cookie (POST /api/auth/login).',
    )
    .setVersion('0.1.0')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'cdk_…',
        description: 'API key: `Authorization: Bearer cdk_…`. Created by an admin (Settings → API keys, POST /api/api-keys; shown once), revoked with DELETE /api/api-keys/{id}. Acts for its workspace with member rights and no user.',
      },
      'bearer',
    )
    .addCookieAuth(SESSION_COOKIE, { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'Browser session: the httpOnly cookie set by POST /api/auth/login.' }, 'cookie')
    // Either one: an API key, or a signed-in session.
    .addSecurityRequirements('bearer')
    .addSecurityRequirements('cookie')
    .build();
  SwaggerModule.setup('api/docs', app, () => withRouteSecurity(SwaggerModule.createDocument(app, openApi)), { jsonDocumentUrl: 'api/docs-json', useGlobalPrefix: false });

  mountBullBoard(app, config);
  app.enableShutdownHooks();
  return app;
}

/**
 * Each operation's authentication as the AuthGuard applies it: @Public routes need none (unless they name their own,
 * like the operator token), @SessionOnly ones the cookie, and every other one takes an API key or the cookie — the
 * document's default, which a controller's @ApiCookieAuth() must not narrow to the cookie alone.
 */
function withRouteSecurity(doc: OpenAPIObject): OpenAPIObject {
  for (const path of Object.values(doc.paths)) {
    for (const op of [path.get, path.put, path.post, path.delete, path.patch, path.options, path.head]) {
      if (!op) continue;
      // An extension the decorators set (x-…), read and dropped: the document keeps the standard `security` only.
      const auth: unknown = Reflect.get(op, OPENAPI_AUTH);
      Reflect.deleteProperty(op, OPENAPI_AUTH);
      if (auth === 'public') op.security ??= [];
      else if (auth === 'session') op.security = [{ cookie: [] }];
      else delete op.security;
    }
  }
  return doc;
}
