import type { Rng } from '../common/rng.js';
import { makeId } from './ids.js';
import { INDUSTRIES, LEAD_SOURCES, OPPORTUNITY_STAGES, RATINGS, STAGE_PROBABILITY } from './schema.js';
import type { SalesforceStore } from './store.js';
import { toSfDateTime, type SfRecord } from './values.js';

export const ORG_ID = makeId('00D', 1);
export const ORG_NAME = 'Northwind Demo Org';

const FIRST = ['Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Elijah', 'Sophia', 'James', 'Isabella', 'Lucas', 'Mia', 'Mateo', 'Amelia', 'Ethan', 'Harper', 'Aiden', 'Evelyn', 'Oliver', 'Abigail', 'Leo', 'Emily', 'Jack', 'Ella', 'Henry', 'Chloe', 'Samuel', 'Grace', 'David', 'Zoe', 'Daniel', 'Nora', 'Ravi', 'Aisha', 'Kenji', 'Mei', 'Carlos', 'Lucia', 'Jonas', 'Freya', 'Omar', 'Fatima', 'Pierre', 'Chiara', 'Arjun', 'Yuki', 'Tomasz', 'Ingrid', 'Kwame', 'Sana', 'Diego'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Walker', 'Hall', 'Young', 'King', 'Patel', 'Nguyen', 'Kim', 'Tanaka', 'Schmidt', 'Müller', 'Dubois', "O'Brien", 'Kowalski', 'Rossi', 'Silva', 'Novak', 'Andersen', 'Haddad', 'Mensah', 'Ivanova', 'Fischer', 'Costa', 'Larsen', 'Ahmed'];
const COMPANIES: [string, string, (typeof INDUSTRIES)[number]][] = [
  ['Acme Robotics', 'acmerobotics.com', 'Machinery'], ['Globex Analytics', 'globexanalytics.io', 'Technology'], ['Initech Systems', 'initech.com', 'Technology'],
  ['Umbrella Health', 'umbrellahealth.com', 'Healthcare'], ['Stark Logistics', 'starklogistics.com', 'Transportation'], ['Wayne Capital', 'waynecapital.com', 'Finance'],
  ['Hooli Cloud', 'hooli.cloud', 'Technology'], ['Pied Piper', 'piedpiper.net', 'Technology'], ['Vandelay Industries', 'vandelay.com', 'Manufacturing'],
  ['Soylent Foods', 'soylentfoods.com', 'Food & Beverage'], ['Cyberdyne Labs', 'cyberdynelabs.ai', 'Electronics'], ['Tyrell Biotech', 'tyrellbio.com', 'Biotechnology'],
  ['Wonka Confections', 'wonka.co', 'Food & Beverage'], ['Gringotts Bank', 'gringotts.bank', 'Banking'], ['Oceanic Airlines', 'oceanicair.com', 'Transportation'],
  ['Massive Dynamic', 'massivedynamic.com', 'Engineering'], ['Aperture Science', 'aperturescience.com', 'Engineering'], ['Black Mesa Energy', 'blackmesa.energy', 'Energy'],
  ['Nakatomi Trading', 'nakatomi.co.jp', 'Retail'], ['Dunder Mifflin', 'dundermifflin.com', 'Retail'], ['Sterling Cooper', 'sterlingcooper.com', 'Media'],
  ['Bluth Homes', 'bluthhomes.com', 'Construction'], ['Prestige Worldwide', 'prestigeworldwide.com', 'Entertainment'], ['Monarch Insurance', 'monarchins.com', 'Insurance'],
  ['Northwind Traders', 'northwindtraders.com', 'Shipping'], ['Contoso Pharma', 'contosopharma.com', 'Healthcare'], ['Fabrikam Telecom', 'fabrikamtel.com', 'Telecommunications'],
  ['Tailspin Toys', 'tailspintoys.com', 'Recreation'], ['Woodgrove Financial', 'woodgrove.finance', 'Finance'], ['Litware Learning', 'litware.edu', 'Education'],
  ['Adventure Works', 'adventure-works.com', 'Apparel'], ['Proseware', 'proseware.io', 'Consulting'], ['Lucerne Publishing', 'lucernepublishing.com', 'Media'],
  ['Coho Vineyard', 'cohovineyard.com', 'Agriculture'], ['Fourth Coffee', 'fourthcoffee.com', 'Hospitality'], ['Alpine Ski House', 'alpineskihouse.com', 'Recreation'],
  ['Blue Yonder Air', 'blueyonderair.com', 'Transportation'], ['Graphic Design Institute', 'graphicdesigninstitute.org', 'Education'], ['Humongous Insurance', 'humongousins.com', 'Insurance'],
  ['Margie Travel', 'margiestravel.com', 'Hospitality'], ['Trey Research', 'treyresearch.net', 'Consulting'], ['Wide World Importers', 'wideworldimporters.com', 'Shipping'],
  ['City Power & Light', 'cpandl.com', 'Utilities'], ['Greenleaf Environmental', 'greenleaf.eco', 'Environmental'], ['Helios Chemicals', 'helioschem.com', 'Chemicals'],
];
const TITLES = ['VP of Sales', 'Head of Growth', 'Sales Operations Manager', 'CTO', 'Director of Marketing', 'Account Executive', 'RevOps Lead', 'CEO', 'Founder', 'Head of Partnerships', 'Marketing Manager', 'SDR Manager', 'Chief Revenue Officer', 'Procurement Lead', 'IT Director'];
const PLACES: [string, string, string, string][] = [
  ['San Francisco', 'CA', 'USA', '94105'], ['New York', 'NY', 'USA', '10001'], ['Austin', 'TX', 'USA', '73301'], ['Chicago', 'IL', 'USA', '60601'], ['Boston', 'MA', 'USA', '02108'],
  ['Seattle', 'WA', 'USA', '98101'], ['London', 'England', 'United Kingdom', 'EC1A 1BB'], ['Berlin', 'Berlin', 'Germany', '10115'], ['Paris', 'Île-de-France', 'France', '75001'],
  ['Toronto', 'ON', 'Canada', 'M5H 2N2'], ['Amsterdam', 'North Holland', 'Netherlands', '1012'], ['Dublin', 'Leinster', 'Ireland', 'D02'], ['Sydney', 'NSW', 'Australia', '2000'],
];
const FREE_MAIL = ['gmail.com', 'outlook.com', 'yahoo.com', 'proton.me'];
const TASK_SUBJECTS: [string, string][] = [['Call', 'Discovery call'], ['Email', 'Intro email: {company} x Northwind'], ['Email', 'Follow-up: pricing deck'], ['Task', 'Send case study'], ['Call', 'Left voicemail'], ['LinkedIn', 'LinkedIn connection request'], ['Task', 'Prepare proposal']];

/** Seeded records are dated in 2025 so that anything written at runtime sorts after them. */
const SEED_EPOCH = Date.UTC(2025, 0, 6, 9, 0, 0);
const HOUR = 3_600_000;

function ascii(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z]/g, '').toLowerCase();
}

