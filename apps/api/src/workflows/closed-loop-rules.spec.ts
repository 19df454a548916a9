import { describe, expect, it } from '@jest/globals';
import type { DealPipelineDto } from '@conduit/contracts';
import {
  accountGate,
  changedProperties,
  CLOSED_LOOP_WATCHED,
  dealStageFor,
  describeCompanyWrite,
  describeDealWrite,
  hubspotOwnerFor,
  isOwnEcho,
  planCompany,
  planDeal,
  sameDealValue,
} from './closed-loop-rules.js';
import { DEFAULT_ACCOUNT_COMPANY, DEFAULT_OPPORTUNITY_DEAL } from './workflow-defaults.js';
import { fingerprintValue } from './workflow-rules.js';

const PIPELINE: DealPipelineDto = {
  id: 'default',
  label: 'Sales Pipeline',
  stages: [
    { id: 'appointmentscheduled', label: 'Appointment Scheduled', closed: false },
    { id: 'qualifiedtobuy', label: 'Qualified To Buy', closed: false },
    { id: 'contractsent', label: 'Contract Sent', closed: false },
    { id: 'closedwon', label: 'Closed Won', closed: true },
    { id: 'closedlost', label: 'Closed Lost', closed: true },
  ],
};

const DIRECTORY = {
  salesforce: [
    { id: '005000000000001AAA', email: 'alex.morgan@acme.test' },
    { id: '005000000000002AAA', email: 'nobody@acme.test' },
  ],
  hubspot: [
    { id: '7001', email: 'Alex.Morgan@acme.test', active: true },
    { id: '7002', email: 'gone@acme.test', active: false },
  ],
};

describe('Opportunity → deal: stage table', () => {
  it('maps the stage case-insensitively; an unlisted or empty stage maps to nothing', () => {
    expect(dealStageFor(DEFAULT_OPPORTUNITY_DEAL, 'Closed Won')).toBe('closedwon');
    expect(dealStageFor(DEFAULT_OPPORTUNITY_DEAL, ' negotiation/review ')).toBe('contractsent');
    expect(dealStageFor(DEFAULT_OPPORTUNITY_DEAL, 'Custom Stage')).toBeNull();
    expect(dealStageFor(DEFAULT_OPPORTUNITY_DEAL, null)).toBeNull();
    expect(dealStageFor({ ...DEFAULT_OPPORTUNITY_DEAL, stages: [] }, 'Closed Won')).toBeNull();
  });

  it('every default row names a stage of HubSpot’s default pipeline', () => {
    const ids = ['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent', 'closedwon', 'closedlost'];
    for (const row of DEFAULT_OPPORTUNITY_DEAL.stages) expect(ids).toContain(row.dealstage);
  });
});

describe('Opportunity → deal: owner', () => {
  it('the owner table wins (15- and 18-character ids are the same user), then the same email among active owners', () => {
    const config = { ...DEFAULT_OPPORTUNITY_DEAL, ownerTable: [{ from: '005000000000001', to: '7777' }] };
    expect(hubspotOwnerFor(config, '005000000000001AAA', DIRECTORY)).toEqual({ ok: true, value: '7777' });
    expect(hubspotOwnerFor(DEFAULT_OPPORTUNITY_DEAL, '005000000000001AAA', DIRECTORY)).toEqual({ ok: true, value: '7001' });
  });

  it('says why there is no owner: no match by email, matching turned off, no owner', () => {
    expect(hubspotOwnerFor(DEFAULT_OPPORTUNITY_DEAL, '005000000000002AAA', DIRECTORY)).toMatchObject({ ok: false, reason: 'no HubSpot owner has the email nobody@acme.test of the Opportunity\'s owner' });
    expect(hubspotOwnerFor({ ...DEFAULT_OPPORTUNITY_DEAL, matchOwnersByEmail: false }, '005000000000001AAA', DIRECTORY)).toMatchObject({ ok: false, code: 'owner_unmapped' });
    expect(hubspotOwnerFor(DEFAULT_OPPORTUNITY_DEAL, null, DIRECTORY)).toMatchObject({ ok: false, code: 'no_owner' });
    // An inactive HubSpot owner is not assigned.
    expect(hubspotOwnerFor(DEFAULT_OPPORTUNITY_DEAL, '005X', { salesforce: [{ id: '005X', email: 'gone@acme.test' }], hubspot: DIRECTORY.hubspot })).toMatchObject({ ok: false });
  });
});

