import type { EngagementState } from '@conduit/contracts';

export const DEMO_WORKSPACE = 'Acme Outbound';
export const DEMO_PASSWORD = 'conduit-demo';
export const DEMO_USERS = [
  { name: 'Alex Admin', email: 'admin@conduit.local', role: 'admin' },
  { name: 'Morgan Member', email: 'member@conduit.local', role: 'member' },
] as const;

export const DEMO_COMPANIES = [
  { name: 'Northwind Logistics', domain: 'northwind-logistics.com', industry: 'Logistics', employeeCount: 1200, city: 'Rotterdam', country: 'Netherlands' },
  { name: 'Bluefin Analytics', domain: 'bluefin-analytics.io', industry: 'Software', employeeCount: 85, city: 'Berlin', country: 'Germany' },
  { name: 'Copperleaf Health', domain: 'copperleafhealth.com', industry: 'Healthcare', employeeCount: 430, city: 'Boston', country: 'United States' },
  { name: 'Helios Solar', domain: 'heliossolar.eu', industry: 'Energy', employeeCount: 260, city: 'Madrid', country: 'Spain' },
  { name: 'Quarry & Vine', domain: 'quarryandvine.co.uk', industry: 'Retail', employeeCount: 140, city: 'Manchester', country: 'United Kingdom' },
  { name: 'Stratus Cloudworks', domain: 'stratuscloudworks.com', industry: 'Software', employeeCount: 620, city: 'Austin', country: 'United States' },
  { name: 'Lumen Robotics', domain: 'lumenrobotics.ai', industry: 'Manufacturing', employeeCount: 310, city: 'Munich', country: 'Germany' },
  { name: 'Pinecrest Insurance', domain: 'pinecrest-insurance.com', industry: 'Insurance', employeeCount: 2100, city: 'Toronto', country: 'Canada' },
  { name: 'Marigold Foods', domain: 'marigoldfoods.fr', industry: 'Food & Beverage', employeeCount: 950, city: 'Lyon', country: 'France' },
  { name: 'Tessellate Design', domain: 'tessellate.design', industry: 'Design', employeeCount: 24, city: 'Copenhagen', country: 'Denmark' },
  { name: 'Ironbridge Capital', domain: 'ironbridgecapital.com', industry: 'Financial Services', employeeCount: 180, city: 'New York', country: 'United States' },
  { name: 'Kestrel Security', domain: 'kestrelsec.com', industry: 'Cybersecurity', employeeCount: 140, city: 'Tel Aviv', country: 'Israel' },
  { name: 'Orchard EdTech', domain: 'orchard-edu.com', industry: 'Education', employeeCount: 75, city: 'Dublin', country: 'Ireland' },
  { name: 'Saltmarsh Biotech', domain: 'saltmarshbio.com', industry: 'Biotechnology', employeeCount: 390, city: 'Cambridge', country: 'United Kingdom' },
  { name: 'Vantage Mobility', domain: 'vantagemobility.se', industry: 'Automotive', employeeCount: 1500, city: 'Gothenburg', country: 'Sweden' },
] as const;

const FIRST = ['Emma', 'Liam', 'Sofia', 'Noah', 'Mia', 'Lucas', 'Amara', 'Mateo', 'Chloe', 'Arjun', 'Hannah', 'Kenji', 'Zoe', 'Omar', 'Ingrid', 'Diego', 'Priya', 'Felix', 'Leila', 'Tomás'];
const LAST = ['Johansson', 'Okafor', 'Müller', 'García', 'Nakamura', 'Dubois', 'Rossi', 'Kowalski', 'Patel', 'Andersen', 'Silva', "O'Brien", 'Nguyen', 'Schmidt', 'Haddad', 'Fischer', 'Moreau', 'Bianchi', 'Larsen', 'Novak'];
const TITLES = ['VP of Sales', 'Head of Revenue Operations', 'Sales Development Manager', 'Chief Revenue Officer', 'Account Executive', 'Director of Marketing', 'Head of Growth', 'CTO', 'Operations Manager', 'Founder & CEO'];
const LEAD_STATUSES = ['New', 'Open', 'In Progress', 'Attempted to Contact', 'Connected', 'Qualified', 'Unqualified', 'Bad Timing'];
/** Weighted so the demo shows a realistic funnel: most people not yet contacted, few positive replies. */
const ENGAGEMENT: EngagementState[] = ['not_contacted', 'not_contacted', 'contacted', 'not_contacted', 'contacted', 'replied', 'contacted', 'replied_positive', 'not_contacted', 'replied_negative'];
const REASONS = [
  'Hiring SDRs in the last quarter; uses a legacy CRM export.',
  'Raised a Series B; sales team doubled.',
  'Visited pricing page twice this week.',
  'Competitor customer with a renewal in 3 months.',
  null,
];

export interface DemoPerson {
  firstName: string;
  lastName: string;
  email: string;
  jobTitle: string;
  phone: string;
  city: string;
  country: string;
  linkedinUrl: string;
  companyDomain: string;
  companyName: string;
  leadStatus: string;
  engagementState: EngagementState;
  qualificationReasoning: string | null;
  /** Index into DEMO_USERS, or null for unassigned. */
  assignee: number | null;
  customAttributes: Record<string, unknown>;
}

function slug(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]/g, '');
}

/** 60 deterministic people (same output on every run, so the seed stays idempotent). */
export function demoPeople(count = 60): DemoPerson[] {
  return Array.from({ length: count }, (_, i) => {
    const firstName = FIRST[i % FIRST.length]!;
    const lastName = LAST[(i * 7 + 3) % LAST.length]!;
    const company = DEMO_COMPANIES[i % DEMO_COMPANIES.length]!;
    const remote = i % 6 === 5;
    return {
      firstName,
      lastName,
      email: `${slug(firstName)}.${slug(lastName)}@${company.domain}`,
      jobTitle: TITLES[(i * 3) % TITLES.length]!,
      phone: `+1 415 555 01${String(i).padStart(2, '0')}`,
      city: remote ? 'Lisbon' : company.city,
      country: remote ? 'Portugal' : company.country,
      linkedinUrl: `https://www.linkedin.com/in/${slug(firstName)}-${slug(lastName)}-${i}`,
      companyDomain: company.domain,
      companyName: company.name,
      leadStatus: LEAD_STATUSES[(i * 5) % LEAD_STATUSES.length]!,
      engagementState: ENGAGEMENT[i % ENGAGEMENT.length]!,
      qualificationReasoning: REASONS[i % REASONS.length] ?? null,
      assignee: i % 3 === 2 ? null : i % 3,
      customAttributes: { source: i % 2 ? 'Apollo export' : 'Conference list', tier: ['A', 'B', 'C'][i % 3] },
    };
  });
}
