import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Server } from 'node:http';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import { createApp } from '../../src/bootstrap.js';
import type { CrmRuntimeOptions } from '../../src/crm-runtime/crm-runtime.options.js';
import { type AppConfig, loadConfig } from '../../src/config/app-config.js';
import { dropDatabase } from '../../src/database/create-database.js';
import { migrate } from '../../src/database/migrate.js';
import { createLogger } from '../../src/logging/logger.js';
import { PinoNestLogger } from '../../src/logging/pino-nest-logger.js';

/** Collects every log line so tests can assert on it (and keep the test output quiet). */
export class LogCapture extends Writable {
  readonly chunks: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.chunks.push(chunk.toString());
    done();
  }
  get text(): string {
    return this.chunks.join('');
  }
}

/**
 * A fresh database (migrated, not synchronized) and a Bull prefix of its own for one test file.
 * The base URLs come from the same config loader as the app (DATABASE_URL / REDIS_URL or their defaults).
 */
export async function createTestEnvironment(overrides: Partial<AppConfig> = {}): Promise<{ config: AppConfig; cleanup: () => Promise<void> }> {
  const base = loadConfig();
  const suffix = randomBytes(6).toString('hex');
  const dbUrl = new URL(base.databaseUrl);
  dbUrl.pathname = `/conduit_test_${suffix}`;
  const config: AppConfig = {
    ...base,
    nodeEnv: 'test',
    databaseUrl: dbUrl.toString(),
    queuePrefix: `conduit_test_${suffix}`,
    runProcessors: false,
    logLevel: 'info',
    ...overrides,
  };
  await migrate(config.databaseUrl);
  return {
    config,
    cleanup: async () => {
      await flushQueuePrefix(config);
      await dropDatabase(config.databaseUrl);
    },
  };
}

/** Deletes every Redis key of this run's Bull prefix (what a Redis flush would do to our queues). */
export async function flushQueuePrefix(config: AppConfig): Promise<number> {
  const redis = new Redis(config.redisUrl);
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${config.queuePrefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

export interface TestApp {
  app: NestExpressApplication;
  server: Server;
  config: AppConfig;
  dataSource: DataSource;
  logs: LogCapture;
  close: () => Promise<void>;
}

/** The real HTTP app (same bootstrap as main.ts) on a fresh database; call close() in afterAll. */
export async function startTestApp(overrides: Partial<AppConfig> = {}, crmRuntime?: CrmRuntimeOptions): Promise<TestApp> {
  const { config, cleanup } = await createTestEnvironment(overrides);
  const logs = new LogCapture();
  const app = await createApp(config, createLogger({ level: config.logLevel, destination: logs }), crmRuntime);
  await app.init();
  return {
    app,
    server: app.getHttpServer(),
    config,
    dataSource: app.get(DataSource),
    logs,
    close: async () => {
      await app.close();
      await cleanup();
    },
  };
}

/** A worker or producer context (no HTTP) on an existing environment. */
export async function startContext(config: AppConfig, options: { processors: boolean; crmRuntime?: CrmRuntimeOptions }, logs = new LogCapture()): Promise<INestApplicationContext> {
  const ctx = await NestFactory.createApplicationContext(AppModule.forRoot(config, { http: false, processors: options.processors, ...(options.crmRuntime ? { crmRuntime: options.crmRuntime } : {}) }), {
    logger: new PinoNestLogger(createLogger({ level: config.logLevel, destination: logs })),
  });
  await ctx.init();
  return ctx;
}

/** Polls `probe` until it returns a truthy value or the time runs out. */
export async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}
