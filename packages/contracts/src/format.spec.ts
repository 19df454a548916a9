import { describe, expect, it } from '@jest/globals';
import { formatDuration } from './format.js';

describe('formatDuration', () => {
  it('rounds to the unit that reads best: seconds, minutes, hours and minutes, days and hours', () => {
    expect(formatDuration(-5)).toBe('0 s');
    expect(formatDuration(59.4)).toBe('59 s');
    expect(formatDuration(89)).toBe('1 min');
    expect(formatDuration(3599)).toBe('1 h');
    expect(formatDuration(6000)).toBe('1 h 40 min');
    expect(formatDuration(47 * 3600 + 59 * 60)).toBe('47 h 59 min');
    expect(formatDuration(48 * 3600)).toBe('2 d');
    expect(formatDuration(51 * 3600)).toBe('2 d 3 h');
  });
});
