import { describe, expect, it } from '@jest/globals';
import { splitName } from './name-split.js';

describe('splitName', () => {
  it.each([
    ['Ada Lovelace', 'Ada', 'Lovelace'],
    ['  Ada   Lovelace  ', 'Ada', 'Lovelace'],
    ['Jean Claude Van Damme', 'Jean', 'Claude Van Damme'],
    ['Lovelace, Ada', 'Ada', 'Lovelace'],
    ['Lovelace,', null, 'Lovelace'],
    ['Cher', 'Cher', null],
    ['', null, null],
    ['   ', null, null],
  ])('%j → %j / %j', (full, firstName, lastName) => {
    expect(splitName(full)).toEqual({ firstName, lastName });
  });
});