export interface SeedSummary {
  users: string[];
  activeUserIds: string[];
  defaultUserId: string;
}

class Clock {
  private t = SEED_EPOCH;
  /** Advance by a random 10 minutes … 6 hours; seeded stamps stay strictly increasing. */
  tick(rng: Rng): number {
    this.t += rng.int(10, 360) * 60_000;
    return this.t;
  }
}

function audit(created: number, modified: number, userId: string): SfRecord {
  return {
    IsDeleted: false,
    CreatedDate: toSfDateTime(created),
    CreatedById: userId,
    LastModifiedDate: toSfDateTime(modified),
    LastModifiedById: userId,
    SystemModstamp: toSfDateTime(modified),
  };
}

/** The org's own row (Organization has exactly one, its Id the org id): what `SELECT Name FROM Organization` reads. */
export function seedOrganization(store: SalesforceStore, createdById: string): void {
  const t = toSfDateTime(SEED_EPOCH);
  store.insertRaw('Organization', {
    Id: ORG_ID, Name: ORG_NAME, OrganizationType: 'Enterprise Edition', InstanceName: 'NA1', IsSandbox: false, Country: 'US',
    TimeZoneSidKey: 'America/Los_Angeles', IsDeleted: false, CreatedDate: t, CreatedById: createdById, LastModifiedDate: t, LastModifiedById: createdById, SystemModstamp: t,
  });
}

