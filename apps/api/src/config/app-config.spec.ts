import { describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { ConfigError, DEV_ENCRYPTION_KEY, parseConfig } from './app-config.js';

const KEY_HEX = 'a'.repeat(64);

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('applies development defaults', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/conduit',
      redisUrl: 'redis://127.0.0.1:6379',
      adminOrigin: 'http://localhost:5173',
      queuePrefix: 'conduit',
      runProcessors: true,
    });
    expect(config.encryptionKey.reveal()).toHaveLength(32);
  });

  it('reads explicit values', () => {
    const config = parseConfig({ PORT: '8080', RUN_PROCESSORS: 'false', ENCRYPTION_KEY: KEY_HEX, QUEUE_PREFIX: 'x_1' });
    expect(config.port).toBe(8080);
    expect(config.runProcessors).toBe(false);
    expect(config.encryptionKey.reveal()).toEqual(Buffer.alloc(32, 0xaa));
    expect(config.queuePrefix).toBe('x_1');
  });

  it('accepts a base64 key', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(parseConfig({ ENCRYPTION_KEY: key }).encryptionKey.reveal()).toEqual(Buffer.alloc(32, 7));
  });

  it('names every invalid variable at once', () => {
    const problems = problemsOf({ PORT: 'abc', DATABASE_URL: 'mysql://x', RUN_PROCESSORS: 'maybe', ENCRYPTION_KEY: 'short' });
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/^PORT /m);
    expect(problems.join('\n')).toMatch(/^DATABASE_URL /m);
    expect(problems.join('\n')).toMatch(/^RUN_PROCESSORS /m);
    expect(problems.join('\n')).toMatch(/^ENCRYPTION_KEY /m);
    expect(problems.join('\n')).not.toContain('short');
  });

  it('requires ENCRYPTION_KEY in production and refuses the dev default', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual(['ENCRYPTION_KEY is required']);
    expect(problemsOf({ NODE_ENV: 'production', ENCRYPTION_KEY: DEV_ENCRYPTION_KEY })).toEqual([
      'ENCRYPTION_KEY must not be the development default when NODE_ENV=production',
    ]);
    expect(parseConfig({ NODE_ENV: 'production', ENCRYPTION_KEY: KEY_HEX }).runProcessors).toBe(false);
  });

  it('never prints the encryption key', () => {
    const config = parseConfig({ ENCRYPTION_KEY: KEY_HEX });
    expect(JSON.stringify(config)).not.toContain('aaaa');
    expect(inspect(config)).not.toContain('aaaa');
    expect(inspect(config)).not.toContain('Buffer');
  });
});