describe('Opportunity → deal: plan', () => {
  const opportunity = { Name: 'Acme — renewal', StageName: 'Qualification', Amount: 12500.5, CloseDate: '2026-12-31', OwnerId: '005000000000001AAA' };

  it('writes name, pipeline, mapped stage, amount, close date (midnight UTC) and owner', () => {
    const plan = planDeal({ config: DEFAULT_OPPORTUNITY_DEAL, opportunity, pipeline: PIPELINE, owner: { ok: true, value: '7001' } });
    expect(plan).toEqual({
      ok: true,
      value: {
        properties: { pipeline: 'default', dealstage: 'qualifiedtobuy', dealname: 'Acme — renewal', amount: '12500.5', closedate: '2026-12-31T00:00:00.000Z', hubspot_owner_id: '7001' },
        ownerNote: null,
      },
    });
  });

  it('leaves out what the Opportunity does not have and keeps the owner note', () => {
    const plan = planDeal({ config: DEFAULT_OPPORTUNITY_DEAL, opportunity: { Name: 'Bare', StageName: 'Closed Won', Amount: null, CloseDate: null }, pipeline: PIPELINE, owner: { ok: false, code: 'x', reason: 'no owner' } });
    expect(plan).toEqual({ ok: true, value: { properties: { pipeline: 'default', dealstage: 'closedwon', dealname: 'Bare' }, ownerNote: 'no owner' } });
  });

  it('refuses an unmapped stage, and a mapped stage the pipeline does not have', () => {
    expect(planDeal({ config: DEFAULT_OPPORTUNITY_DEAL, opportunity: { ...opportunity, StageName: 'Custom' }, pipeline: PIPELINE, owner: { ok: true, value: '1' } })).toMatchObject({
      ok: false,
      reason: 'Salesforce stage "Custom" has no row in the stage table',
    });
    expect(planDeal({ config: DEFAULT_OPPORTUNITY_DEAL, opportunity: { ...opportunity, StageName: 'Value Proposition' }, pipeline: PIPELINE, owner: { ok: true, value: '1' } })).toMatchObject({
      ok: false,
      code: 'stage_unknown',
    });
  });
});

describe('Opportunity → deal: change detection and words', () => {
  it('compares amounts as numbers and dates by day; a new deal gets every property', () => {
    expect(sameDealValue('amount', '12500.50', '12500.5')).toBe(true);
    expect(sameDealValue('amount', null, '0')).toBe(false);
    expect(sameDealValue('closedate', '2026-12-31T00:00:00Z', '2026-12-31T00:00:00.000Z')).toBe(true);
    expect(sameDealValue('dealstage', 'ClosedWon', 'closedwon')).toBe(true);
    const planned = { dealstage: 'closedwon', amount: '2500', closedate: '2026-12-31T00:00:00.000Z', dealname: 'Acme' };
    expect(changedProperties(planned, { dealstage: 'contractsent', amount: '2500.00', closedate: '2026-12-31T00:00:00.000Z', dealname: 'Acme' }, sameDealValue)).toEqual({ dealstage: 'closedwon' });
    expect(changedProperties(planned, null, sameDealValue)).toEqual(planned);
    expect(changedProperties(planned, planned, sameDealValue)).toEqual({});
  });

  it('says what happened to the deal in words, with stage labels', () => {
    expect(describeDealWrite({ name: 'Acme — renewal', created: false, changes: { dealstage: 'closedwon' }, current: {}, pipeline: PIPELINE })).toBe("Deal 'Acme — renewal' moved to Closed Won");
    expect(describeDealWrite({ name: 'Acme', created: false, changes: { dealstage: 'contractsent', amount: '2500' }, current: { amount: '1000' }, pipeline: PIPELINE })).toBe(
      "Deal 'Acme' moved to Contract Sent and amount 1,000 → 2,500",
    );
    expect(describeDealWrite({ name: 'Acme', created: true, changes: { dealstage: 'appointmentscheduled', amount: '1000', closedate: '2026-12-31T00:00:00.000Z' }, current: null, pipeline: PIPELINE, ownerLabel: 'Alex Morgan' })).toBe(
      "Deal 'Acme' created in Appointment Scheduled (amount 1,000, closes 2026-12-31, owner Alex Morgan)",
    );
    expect(describeDealWrite({ name: 'Acme', created: false, changes: {}, current: {}, pipeline: PIPELINE })).toBe("Deal 'Acme' already up to date");
  });
});

