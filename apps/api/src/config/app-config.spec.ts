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

  it('reads the workflow poll interval: 30 s by default, 5 s to a day', () => {
    expect(parseConfig({}).workflowPollIntervalMs).toBe(30_000);
    expect(parseConfig({ WORKFLOW_POLL_INTERVAL_MS: '86400000' }).workflowPollIntervalMs).toBe(86_400_000);
    expect(problemsOf({ WORKFLOW_POLL_INTERVAL_MS: '1000' })).toEqual(['WORKFLOW_POLL_INTERVAL_MS must be an integer between 5000 and 86400000 (got "1000")']);
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

  it('builds a key ring: ENCRYPTION_KEY under ENCRYPTION_KEY_ID, or ENCRYPTION_KEYS with the first key current', () => {
    const single = parseConfig({ ENCRYPTION_KEY: KEY_HEX, ENCRYPTION_KEY_ID: '2026a' });
    expect(single.encryptionKeys.currentId).toBe('2026a');
    expect(single.encryptionKeys.keys.get('2026a')?.reveal()).toEqual(Buffer.alloc(32, 0xaa));

    const ring = parseConfig({ ENCRYPTION_KEYS: `new:${'b'.repeat(64)}, old:${KEY_HEX}` });
    expect(ring.encryptionKeys.currentId).toBe('new');
    expect([...ring.encryptionKeys.keys.keys()]).toEqual(['new', 'old']);
    expect(ring.encryptionKey.reveal()).toEqual(Buffer.alloc(32, 0xbb));
    expect(inspect(ring)).not.toContain('bbbb');

    expect(problemsOf({ ENCRYPTION_KEYS: 'nokey' })[0]).toMatch(/^ENCRYPTION_KEYS entry 1/);
    expect(problemsOf({ ENCRYPTION_KEYS: `a:${KEY_HEX},a:${KEY_HEX}` })[0]).toMatch(/twice/);
    expect(problemsOf({ ENCRYPTION_KEYS: 'a:short' }).join()).not.toContain('short');
    expect(parseConfig({ NODE_ENV: 'production', ENCRYPTION_KEYS: `k:${KEY_HEX}` }).encryptionKeys.currentId).toBe('k');
  });

  it('points the CRMs at the local sandbox and its demo apps by default, redirecting through the admin origin', () => {
    const config = parseConfig({ ADMIN_ORIGIN: 'http://localhost:5999' });
    expect(config.crm.hubspot.baseUrl).toBe('http://127.0.0.1:4010');
    expect(config.crm.salesforce.loginUrl).toBe('http://127.0.0.1:4020');
    expect(config.crm.hubspot.clientId).toBe('conduit-sandbox-hubspot');
    expect(config.crm.oauthRedirectBase).toBe('http://localhost:5999');
    expect(JSON.stringify(config)).not.toContain('sandbox-hubspot-secret');
    expect(problemsOf({ HUBSPOT_BASE_URL: 'ftp://x' })[0]).toMatch(/^HUBSPOT_BASE_URL /);
  });

  it('reads OPERATOR_TOKEN as a secret of at least 32 printable characters, unset by default', () => {
    expect(parseConfig({}).operatorToken).toBeUndefined();
    const token = 'o'.repeat(32);
    const config = parseConfig({ OPERATOR_TOKEN: token });
    expect(config.operatorToken?.reveal()).toBe(token);
    expect(inspect(config)).not.toContain(token);
    expect(problemsOf({ OPERATOR_TOKEN: 'short' })).toEqual([expect.stringMatching(/^OPERATOR_TOKEN must be 32 to 200 printable characters/)]);
    expect(problemsOf({ OPERATOR_TOKEN: `${'x'.repeat(20)} ${'y'.repeat(20)}` })).toHaveLength(1);
  });
});
