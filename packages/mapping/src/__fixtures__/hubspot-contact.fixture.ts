import type { HubSpotObject } from '../hubspot/hubspot.fields.js';

/** GET /crm/v3/objects/contacts/51?properties=… as recorded: every value is a string or null. */
export const hubspotContact: HubSpotObject = {
  id: '51',
  properties: {
    annualrevenue: '1250000.5',
    city: 'London',
    company: 'Analytical Engines Ltd',
    conduit_first_contacted_at: '1714658590221',
    conduit_last_replied_date: '1714608000000',
    conduit_qualification_reasoning: null,
    conduit_sequences: 'q2_outbound;founders',
    country: 'United Kingdom',
    createdate: '2024-03-18T09:12:44.913Z',
    date_of_birth: '1815-12-10',
    email: 'Ada.Lovelace@Analytical-Engines.co.uk',
    firstname: 'Ada',
    hs_email_optout: 'false',
    hs_lead_status: 'IN_PROGRESS',
    hs_linkedin_url: 'https://www.linkedin.com/in/ada-lovelace',
    hs_object_id: '51',
    hubspot_owner_id: '82645126',
    jobtitle: 'Head of Computation',
    lastmodifieddate: '2024-05-02T14:03:10.221Z',
    lastname: 'King Lovelace',
    lifecyclestage: 'lead',
    phone: '+44 20 7946 0958',
  },
  createdAt: '2024-03-18T09:12:44.913Z',
  updatedAt: '2024-05-02T14:03:10.221Z',
  archived: false,
};

/** GET /crm/v3/objects/companies/9001 as recorded. */
export const hubspotCompany: HubSpotObject = {
  id: '9001',
  properties: {
    city: 'London',
    country: 'United Kingdom',
    createdate: '2024-03-18T09:12:45.101Z',
    domain: 'analytical-engines.co.uk',
    hs_object_id: '9001',
    industry: 'COMPUTER_SOFTWARE',
    name: 'Analytical Engines Ltd',
    numberofemployees: '120',
    website: 'https://www.analytical-engines.co.uk',
  },
  createdAt: '2024-03-18T09:12:45.101Z',
  updatedAt: '2024-04-01T08:00:00.000Z',
  archived: false,
};
