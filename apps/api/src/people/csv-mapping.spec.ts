import { describe, expect, it } from '@jest/globals';
import { CsvFormatError, mapHeader, mapRow } from '../common/csv.js';
import { COMPANIES_CSV, parseCompaniesCsv } from '../companies/csv-mapping.js';
import { PEOPLE_CSV, parsePeopleCsv } from './csv-mapping.js';

describe('people CSV mapping', () => {
  it('maps common header spellings to person fields and the rest to custom attributes', () => {
    const columns = mapHeader(PEOPLE_CSV, ['First Name', 'Last name', 'E-mail Address', 'Company', 'Job Title', 'LinkedIn URL', 'Favourite Colour', '']);
    expect(columns).toEqual([
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
    const columns = mapHeader(PEOPLE_CSV, ['name', 'email', 'city', 'Tier']);
    expect(mapRow(PEOPLE_CSV, columns, [' Ada Lovelace ', '', 'London', 'A'])).toEqual({ name: 'Ada Lovelace', city: 'London', customAttributes: { Tier: 'A' } });
    expect(mapRow(PEOPLE_CSV, columns, ['Bob'])).toEqual({ name: 'Bob' });
  });

  it('keeps the first of duplicate columns', () => {
    const columns = mapHeader(PEOPLE_CSV, ['email', 'Email Address']);
    expect(mapRow(PEOPLE_CSV, columns, ['a@x.test', 'b@x.test'])).toEqual({ email: 'a@x.test' });
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

describe('companies CSV mapping', () => {
  it('maps headers, converts integer cells and keeps unknown columns as custom attributes', () => {
    expect(mapHeader(COMPANIES_CSV, ['Account Name', 'Website', 'Employees', 'Notes'])).toEqual([{ field: 'name' }, { field: 'website' }, { field: 'employeeCount' }, { custom: 'Notes' }]);
    expect(parseCompaniesCsv('Company,Domain,Headcount,Notes\nGlobex,globex.com,250,big\nInitech,initech.com,lots,\n')).toEqual([
      { name: 'Globex', domain: 'globex.com', employeeCount: 250, customAttributes: { Notes: 'big' } },
      { name: 'Initech', domain: 'initech.com', employeeCount: 'lots' },
    ]);
  });
});