describe('Account → company: quality gate', () => {
  const gate = (account: Record<string, string | number | null>, config = DEFAULT_ACCOUNT_COMPANY) => accountGate(config, account);

  it('passes an Account with a name and a company website, matched on its bare domain', () => {
    expect(gate({ Name: 'Globex', Website: 'https://www.globex.io/about' })).toEqual({ ok: true, value: { domain: 'globex.io' } });
    expect(gate({ Name: 'Initech', Website: 'initech.co.uk' })).toEqual({ ok: true, value: { domain: 'initech.co.uk' } });
  });

  it('refuses Accounts without a usable domain, saying which', () => {
    expect(gate({ Name: 'Globex', Website: null })).toMatchObject({ ok: false, code: 'no_domain', reason: 'Account "Globex" has no website to match a HubSpot company on' });
    expect(gate({ Name: 'Globex', Website: 'not a website' })).toMatchObject({ ok: false, code: 'bad_domain' });
    expect(gate({ Name: 'Globex', Website: 'http://10.0.0.1' })).toMatchObject({ ok: false, code: 'bad_domain' });
    expect(gate({ Name: 'Globex', Website: 'https://mail.gmail.com' })).toMatchObject({ ok: false, code: 'blocked_domain', reason: 'Account "Globex" has the website domain mail.gmail.com, which does not identify a company' });
    expect(gate({ Name: 'Globex', Website: 'example.com' })).toMatchObject({ ok: false, code: 'blocked_domain' });
    expect(gate({ Name: 'Globex', Website: 'globex-parent.com' }, { ...DEFAULT_ACCOUNT_COMPANY, blockedDomains: ['Globex-Parent.com'] })).toMatchObject({ ok: false, code: 'blocked_domain' });
  });

  it('refuses placeholder names (built-in list, generic values and the workflow’s own list)', () => {
    for (const name of ['Test', 'unknown', 'N/A', '[not provided]', 'asdf', 'Account 12', '???', 'TBD']) {
      expect(gate({ Name: name, Website: 'globex.io' })).toMatchObject({ ok: false, code: 'placeholder_name', reason: `the Account name "${name}" looks like a placeholder` });
    }
    expect(gate({ Name: '', Website: 'globex.io' })).toMatchObject({ ok: false, code: 'no_name' });
    expect(gate({ Name: 'Sample Co', Website: 'globex.io' }, { ...DEFAULT_ACCOUNT_COMPANY, genericValues: ['sample co'] })).toMatchObject({ ok: false, code: 'placeholder_name' });
    // A real name that merely contains such a word passes.
    expect(gate({ Name: 'Test Automation GmbH', Website: 'testautomation.de' })).toMatchObject({ ok: true });
  });
});