/** One OpportunityStage per StageName value, in picklist order; Closed Won and Closed Lost close the deal. */
export function seedOpportunityStages(store: SalesforceStore, createdById: string): void {
  const def = store.resolveType('OpportunityStage');
  if (def === undefined) throw new Error('OpportunityStage');
  const t = toSfDateTime(SEED_EPOCH);
  OPPORTUNITY_STAGES.forEach((stage, i) => {
    const closed = stage === 'Closed Won' || stage === 'Closed Lost';
    store.insertRaw('OpportunityStage', {
      Id: store.nextId(def), MasterLabel: stage, ApiName: stage, IsActive: true, SortOrder: i + 1, IsClosed: closed, IsWon: stage === 'Closed Won',
      ForecastCategoryName: closed ? (stage === 'Closed Won' ? 'Closed' : 'Omitted') : 'Pipeline', DefaultProbability: STAGE_PROBABILITY[stage] ?? 0, Description: null,
      IsDeleted: false, CreatedDate: t, CreatedById: createdById, LastModifiedDate: t, LastModifiedById: createdById, SystemModstamp: t,
    });
  });
}

/** The demo org: users, accounts, contacts, leads (some converted), opportunities, campaigns, activities. */
export function seedOrg(store: SalesforceStore, rng: Rng): SeedSummary {
  const clock = new Clock();
  const nextId = (type: string): string => {
    const def = store.resolveType(type);
    if (def === undefined) throw new Error(type);
    return store.nextId(def);
  };
  const userSpecs: [string, string, string, string, boolean][] = [
    ['Alex', 'Morgan', 'Sales Director', 'Sales', true],
    ['Priya', 'Shah', 'Sales Development Rep', 'Sales', true],
    ['Marcus', 'Chen', 'Account Executive', 'Sales', true],
    ['Sofia', 'Rossi', 'Account Executive', 'Sales', true],
    ['Daniel', 'Okafor', 'Sales Development Rep', 'Sales', true],
    ['Hannah', 'Becker', 'Sales Operations', 'Operations', true],
    ['Tom', 'Weller', 'Account Executive', 'Sales', false],
  ];
  const users: string[] = [];
  for (const [first, last, title, dept, active] of userSpecs) {
    const id = nextId('User');
    const email = `${first.toLowerCase()}.${last.toLowerCase()}@northwind-demo.com`;
    const t = clock.tick(rng);
    store.insertRaw('User', {
      Id: id, Username: email, FirstName: first, LastName: last, Name: `${first} ${last}`, Email: email,
      Alias: (first.slice(0, 1) + last.slice(0, 4)).toLowerCase(), Title: title, Department: dept, CompanyName: 'Northwind Demo',
      IsActive: active, TimeZoneSidKey: 'America/Los_Angeles', UserType: 'Standard', ...audit(t, t, id),
    });
    users.push(id);
  }
  const defaultUserId = users[0] as string;
  seedOrganization(store, defaultUserId);
  seedOpportunityStages(store, defaultUserId);
  const activeUserIds = users.slice(0, 6);
  const owner = (): string => rng.pick(activeUserIds);

  // Accounts
  const accounts: { id: string; name: string; domain: string; industry: string }[] = [];
  for (const [name, domain, industry] of COMPANIES.slice(0, 42)) {
    const id = nextId('Account');
    const [city, state, country, zip] = rng.pick(PLACES);
    const created = clock.tick(rng);
    const type = rng.chance(0.35) ? 'Customer' : rng.pick(['Prospect', 'Prospect', 'Customer - Direct', 'Channel Partner / Reseller', 'Technology Partner', 'Other']);
    store.insertRaw('Account', {
      Id: id, Name: name, Type: type, Website: `https://www.${domain}`, Domain__c: domain, Industry: industry,
      Phone: `+1 (${rng.int(200, 989)}) 555-${String(rng.int(1000, 9999))}`, BillingStreet: `${rng.int(1, 999)} Market Street`,
      BillingCity: city, BillingState: state, BillingCountry: country, BillingPostalCode: zip,
      NumberOfEmployees: rng.pick([12, 45, 120, 350, 800, 2500, 12000]), AnnualRevenue: rng.int(5, 900) * 100_000,
      Description: `${name} — ${industry.toLowerCase()} company headquartered in ${city}.`, OwnerId: owner(), ...audit(created, created + rng.int(0, 48) * HOUR, defaultUserId),
    });
    accounts.push({ id, name, domain, industry });
  }

  const usedEmails = new Set<string>();
  const person = (domain: string | undefined): { first: string; last: string; email: string } => {
    for (;;) {
      const first = rng.pick(FIRST);
      const last = rng.pick(LAST);
      const emailDomain = domain ?? rng.pick(FREE_MAIL);
      const local = domain === undefined ? `${ascii(first)}${ascii(last)}${rng.int(1, 99)}` : `${ascii(first)}.${ascii(last)}`;
      const email = `${local}@${emailDomain}`;
      if (!usedEmails.has(email)) {
        usedEmails.add(email);
        return { first, last, email };
      }
    }
  };

  // Contacts (~100), each at an account
  const contacts: { id: string; accountId: string; first: string; last: string; email: string; title: string }[] = [];
  for (let i = 0; i < 100; i++) {
    const account = accounts[i % accounts.length] ?? accounts[0];
    if (account === undefined) break;
    const p = person(account.domain);
    const id = nextId('Contact');
    const [city, state, country, zip] = rng.pick(PLACES);
    const created = clock.tick(rng);
    const title = rng.pick(TITLES);
    store.insertRaw('Contact', {
      Id: id, AccountId: account.id, FirstName: p.first, LastName: p.last, Name: `${p.first} ${p.last}`, Email: p.email, Title: title,
      Phone: `+1 (${rng.int(200, 989)}) 555-${String(rng.int(1000, 9999))}`, MailingCity: city, MailingState: state, MailingCountry: country,
      MailingPostalCode: zip, LeadSource: rng.pick(LEAD_SOURCES), HasOptedOutOfEmail: rng.chance(0.05), DoNotCall: rng.chance(0.05),
      OwnerId: owner(), ...audit(created, created + rng.int(0, 72) * HOUR, defaultUserId),
    });
    contacts.push({ id, accountId: account.id, first: p.first, last: p.last, email: p.email, title });
  }

  // Leads (~250); the first 25 are converted into existing contacts/accounts
  const leads: string[] = [];
  /** Converted Lead → its Contact: Salesforce points the Lead's campaign memberships at the Contact on conversion. */
  const convertedTo = new Map<string, string>();
  const statuses = ['Open - Not Contacted', 'Open - Not Contacted', 'Working - Contacted', 'Working - Contacted', 'Closed - Not Converted'];
  for (let i = 0; i < 250; i++) {
    const id = nextId('Lead');
    const created = clock.tick(rng);
    const modified = created + rng.int(0, 240) * HOUR;
    const converted = i < 25 ? contacts[i * 4] : undefined;
    let row: SfRecord;
    if (converted !== undefined) {
      const account = accounts.find((a) => a.id === converted.accountId);
      row = {
        FirstName: converted.first, LastName: converted.last, Email: converted.email,
        Company: account?.name ?? 'Unknown', Title: converted.title, Status: 'Closed - Converted', IsConverted: true,
        ConvertedContactId: converted.id, ConvertedAccountId: converted.accountId, ConvertedDate: new Date(modified).toISOString().slice(0, 10),
        Industry: account?.industry ?? null, Website: account ? `https://www.${account.domain}` : null,
      };
    } else {
      const company = rng.chance(0.75) ? rng.pick(COMPANIES) : undefined;
      const p = person(company !== undefined && rng.chance(0.85) ? company[1] : undefined);
      const companyName = company?.[0] ?? `${p.last} ${rng.pick(['Consulting', 'Studio', 'Labs', 'Partners', 'Group'])}`;
      row = {
        FirstName: p.first, LastName: p.last, Email: rng.chance(0.95) ? p.email : null, Company: companyName, Title: rng.pick(TITLES),
        Status: rng.pick(statuses), IsConverted: false, Industry: company?.[2] ?? (rng.chance(0.5) ? rng.pick(INDUSTRIES) : null),
        Website: company ? `https://www.${company[1]}` : null,
      };
    }
    const [city, state, country, zip] = rng.pick(PLACES);
    store.insertRaw('Lead', {
      Id: id, ...row, Name: `${String(row['FirstName'])} ${String(row['LastName'])}`,
      Phone: rng.chance(0.8) ? `+1 (${rng.int(200, 989)}) 555-${String(rng.int(1000, 9999))}` : null,
      MobilePhone: rng.chance(0.4) ? `+1 (${rng.int(200, 989)}) 555-${String(rng.int(1000, 9999))}` : null,
      City: city, State: state, Country: country, PostalCode: zip, LeadSource: rng.pick(LEAD_SOURCES), Rating: rng.chance(0.6) ? rng.pick(RATINGS) : null,
      NumberOfEmployees: rng.chance(0.7) ? rng.pick([5, 25, 80, 200, 600, 1500, 7000]) : null, AnnualRevenue: rng.chance(0.5) ? rng.int(1, 500) * 100_000 : null,
      HasOptedOutOfEmail: rng.chance(0.06), HasOptedOutOfFax: false, DoNotCall: rng.chance(0.04), IsUnreadByOwner: rng.chance(0.2),
      Conduit_Score__c: rng.chance(0.6) ? rng.int(0, 10000) / 100 : null, Description: rng.chance(0.3) ? 'Downloaded the pricing guide; asked about the API.' : null,
      LinkedIn_URL__c: rng.chance(0.4) ? `https://www.linkedin.com/in/${ascii(String(row['FirstName']))}-${ascii(String(row['LastName']))}-${rng.int(100, 999)}` : null,
      OwnerId: owner(), ...audit(created, modified, defaultUserId),
    });
    leads.push(id);
    if (converted !== undefined) convertedTo.set(id, converted.id);
  }

  // Opportunities across stages, with contact roles
  for (let i = 0; i < 60; i++) {
    const account = accounts[i % accounts.length];
    if (account === undefined) break;
    const id = nextId('Opportunity');
    const stage = OPPORTUNITY_STAGES[i % OPPORTUNITY_STAGES.length] ?? 'Prospecting';
    const created = clock.tick(rng);
    const closed = stage.startsWith('Closed');
    store.insertRaw('Opportunity', {
      Id: id, AccountId: account.id, Name: `${account.name} — ${rng.pick(['Platform', 'Expansion', 'Pilot', 'Renewal', 'Enterprise'])} ${2025 + (i % 2)}`,
      StageName: stage, Amount: rng.int(5, 250) * 1000, Probability: STAGE_PROBABILITY[stage] ?? 10,
      CloseDate: new Date(created + rng.int(10, 120) * 24 * HOUR).toISOString().slice(0, 10), Type: rng.pick(['New Customer', 'Existing Customer - Upgrade']),
      LeadSource: rng.pick(LEAD_SOURCES), IsClosed: closed, IsWon: stage === 'Closed Won', ForecastCategoryName: closed ? (stage === 'Closed Won' ? 'Closed' : 'Omitted') : 'Pipeline',
      OwnerId: owner(), ...audit(created, created + rng.int(0, 96) * HOUR, defaultUserId),
    });
    const accountContacts = contacts.filter((c) => c.accountId === account.id).slice(0, 2);
    accountContacts.forEach((c, k) => {
      const t = clock.tick(rng);
      store.insertRaw('OpportunityContactRole', {
        Id: nextId('OpportunityContactRole'), OpportunityId: id, ContactId: c.id, Role: k === 0 ? 'Decision Maker' : rng.pick(['Evaluator', 'Influencer', 'Technical Buyer']),
        IsPrimary: k === 0, ...audit(t, t, defaultUserId),
      });
    });
  }

  // Campaigns with members
  const campaigns: [string, string, string][] = [['Spring Webinar: Pipeline Hygiene', 'Webinar', 'Completed'], ['SaaStr Annual Booth', 'Seminar / Conference', 'Completed'], ['Q3 Outbound — Fintech', 'Email', 'In Progress'], ['Partner Referral Program', 'Referral Program', 'In Progress'], ['Q4 Product Launch', 'Email', 'Planned']];
  for (const [name, type, status] of campaigns) {
    const id = nextId('Campaign');
    const created = clock.tick(rng);
    const members = rng.shuffle(leads).slice(0, rng.int(15, 40));
    // As after a real conversion, a converted Lead's membership also names its Contact (and that Contact is not
    // a second member of the same Campaign).
    const viaLead = new Set(members.map((l) => convertedTo.get(l)).filter((c): c is string => c !== undefined));
    const contactMembers = rng.shuffle(contacts).slice(0, rng.int(5, 15)).filter((c) => !viaLead.has(c.id));
    store.insertRaw('Campaign', {
      Id: id, Name: name, Type: type, Status: status, IsActive: status !== 'Completed', StartDate: new Date(created).toISOString().slice(0, 10),
      EndDate: new Date(created + 30 * 24 * HOUR).toISOString().slice(0, 10), NumberOfLeads: members.length, NumberOfContacts: contactMembers.length,
      OwnerId: owner(), ...audit(created, created, defaultUserId),
    });
    const addMember = (field: 'LeadId' | 'ContactId', who: string): void => {
      const contactOfLead = field === 'LeadId' ? convertedTo.get(who) : undefined;
      const t = clock.tick(rng);
      const memberStatus = rng.pick(['Sent', 'Sent', 'Responded', 'Planned']);
      store.insertRaw('CampaignMember', {
        Id: nextId('CampaignMember'), CampaignId: id, [field]: who, ...(contactOfLead ? { ContactId: contactOfLead } : {}), Status: memberStatus, HasResponded: memberStatus === 'Responded',
        FirstRespondedDate: memberStatus === 'Responded' ? new Date(t).toISOString().slice(0, 10) : null, ...audit(t, t, defaultUserId),
      });
    };
    for (const lead of members) addMember('LeadId', lead);
    for (const c of contactMembers) addMember('ContactId', c.id);
  }

  // Activities: tasks and events on leads and contacts, so timelines have content
  const whoIds = [...leads.slice(0, 120), ...contacts.map((c) => c.id)];
  for (let i = 0; i < 220; i++) {
    const who = rng.pick(whoIds);
    const [subtype, subject] = rng.pick(TASK_SUBJECTS);
    const t = clock.tick(rng);
    const done = rng.chance(0.7);
    const contact = contacts.find((c) => c.id === who);
    store.insertRaw('Task', {
      Id: nextId('Task'), WhoId: who, WhatId: contact?.accountId ?? null, Subject: subject.replace('{company}', 'your team'), TaskSubtype: subtype,
      Type: subtype === 'Call' ? 'Call' : subtype === 'Email' ? 'Email' : 'Other', Status: done ? 'Completed' : 'Not Started', IsClosed: done,
      CompletedDateTime: done ? toSfDateTime(t) : null, Priority: rng.pick(['Normal', 'Normal', 'High', 'Low']), ActivityDate: new Date(t).toISOString().slice(0, 10),
      CallDurationInSeconds: subtype === 'Call' ? rng.int(20, 1800) : null, CallType: subtype === 'Call' ? 'Outbound' : null,
      Description: subtype === 'Email' ? 'Hi — following up on our conversation about syncing your outbound data.' : null,
      OwnerId: owner(), ...audit(t, t, defaultUserId),
    });
  }
  for (let i = 0; i < 50; i++) {
    const who = rng.pick(whoIds);
    const t = clock.tick(rng);
    const start = t + rng.int(1, 14) * 24 * HOUR;
    const minutes = rng.pick([15, 30, 45, 60]);
    store.insertRaw('Event', {
      Id: nextId('Event'), WhoId: who, Subject: rng.pick(['Demo', 'Discovery meeting', 'Pricing review', 'Onboarding kickoff']), Location: rng.pick(['Zoom', 'Google Meet', 'On site']),
      StartDateTime: toSfDateTime(start), EndDateTime: toSfDateTime(start + minutes * 60_000), ActivityDateTime: toSfDateTime(start),
      ActivityDate: new Date(start).toISOString().slice(0, 10), DurationInMinutes: minutes, IsAllDayEvent: false, Type: 'Meeting',
      OwnerId: owner(), ...audit(t, t, defaultUserId),
    });
  }
  return { users, activeUserIds, defaultUserId };
}

