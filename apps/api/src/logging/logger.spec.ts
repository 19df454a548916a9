import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { createLogger } from './logger.js';
import { PinoNestLogger } from './pino-nest-logger.js';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[]; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join(''), lines: () => chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('redacts secrets at any of the first levels and auth headers', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', destination: out.stream });
    logger.info({ password: 'p1', body: { token: 't1', nested: { refreshToken: 'r1' } }, req: { headers: { authorization: 'Bearer k1', cookie: 'c=1' } } }, 'hello');
    const text = out.text();
    for (const secret of ['p1', 't1', 'r1', 'k1', 'c=1']) expect(text).not.toContain(secret);
    expect(out.lines()[0]).toMatchObject({ level: 'info', msg: 'hello', password: '[redacted]' });
  });
});

describe('PinoNestLogger', () => {
  it('writes Nest log calls as JSON with their context', () => {
    const out = capture();
    const nest = new PinoNestLogger(createLogger({ level: 'info', destination: out.stream }));
    nest.log('Mapped route', 'RouterExplorer');
    nest.error('boom', 'Error: boom\n    at x', 'ExceptionsHandler');
    expect(out.lines()).toEqual([
      expect.objectContaining({ level: 'info', msg: 'Mapped route', context: 'RouterExplorer' }),
      expect.objectContaining({ level: 'error', msg: 'boom', context: 'ExceptionsHandler', stack: 'Error: boom\n    at x' }),
    ]);
  });
});
