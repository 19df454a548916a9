import type { CreateCompanyBody } from '@conduit/contracts';
import { type CsvSchema, parseCsv } from '../common/csv.js';

/** Companies have no custom attributes: unknown columns are ignored. */
export const COMPANIES_CSV: CsvSchema<keyof CreateCompanyBody> = {
  customAttributes: false,
  integers: ['employeeCount'],
  aliases: {
    name: 'name', company: 'name', companyname: 'name', account: 'name', accountname: 'name', organization: 'name', organisation: 'name',
    domain: 'domain', companydomain: 'domain', emaildomain: 'domain',
    website: 'website', url: 'website', websiteurl: 'website', homepage: 'website',
    industry: 'industry', sector: 'industry',
    employees: 'employeeCount', employeecount: 'employeeCount', numberofemployees: 'employeeCount', headcount: 'employeeCount',
    city: 'city', town: 'city',
    country: 'country',
  },
};

export function parseCompaniesCsv(text: string): Record<string, unknown>[] {
  return parseCsv(COMPANIES_CSV, text);
}
