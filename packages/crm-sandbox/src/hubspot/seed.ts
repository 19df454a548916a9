import { createRng, type Rng } from '../common/rng.js';
import { DEAL_STAGES, LEAD_STATUSES } from './properties.js';
import type { HubspotStore, HsList, Owner } from './store.js';
import type { FilterGroup } from './search.js';

const FIRST_NAMES = [
  'Anna', 'Lukas', 'Sofia', 'Jonas', 'Emma', 'Felix', 'Mia', 'Noah', 'Lena', 'Elias', 'Hannah', 'Paul', 'Clara', 'Leon',
  'Marie', 'Finn', 'Olivia', 'Liam', 'Charlotte', 'James', 'Amelia', 'Oliver', 'Isla', 'Jack', 'Chloé', 'Louis', 'Camille',
  'Hugo', 'Inès', 'Lucas', 'Lucía', 'Mateo', 'Valentina', 'Diego', 'Giulia', 'Marco', 'Sara', 'Lorenzo', 'Sanne', 'Daan',
  'Priya', 'Arjun', 'Mei', 'Kenji', 'Aisha', 'Omar', 'Fatima', 'Yusuf', 'Zoe', 'Ethan', 'Ava', 'Mason', 'Grace', 'Henry',
  'Nora', 'Samuel', 'Ingrid', 'Magnus', 'Freya', 'Oskar',
];
const LAST_NAMES = [
  'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Becker', 'Hoffmann', 'Wagner', 'Koch', 'Richter', 'Smith',
  'Johnson', 'Brown', 'Taylor', 'Wilson', 'Davies', 'Evans', 'Thomas', 'Martin', 'Bernard', 'Dubois', 'Laurent', 'Moreau',
  'García', 'Fernández', 'López', 'Martínez', 'Rossi', 'Russo', 'Ferrari', 'de Vries', 'Jansen', 'Bakker', 'Patel', 'Shah',
  'Chen', 'Wang', 'Tanaka', 'Sato', 'Khan', 'Ali', 'Hansen', 'Nielsen', 'Larsen', 'Andersson', 'Johansson', 'Kowalski',
  'Nowak', 'Novák', "O'Brien", 'Murphy', 'Walsh', 'Silva', 'Santos', 'Costa',
];
const COMPANIES: [string, string, string, string][] = [
  ['Acme Analytics', 'acme-analytics.com', 'COMPUTER_SOFTWARE', 'Germany'], ['Brightwave Logistics', 'brightwave-logistics.de', 'LOGISTICS_AND_SUPPLY_CHAIN', 'Germany'],
  ['Northwind Health', 'northwindhealth.com', 'HOSPITAL_HEALTH_CARE', 'United States'], ['Lumen Finance', 'lumenfinance.co.uk', 'FINANCIAL_SERVICES', 'United Kingdom'],
  ['Kestrel Robotics', 'kestrel-robotics.com', 'AUTOMOTIVE', 'Germany'], ['Bluefin Media', 'bluefinmedia.io', 'MARKETING_AND_ADVERTISING', 'United States'],
  ['Helios Energy', 'helios-energy.es', 'RENEWABLES_ENVIRONMENT', 'Spain'], ['Quartz Consulting', 'quartzconsulting.fr', 'MANAGEMENT_CONSULTING', 'France'],
  ['Tidal Commerce', 'tidalcommerce.com', 'RETAIL', 'United States'], ['Evergreen Learning', 'evergreenlearning.org', 'EDUCATION_MANAGEMENT', 'Canada'],
  ['Polaris Telecom', 'polaristelecom.nl', 'TELECOMMUNICATIONS', 'Netherlands'], ['Granite Insurance', 'graniteinsurance.ch', 'INSURANCE', 'Switzerland'],
  ['Cobalt Cloud', 'cobaltcloud.dev', 'INFORMATION_TECHNOLOGY_AND_SERVICES', 'Germany'], ['Meridian Properties', 'meridianproperties.com', 'REAL_ESTATE', 'United States'],
  ['Vireo Software', 'vireo.software', 'COMPUTER_SOFTWARE', 'Austria'], ['Sable Security', 'sablesecurity.com', 'COMPUTER_SOFTWARE', 'United States'],
  ['Orbit Payments', 'orbitpayments.eu', 'FINANCIAL_SERVICES', 'Ireland'], ['Fjord Foods', 'fjordfoods.no', 'RETAIL', 'Norway'],
  ['Atlas Freight', 'atlasfreight.com', 'LOGISTICS_AND_SUPPLY_CHAIN', 'United States'], ['Nimbus Data', 'nimbusdata.ai', 'INTERNET', 'United Kingdom'],
  ['Copperleaf Labs', 'copperleaf-labs.de', 'COMPUTER_SOFTWARE', 'Germany'], ['Solstice Travel', 'solsticetravel.it', 'INTERNET', 'Italy'],
  ['Redwood Manufacturing', 'redwoodmfg.com', 'AUTOMOTIVE', 'United States'], ['Aurora Biotech', 'aurorabiotech.se', 'HOSPITAL_HEALTH_CARE', 'Sweden'],
  ['Pinnacle Advisors', 'pinnacleadvisors.com', 'MANAGEMENT_CONSULTING', 'United States'], ['Lighthouse HR', 'lighthousehr.co.uk', 'INFORMATION_TECHNOLOGY_AND_SERVICES', 'United Kingdom'],
  ['Ember Studios', 'emberstudios.fr', 'MARKETING_AND_ADVERTISING', 'France'], ['Zephyr Mobility', 'zephyrmobility.de', 'AUTOMOTIVE', 'Germany'],
  ['Harbor Bank', 'harborbank.com', 'FINANCIAL_SERVICES', 'United States'], ['Crescent Retail', 'crescentretail.es', 'RETAIL', 'Spain'],
  ['Ironbridge Systems', 'ironbridge.systems', 'INFORMATION_TECHNOLOGY_AND_SERVICES', 'Poland'], ['Willow Care', 'willowcare.nl', 'HOSPITAL_HEALTH_CARE', 'Netherlands'],
  ['Summit Telecom', 'summittelecom.ca', 'TELECOMMUNICATIONS', 'Canada'], ['Prism Insights', 'prisminsights.io', 'INTERNET', 'Germany'],
  ['Oakridge Realty', 'oakridgerealty.com', 'REAL_ESTATE', 'United States'], ['Verdant Farms', 'verdantfarms.ie', 'RETAIL', 'Ireland'],
  ['Catalyst Learning', 'catalystlearning.de', 'EDUCATION_MANAGEMENT', 'Germany'], ['Sparrow Insurance', 'sparrowinsurance.co.uk', 'INSURANCE', 'United Kingdom'],
  ['Nova Payments', 'novapayments.dk', 'FINANCIAL_SERVICES', 'Denmark'], ['Trailhead Outdoors', 'trailheadoutdoors.com', 'RETAIL', 'United States'],
];
const CITIES: Record<string, [string, string][]> = {
  Germany: [['Berlin', 'Berlin'], ['Munich', 'Bavaria'], ['Hamburg', 'Hamburg'], ['Cologne', 'North Rhine-Westphalia'], ['Frankfurt', 'Hesse']],
  'United States': [['New York', 'NY'], ['San Francisco', 'CA'], ['Austin', 'TX'], ['Chicago', 'IL'], ['Boston', 'MA']],
  'United Kingdom': [['London', 'England'], ['Manchester', 'England'], ['Edinburgh', 'Scotland']],
  France: [['Paris', 'Île-de-France'], ['Lyon', 'Auvergne-Rhône-Alpes']], Spain: [['Madrid', 'Madrid'], ['Barcelona', 'Catalonia']],
  Netherlands: [['Amsterdam', 'North Holland'], ['Rotterdam', 'South Holland']], Switzerland: [['Zurich', 'Zurich']], Austria: [['Vienna', 'Vienna']],
  Ireland: [['Dublin', 'Leinster']], Norway: [['Oslo', 'Oslo']], Italy: [['Milan', 'Lombardy'], ['Rome', 'Lazio']], Sweden: [['Stockholm', 'Stockholm']],
  Poland: [['Warsaw', 'Masovia']], Canada: [['Toronto', 'Ontario'], ['Vancouver', 'British Columbia']], Denmark: [['Copenhagen', 'Capital Region']],
};
const JOB_TITLES = [
  'Head of Sales', 'VP Sales', 'Sales Development Representative', 'Account Executive', 'Chief Revenue Officer', 'Marketing Manager',
  'Head of Marketing', 'Growth Lead', 'CTO', 'CEO', 'Co-Founder', 'Operations Manager', 'RevOps Lead', 'Customer Success Manager',
  'Procurement Manager', 'Product Manager', 'Engineering Manager', 'Data Analyst', 'CFO', 'Business Development Manager',
];
const OWNERS: [string, string][] = [
  ['Sarah', 'Connor'], ['Tom', 'Becker'], ['Aylin', 'Yilmaz'], ['Marcus', 'Lindqvist'], ['Julia', 'Neumann'], ['David', 'Okafor'],
];

