import { describe, expect, it } from '@jest/globals';
import { isBlank } from './normalize.js';

describe('isBlank', () => {
  it('treats whitespace as blank', () => {
    expect(isBlank('  ')).toBe(true);
    expect(isBlank('a')).toBe(false);
  });
});