/**
 * Benchmark data: n extra leads generated without validation. They share one
 * SystemModstamp (like a real bulk load) taken after every existing write.
 */
export function seedLeads(store: SalesforceStore, rng: Rng, n: number, ownerIds: readonly string[], userId: string, fields: SfRecord = {}): number {
  const def = store.resolveType('Lead');
  if (def === undefined) return 0;
  const stamp = store.stamp();
  const firstAscii = FIRST.map(ascii);
  const lastAscii = LAST.map(ascii);
  for (let i = 0; i < n; i++) {
    const id = store.nextId(def);
    const company = rng.pick(COMPANIES);
    const f = rng.int(0, FIRST.length - 1);
    const l = rng.int(0, LAST.length - 1);
    const first = FIRST[f] ?? 'Alex';
    const last = LAST[l] ?? 'Smith';
    store.insertRaw('Lead', {
      Id: id, IsDeleted: false, FirstName: first, LastName: last, Name: `${first} ${last}`, Company: company[0], Industry: company[2],
      Email: `${firstAscii[f] ?? ''}.${lastAscii[l] ?? ''}.${id.slice(-8).toLowerCase()}@${company[1]}`, Title: rng.pick(TITLES), Status: 'Open - Not Contacted',
      LeadSource: rng.pick(LEAD_SOURCES), IsConverted: false, HasOptedOutOfEmail: false, HasOptedOutOfFax: false, DoNotCall: false, IsUnreadByOwner: true,
      OwnerId: rng.pick(ownerIds), CreatedDate: stamp, CreatedById: userId, LastModifiedDate: stamp, LastModifiedById: userId, SystemModstamp: stamp,
      ...fields,
    });
  }
  return n;
}
