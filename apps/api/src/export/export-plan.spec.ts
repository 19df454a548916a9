import { describe, expect, it } from '@jest/globals';
import { ENGAGEMENT_STATES, EXPORT_POLICIES } from '@conduit/contracts';
import type { Company } from '../companies/company.entity.js';
import type { Person } from '../people/person.entity.js';
import { companyDomainOf, meetsPolicy, salesforceObjectOfId } from './export-plan.js';

const person = (p: Partial<Person>): Person => ({ email: null, ...p }) as Person;
const company = (c: Partial<Company>): Company => ({ domain: null, website: null, ...c }) as Company;

describe('meetsPolicy', () => {
  const expected: Record<string, string[]> = {
    all_contacted: ['contacted', 'replied', 'replied_positive', 'replied_negative'],
    replied: ['replied', 'replied_positive', 'replied_negative'],
    replied_positive: ['replied_positive'],
  };
  for (const policy of EXPORT_POLICIES) {
    for (const state of ENGAGEMENT_STATES) {
      it(`${policy} × ${state}`, () => {
        expect(meetsPolicy(policy, state)).toBe(expected[policy]!.includes(state));
      });
    }
  }
});

describe('companyDomainOf', () => {
  it('prefers the company domain, then its website, normalized', () => {
    expect(companyDomainOf(person({ email: 'a@other.io' }), company({ domain: 'Acme.com' }))).toBe('acme.com');
    expect(companyDomainOf(person({ email: 'a@other.io' }), company({ website: 'https://www.acme.com/about' }))).toBe('acme.com');
  });
  it('falls back to the email domain', () => {
    expect(companyDomainOf(person({ email: 'ada@Analytical.Engines.co.uk' }), null)).toBe('analytical.engines.co.uk');
  });
  it('never uses a free-mail domain', () => {
    expect(companyDomainOf(person({ email: 'ada@gmail.com' }), null)).toBeNull();
    expect(companyDomainOf(person({ email: 'ada@yahoo.co.uk' }), company({ website: 'https://gmail.com' }))).toBeNull();
  });
  it('no email and no company: none', () => {
    expect(companyDomainOf(person({}), null)).toBeNull();
  });
});

describe('salesforceObjectOfId', () => {
  it('maps key prefixes', () => {
    expect(salesforceObjectOfId('00Q8d00000AbCdEEAZ')).toBe('lead');
    expect(salesforceObjectOfId('0038d00000AbCdEEAZ')).toBe('contact');
    expect(salesforceObjectOfId('0018d00000AbCdEEAZ')).toBeNull();
  });
});