/** Fixed reference time so demo data (and its timestamps) are the same for a seed on any day. */
export const SEED_EPOCH = Date.UTC(2025, 0, 6, 9, 0, 0);

function ascii(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-zA-Z]/g, '').toLowerCase();
}

function phone(rng: Rng, country: string): string {
  const cc = country === 'Germany' ? '+49' : country === 'United Kingdom' ? '+44' : country === 'France' ? '+33' : country === 'Spain' ? '+34' : '+1';
  return `${cc} ${rng.int(100, 999)} ${rng.int(1000000, 9999999)}`;
}

interface SeedContext {
  rng: Rng;
  companies: { id: string; domain: string; country: string; name: string }[];
  owners: Owner[];
}

function contactValues(ctx: SeedContext, n: number): { values: Record<string, string>; companyId: string } {
  const { rng } = ctx;
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const company = rng.pick(ctx.companies);
  const [city, state] = rng.pick(CITIES[company.country] ?? [['Berlin', 'Berlin']]);
  const stage = rng.pick(['subscriber', 'lead', 'lead', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity']);
  const values: Record<string, string> = {
    firstname: first,
    lastname: last,
    email: `${ascii(first)}.${ascii(last)}${n > 0 ? n : ''}@${company.domain}`,
    jobtitle: rng.pick(JOB_TITLES),
    company: company.name,
    website: `https://${company.domain}`,
    phone: phone(rng, company.country),
    city,
    state,
    country: company.country,
    lifecyclestage: stage,
    hubspot_owner_id: rng.pick(ctx.owners).id,
    hs_language: company.country === 'Germany' || company.country === 'Austria' ? 'de' : company.country === 'France' ? 'fr' : 'en',
  };
  if (rng.chance(0.8)) values['hs_lead_status'] = rng.pick(LEAD_STATUSES)[0];
  if (rng.chance(0.5)) values['linkedin_url'] = `https://www.linkedin.com/in/${ascii(first)}-${ascii(last)}-${rng.int(1000, 9999)}`;
  if (rng.chance(0.3)) values['conduit_score'] = String(rng.int(10, 99));
  if (rng.chance(0.15)) values['mobilephone'] = phone(rng, company.country);
  return { values, companyId: company.id };
}

/** Populate a fresh store with the demo portal for `seed`. Same seed → same data. */
export function seedDemoData(store: HubspotStore, seed: number, opts: { contacts?: number } = {}): void {
  const rng = createRng(seed);
  let clock = SEED_EPOCH;
  const tick = (): number => (clock += rng.int(20_000, 600_000));

  const owners: Owner[] = OWNERS.map(([firstName, lastName], i) => ({
    id: String(70_000_001 + i * 37),
    email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}@conduit-demo.example`,
    firstName,
    lastName,
    userId: 9_100_001 + i,
    createdAt: new Date(SEED_EPOCH - 90 * 86_400_000).toISOString(),
    updatedAt: new Date(SEED_EPOCH - 30 * 86_400_000).toISOString(),
    archived: false,
    teams: [{ id: i < 3 ? '501' : '502', name: i < 3 ? 'DACH Sales' : 'International Sales', primary: true }],
    type: 'PERSON' as const,
  }));
  for (const owner of owners) store.owners.set(owner.id, owner);
  // Owner ids are validated like HubSpot validates hubspot_owner_id.
  for (const type of ['contacts', 'companies', 'deals'] as const) {
    const def = store.propertyMap(type).get('hubspot_owner_id');
    if (def) def.options = owners.map((o, i) => ({ label: `${o.firstName} ${o.lastName}`, value: o.id, displayOrder: i, hidden: false }));
  }

  const companies = COMPANIES.map(([name, domain, industry, country]) => {
    const [city, state] = rng.pick(CITIES[country] ?? [['Berlin', 'Berlin']]);
    const record = store.insert('companies', {
      name, domain, website: `https://${domain}`, industry, country, city, state,
      numberofemployees: String(rng.pick([12, 35, 80, 150, 420, 900, 2500])),
      annualrevenue: String(rng.int(5, 500) * 100_000),
      lifecyclestage: 'lead',
      hubspot_owner_id: rng.pick(owners).id,
      type: 'PROSPECT',
    }, { at: tick(), silent: true, source: 'IMPORT' });
    return { id: record.id, domain, country, name };
  });

  const ctx: SeedContext = { rng, companies, owners };
  const contactIds: string[] = [];
  const contactCount = opts.contacts ?? 300;
  for (let i = 0; i < contactCount; i++) {
    const { values, companyId } = contactValues(ctx, i);
    const record = store.insert('contacts', values, { at: tick(), silent: true, source: 'IMPORT' });
    store.associate('contacts', record.id, 'companies', companyId, 1);
    contactIds.push(record.id);
  }

  // Deals across the default pipeline; closed-won deals make their company and contacts customers.
  for (let i = 0; i < 60; i++) {
    const company = rng.pick(companies);
    const [stage] = rng.pick(DEAL_STAGES);
    const at = tick();
    const deal = store.insert('deals', {
      dealname: `${company.name} – ${rng.pick(['Pilot', 'Annual licence', 'Expansion', 'Renewal', 'Team plan'])}`,
      amount: String(rng.int(5, 120) * 1000),
      dealstage: stage,
      pipeline: 'default',
      closedate: new Date(at + rng.int(5, 90) * 86_400_000).toISOString(),
      hubspot_owner_id: rng.pick(owners).id,
      dealtype: rng.chance(0.7) ? 'newbusiness' : 'existingbusiness',
    }, { at, silent: true, source: 'IMPORT' });
    store.associate('deals', deal.id, 'companies', company.id, 5);
    const companyContacts = store.associated('companies', company.id, 'contacts').map((a) => a.toId);
    const dealContact = companyContacts.length > 0 ? rng.pick(companyContacts) : undefined;
    if (dealContact !== undefined) store.associate('deals', deal.id, 'contacts', dealContact, 3);
    if (stage === 'closedwon') {
      const c = store.get('companies', company.id);
      if (c) c.properties['lifecyclestage'] = 'customer';
      for (const contactId of companyContacts) {
        const contact = store.get('contacts', contactId);
        if (contact) {
          contact.properties['lifecyclestage'] = 'customer';
          contact.properties['hs_lifecyclestage_customer_date'] = new Date(at).toISOString();
        }
      }
    }
  }

  // A timeline for some contacts: notes, emails, calls, tasks, LinkedIn messages.
  for (const contactId of contactIds.slice(0, 80)) {
    const n = rng.int(1, 3);
    for (let k = 0; k < n; k++) {
      const at = tick();
      const ts = new Date(at).toISOString();
      const kind = rng.pick(['notes', 'emails', 'calls', 'tasks', 'communications'] as const);
      const ownerId = rng.pick(owners).id;
      let values: Record<string, string>;
      let typeId: number;
      switch (kind) {
        case 'notes': values = { hs_timestamp: ts, hs_note_body: 'Discovery call notes: interested in a pilot next quarter.', hubspot_owner_id: ownerId }; typeId = 202; break;
        case 'emails': values = { hs_timestamp: ts, hs_email_subject: 'Quick question about your outbound process', hs_email_text: 'Hi, would a short call next week work?', hs_email_direction: 'EMAIL', hs_email_status: 'SENT', hubspot_owner_id: ownerId }; typeId = 198; break;
        case 'calls': values = { hs_timestamp: ts, hs_call_title: 'Intro call', hs_call_body: 'Left a voicemail.', hs_call_direction: 'OUTBOUND', hs_call_duration: String(rng.int(20, 900) * 1000), hs_call_status: 'COMPLETED', hubspot_owner_id: ownerId }; typeId = 194; break;
        case 'tasks': values = { hs_timestamp: ts, hs_task_subject: 'Follow up', hs_task_body: 'Send case study', hs_task_status: rng.pick(['NOT_STARTED', 'COMPLETED']), hs_task_type: rng.pick(['EMAIL', 'CALL', 'TODO']), hubspot_owner_id: ownerId }; typeId = 204; break;
        case 'communications': values = { hs_timestamp: ts, hs_communication_channel_type: 'LINKEDIN_MESSAGE', hs_communication_logged_from: 'CRM', hs_communication_body: 'Thanks for connecting!', hubspot_owner_id: ownerId }; typeId = 81; break;
      }
      const engagement = store.insert(kind, values, { at, silent: true, source: 'IMPORT' });
      store.associate(kind, engagement.id, 'contacts', contactId, typeId);
    }
  }

  // Lists: static ones with picked members, dynamic ones defined by filters.
  const listAt = tick();
  const addList = (name: string, processingType: HsList['processingType'], filterGroups?: FilterGroup[], members: string[] = []): HsList => {
    const list: HsList = {
      listId: store.allocateListId(), name, processingType, objectTypeId: '0-1', createdAt: listAt, updatedAt: listAt,
      members: new Map(members.map((m) => [m, listAt])), listVersion: 1, ...(filterGroups ? { filterGroups } : {}),
    };
    store.lists.set(list.listId, list);
    store.evaluateList(list, listAt);
    return list;
  };
  addList('Conference leads – SaaStr Europa 2025', 'MANUAL', undefined, rng.shuffle(contactIds).slice(0, 45));
  addList('Q1 outbound – hand-picked', 'MANUAL', undefined, rng.shuffle(contactIds).slice(0, 120));
  addList('Webinar attendees (import)', 'SNAPSHOT', [{ filters: [{ propertyName: 'hs_language', operator: 'EQ', value: 'en' }] }]);
  addList('All leads', 'DYNAMIC', [{ filters: [{ propertyName: 'lifecyclestage', operator: 'EQ', value: 'lead' }] }]);
  addList('Germany', 'DYNAMIC', [{ filters: [{ propertyName: 'country', operator: 'EQ', value: 'Germany' }] }]);
  addList('Decision makers (CEO/CTO/VP)', 'DYNAMIC', [
    { filters: [{ propertyName: 'jobtitle', operator: 'IN', values: ['ceo', 'cto', 'vp sales', 'chief revenue officer', 'cfo'] }] },
  ]);
  addList('High Conduit score', 'DYNAMIC', [{ filters: [{ propertyName: 'conduit_score', operator: 'GTE', value: '70' }] }]);
  store.bulkDone();
}