describe('Account → company: plan and words', () => {
  const account = { Name: 'Globex', Website: 'globex.io', Industry: 'Technology', NumberOfEmployees: 320 };
  const INDUSTRIES = ['COMPUTER_SOFTWARE', 'RETAIL'];

  it('a new company gets the name, the domain and the gated values', () => {
    expect(planCompany({ config: DEFAULT_ACCOUNT_COMPANY, account, domain: 'globex.io', company: null, industryOptions: INDUSTRIES })).toEqual({
      properties: { name: 'Globex', industry: 'COMPUTER_SOFTWARE', numberofemployees: '320', domain: 'globex.io' },
      refused: [],
    });
    // Even with name unticked, a new company is named.
    expect(planCompany({ config: { ...DEFAULT_ACCOUNT_COMPANY, fields: ['industry'] }, account, domain: 'globex.io', company: null, industryOptions: INDUSTRIES }).properties).toMatchObject({ name: 'Globex' });
  });

  it('an existing company gets only what differs; empty and generic values never overwrite', () => {
    const company = { name: 'Globex', domain: 'globex.io', industry: 'RETAIL', numberofemployees: '320' };
    expect(planCompany({ config: DEFAULT_ACCOUNT_COMPANY, account, domain: 'globex.io', company, industryOptions: INDUSTRIES })).toEqual({ properties: { industry: 'COMPUTER_SOFTWARE' }, refused: [] });
    const gated = planCompany({ config: DEFAULT_ACCOUNT_COMPANY, account: { ...account, Industry: null, NumberOfEmployees: -3 }, domain: 'globex.io', company, industryOptions: INDUSTRIES });
    expect(gated.properties).toEqual({});
    expect(gated.refused.map((r) => r.field)).toEqual(['industry', 'numberofemployees']);
  });

  it('says what happened to the company in words', () => {
    expect(describeCompanyWrite({ name: 'Globex', domain: 'globex.io', created: true, changes: {}, current: null })).toBe("Company 'Globex' created for globex.io");
    expect(describeCompanyWrite({ name: 'Globex Corp', domain: 'globex.io', created: false, changes: { name: 'Globex Corp', industry: 'RETAIL' }, current: { name: 'Globex' } })).toBe(
      "Company 'Globex Corp' (globex.io) updated: renamed from 'Globex', industry set to RETAIL",
    );
  });
});

describe('no ping-pong: is a polled record Conduit’s own write?', () => {
  const watched = CLOSED_LOOP_WATCHED.deal;
  const wrote = [
    { field: 'StageName', value: 'qualification' },
    { field: 'Name', value: 'acme – doe' },
    { field: 'CloseDate', value: '2026-12-31' },
  ];

  it('yes when every field Conduit wrote still holds its value and the others are empty', () => {
    expect(isOwnEcho(watched, wrote, { Name: 'Acme – Doe', StageName: 'Qualification', CloseDate: '2026-12-31', Amount: null }, fingerprintValue)).toBe(true);
  });

  it('no when a person changed a field since, filled one Conduit left empty, or Conduit never wrote the record', () => {
    expect(isOwnEcho(watched, wrote, { Name: 'Acme – Doe', StageName: 'Closed Won', CloseDate: '2026-12-31', Amount: null }, fingerprintValue)).toBe(false);
    expect(isOwnEcho(watched, wrote, { Name: 'Acme – Doe', StageName: 'Qualification', CloseDate: '2026-12-31', Amount: 5000 }, fingerprintValue)).toBe(false);
    expect(isOwnEcho(watched, [], { Name: 'x' }, fingerprintValue)).toBe(false);
  });

  it('the newest fingerprint of a field decides', () => {
    const later = [{ field: 'StageName', value: 'closed won' }, ...wrote];
    expect(isOwnEcho(watched, later, { Name: 'Acme – Doe', StageName: 'Closed Won', CloseDate: '2026-12-31' }, fingerprintValue)).toBe(true);
    expect(isOwnEcho(watched, later, { Name: 'Acme – Doe', StageName: 'Qualification', CloseDate: '2026-12-31' }, fingerprintValue)).toBe(false);
  });
});
