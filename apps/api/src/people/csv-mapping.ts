import type { CreatePersonBody } from '@conduit/contracts';
import { type CsvSchema, parseCsv } from '../common/csv.js';

type PersonField = Exclude<keyof CreatePersonBody, 'customAttributes'>;

/** Header spellings seen in exports from sales tools, normalised (lowercase, letters and digits only). */
export const PEOPLE_CSV: CsvSchema<PersonField> = {
  customAttributes: true,
  aliases: {
    email: 'email', emailaddress: 'email', mail: 'email', workemail: 'email',
    firstname: 'firstName', first: 'firstName', givenname: 'firstName',
    lastname: 'lastName', last: 'lastName', surname: 'lastName', familyname: 'lastName',
    name: 'name', fullname: 'name', contactname: 'name',
    company: 'companyName', companyname: 'companyName', organization: 'companyName', organisation: 'companyName', account: 'companyName',
    jobtitle: 'jobTitle', title: 'jobTitle', position: 'jobTitle', role: 'jobTitle',
    phone: 'phone', phonenumber: 'phone', mobile: 'phone', telephone: 'phone',
    city: 'city', town: 'city',
    country: 'country',
    linkedin: 'linkedinUrl', linkedinurl: 'linkedinUrl', linkedinprofile: 'linkedinUrl',
    companyid: 'companyId',
    qualificationreasoning: 'qualificationReasoning', qualification: 'qualificationReasoning',
    leadstatus: 'leadStatus', status: 'leadStatus',
    engagementstate: 'engagementState', engagement: 'engagementState',
    assigneduserid: 'assignedUserId', ownerid: 'assignedUserId',
  },
};

export function parsePeopleCsv(text: string): Record<string, unknown>[] {
  return parseCsv(PEOPLE_CSV, text);
}
