import { describe, expect, it } from '@jest/globals';
import { copyField, copyJson, CopyLines } from './pg-copy.js';

describe('copyField (COPY text format)', () => {
  it('writes null and undefined as \\N', () => {
    expect(copyField(null, 'text')).toBe('\\N');
    expect(copyField(undefined, 'jsonb')).toBe('\\N');
  });

  it('escapes backslash, newline, carriage return and tab, and nothing else', () => {
    expect(copyField('a\\b\nc\rd\te', 'text')).toBe('a\\\\b\\nc\\rd\\te');
    expect(copyField('\\N', 'text')).toBe('\\\\N');
    expect(copyField('Zoë "quoted", 東京', 'text')).toBe('Zoë "quoted", 東京');
  });

  it('writes jsonb as JSON, dates as ISO text and numbers, booleans and bigints as their text', () => {
    expect(copyField({ a: 'x\\y', n: 1 }, 'jsonb')).toBe('{"a":"x\\\\\\\\y","n":1}');
    expect(copyField('plain', 'jsonb')).toBe('"plain"');
    expect(copyField(new Date('2026-01-02T03:04:05.000Z'), 'timestamptz')).toBe('2026-01-02T03:04:05.000Z');
    expect(copyField(42, 'integer')).toBe('42');
    expect(copyField(true, 'boolean')).toBe('true');
    expect(copyField(10n, 'bigint')).toBe('10');
    expect(copyField(['a'], 'text')).toBe('["a"]');
  });
});

describe('copyJson', () => {
  it('doubles only backslashes (JSON.stringify leaves no raw newline, CR or tab)', () => {
    const json = JSON.stringify({ text: 'line\nbreak\ttab\r\\slash' });
    expect(copyJson(json)).toBe(json.replaceAll('\\', '\\\\'));
    expect(copyJson('{"a":1}')).toBe('{"a":1}');
  });

  it('agrees with copyField on JSON text', () => {
    for (const v of [{ a: 'x\ny' }, { b: '\\' }, ['\t', 'ü'], 'plain']) expect(copyJson(JSON.stringify(v))).toBe(copyField(v, 'jsonb'));
  });
});

describe('CopyLines', () => {
  it('answers null when no line was added', () => {
    expect(new CopyLines().done()).toBeNull();
  });

  it('keeps every line in order, as UTF-8 chunks of about 64 KiB', () => {
    const lines = new CopyLines();
    const expected: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const line = `${i}\tZoë ${'x'.repeat(i % 50)}\n`;
      expected.push(line);
      lines.add(line);
    }
    const chunks = lines.done()!;
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks.slice(0, -1)) expect(c.length).toBeGreaterThanOrEqual(65_536);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(expected.join(''));
  });
});
