import type { CreateCompanyBody } from '@conduit/contracts';
import { type CsvSchema, parseCsv } from '../common/csv.js';

type CompanyField = Exclude<keyof CreateCompanyBody, 'customAttributes'>;

/** Unknown columns become custom attributes, as for people. */
export const COMPANIES_CSV: CsvSchema<CompanyField> = {
  customAttributes: true,
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
