import { describe, expect, it } from '@jest/globals';
import { CsvFormatError, mapHeader, mapRow, parsePeopleCsv } from './csv-mapping.js';

describe('CSV mapping', () => {
  it('maps common header spellings to person fields and the rest to custom attributes', () => {
    const mapping = mapHeader(['First Name', 'Last name', 'E-mail Address', 'Company', 'Job Title', 'LinkedIn URL', 'Favourite Colour', '']);
    expect(mapping.columns).toEqual([
      { field: 'firstName' },
      { field: 'lastName' },
      { field: 'email' },
      { field: 'companyName' },
      { field: 'jobTitle' },
      { field: 'linkedinUrl' },
      { custom: 'Favourite Colour' },
      null,
    ]);
  });

  it('leaves out empty cells and trims values', () => {
    const mapping = mapHeader(['name', 'email', 'city', 'Tier']);
    expect(mapRow(mapping, [' Ada Lovelace ', '', 'London', 'A'])).toEqual({ name: 'Ada Lovelace', city: 'London', customAttributes: { Tier: 'A' } });
    expect(mapRow(mapping, ['Bob'])).toEqual({ name: 'Bob' });
  });

  it('keeps the first of duplicate columns', () => {
    const mapping = mapHeader(['email', 'Email Address']);
    expect(mapRow(mapping, ['a@x.test', 'b@x.test'])).toEqual({ email: 'a@x.test' });
  });

  it('parses quoted CSV with a BOM', () => {
    const text = '\uFEFFemail,company\n"a@x.test","Acme, Inc."\n\nb@x.test,Globex\n';
    expect(parsePeopleCsv(text)).toEqual([
      { email: 'a@x.test', companyName: 'Acme, Inc.' },
      { email: 'b@x.test', companyName: 'Globex' },
    ]);
  });

  it('rejects empty files, unknown-only headers and broken quoting', () => {
    expect(() => parsePeopleCsv('')).toThrow(CsvFormatError);
    expect(() => parsePeopleCsv('foo,bar\n1,2')).toThrow(/No known column/);
    expect(() => parsePeopleCsv('email\n"unterminated')).toThrow(CsvFormatError);
  });
});
