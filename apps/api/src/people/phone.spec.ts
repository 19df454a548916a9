import { describe, expect, it } from '@jest/globals';
import { phoneProblem } from './phone.js';

describe('phone numbers', () => {
  it('accepts real numbers in international format, however they are spaced', () => {
    for (const ok of ['+1 415 555 0100', '+14155550100', '+49 30 1234567', '+44 (0)20 7946 0958', '+33 1-42-68-53-00', '+1 415.555.0100 ext. 12']) expect([ok, phoneProblem(ok)]).toEqual([ok, null]);
  });

  it('refuses numbers without a country code, too short or too long, and text, saying why', () => {
    expect(phoneProblem('123')).toMatch(/needs its country code/);
    expect(phoneProblem('(415) 555-0100')).toMatch(/international format/);
    expect(phoneProblem('+1 555 0100')).toMatch(/is not a valid/);
    expect(phoneProblem('+49 30 12345678901234')).toMatch(/is not a valid DE phone number/);
    expect(phoneProblem('+ call me')).toMatch(/is not a phone number/);
    expect(phoneProblem(42)).toBe('must be a string');
  });
});
