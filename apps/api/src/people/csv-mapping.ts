import type { CreatePersonBody } from '@conduit/contracts';
import { parse } from 'csv-parse/sync';

type PersonField = Exclude<keyof CreatePersonBody, 'customAttributes'>;

/** Header spellings seen in exports from sales tools, normalised (lowercase, letters and digits only). */
const HEADER_ALIASES: Record<string, PersonField> = {
  name: 'name', fullname: 'name', contactname: 'name',
  firstname: 'firstName', first: 'firstName', givenname: 'firstName',
  lastname: 'lastName', last: 'lastName', surname: 'lastName', familyname: 'lastName',
  email: 'email', emailaddress: 'email', mail: 'email', workemail: 'email',
  phone: 'phone', phonenumber: 'phone', mobile: 'phone', telephone: 'phone',
  jobtitle: 'jobTitle', title: 'jobTitle', position: 'jobTitle', role: 'jobTitle',
  city: 'city', town: 'city',
  country: 'country',
  linkedin: 'linkedinUrl', linkedinurl: 'linkedinUrl', linkedinprofile: 'linkedinUrl',
  company: 'companyName', companyname: 'companyName', organization: 'companyName', organisation: 'companyName', account: 'companyName',
  companyid: 'companyId',
  qualificationreasoning: 'qualificationReasoning', qualification: 'qualificationReasoning',
  leadstatus: 'leadStatus', status: 'leadStatus',
  engagementstate: 'engagementState', engagement: 'engagementState',
  assigneduserid: 'assignedUserId', ownerid: 'assignedUserId',
};

export function normaliseHeader(header: string): string {
  return header.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export interface CsvMapping {
  /** Column index → person field, or a custom attribute key for unknown headers. */
  columns: ({ field: PersonField } | { custom: string } | null)[];
}

/** Maps a header row to person fields; unknown non-empty headers become custom attributes under their original name. */
export function mapHeader(header: string[]): CsvMapping {
  const seen = new Set<string>();
  return {
    columns: header.map((raw) => {
      const name = raw.trim();
      if (!name) return null;
      const field = HEADER_ALIASES[normaliseHeader(name)];
      const key = field ?? `custom:${name}`;
      if (seen.has(key)) return null; // first column wins on duplicates
      seen.add(key);
      return field ? { field } : { custom: name };
    }),
  };
}

/** One data row → a create body. Empty cells are left out, so they never overwrite or fail validation. */
export function mapRow(mapping: CsvMapping, row: string[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const custom: Record<string, string> = {};
  mapping.columns.forEach((column, i) => {
    const value = row[i]?.trim();
    if (!column || !value) return;
    if ('field' in column) body[column.field] = value;
    else custom[column.custom] = value;
  });
  if (Object.keys(custom).length > 0) body['customAttributes'] = custom;
  return body;
}

export class CsvFormatError extends Error {}

/** Parses CSV text (header row first) into create bodies, in file order. */
export function parsePeopleCsv(text: string): Record<string, unknown>[] {
  let records: string[][];
  try {
    const parsed: unknown = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true });
    records = parsed as string[][]; // without `columns`, csv-parse yields one string array per line
  } catch (err) {
    throw new CsvFormatError(`Could not parse CSV: ${(err as Error).message}`);
  }
  const [header, ...rows] = records;
  if (!header) throw new CsvFormatError('The CSV is empty: a header row is required');
  const mapping = mapHeader(header);
  if (!mapping.columns.some((c) => c && 'field' in c)) {
    throw new CsvFormatError('No known column in the header row (expected e.g. email, first name, last name, company)');
  }
  return rows.map((row) => mapRow(mapping, row));
}