/**
 * Append `count` generated contacts quickly (benchmarks: 100,000 in a few seconds). Emails are
 * unique (`…+bulkN@domain`), dynamic lists are re-evaluated once at the end, no webhooks fire.
 */
export function seedContacts(store: HubspotStore, seed: number, count: number): { created: number; firstId?: string; lastId?: string } {
  const rng = createRng(seed * 7919 + store.count('contacts'));
  const companies = [...(store.records.get('companies')?.values() ?? [])]
    .filter((c) => c.properties['domain'] !== undefined)
    .map((c) => ({ id: c.id, domain: c.properties['domain'] ?? 'example.com', country: c.properties['country'] ?? 'Germany', name: c.properties['name'] ?? 'Company' }));
  if (companies.length === 0) companies.push({ id: '', domain: 'example.com', country: 'Germany', name: 'Example GmbH' });
  const owners = [...store.owners.values()];
  if (owners.length === 0) throw new Error('seedContacts needs owners (seed the demo data first)');
  const ctx: SeedContext = { rng, companies, owners };
  const start = store.count('contacts') + store.archived.get('contacts')!.size;
  const base = Date.now() - count;
  let firstId: string | undefined;
  let lastId: string | undefined;
  for (let i = 0; i < count; i++) {
    const { values } = contactValues(ctx, 0);
    const [local, domain] = (values['email'] ?? 'x@example.com').split('@');
    values['email'] = `${local}+bulk${start + i}@${domain}`;
    const record = store.insert('contacts', values, { at: base + i, silent: true, source: 'IMPORT' });
    firstId ??= record.id;
    lastId = record.id;
  }
  const at = Date.now();
  for (const list of store.lists.values()) if (list.processingType === 'DYNAMIC' && list.deletedAt === undefined) store.evaluateList(list, at);
  store.bulkDone();
  return { created: count, ...(firstId !== undefined ? { firstId } : {}), ...(lastId !== undefined ? { lastId } : {}) };
}
