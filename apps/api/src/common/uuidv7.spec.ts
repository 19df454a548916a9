import { describe, expect, it } from '@jest/globals';
import { uuidv7 } from './uuidv7.js';

describe('uuidv7', () => {
  it('is an RFC 9562 version 7 UUID carrying the current time in ms', () => {
    const before = Date.now();
    const id = uuidv7();
    const after = Date.now();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const ms = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after + 1);
  });

  it('increases strictly within a burst (counter within the ms) and never repeats', () => {
    const ids = Array.from({ length: 20_000 }, () => uuidv7());
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
  });

  it('writes every random digit (each position past the timestamp and version takes many values)', () => {
    const ids = Array.from({ length: 5000 }, () => uuidv7().replaceAll('-', ''));
    // 12 timestamp digits, the version digit and the counter's first digit vary slowly; digit 16 holds the variant.
    for (const at of [15, 17, 18, 20, 24, 28, 31]) expect(new Set(ids.map((id) => id[at])).size).toBeGreaterThanOrEqual(12);
    expect(new Set(ids.map((id) => id[16])).size).toBeLessThanOrEqual(4);
  });
});

