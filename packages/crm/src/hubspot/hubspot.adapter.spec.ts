import { describe, expect, it } from '@jest/globals';
import { fixture } from '../../test/support/replay-server.js';
import { decodeHubspotCursor, encodeHubspotCursor, matchResults } from './hubspot.adapter.js';
import { HUBSPOT_PRODUCTION, HUBSPOT_SCOPES, hubspotOAuthUrls, hubspotRecordUrl, hubspotSandboxEndpoints, recordAssociationTypeId } from './hubspot.metadata.js';
import { hubspotAuthorizeUrl } from './hubspot.oauth.js';

const fx = (name: string): URL => new URL(`./__fixtures__/${name}`, import.meta.url);

describe('matchResults (batch answers → one result per input)', () => {
  it('attributes a 207 by objectWriteTraceId: good records ok, the bad one gets its validation error', async () => {
    const res = await fixture<never>(fx('batch-create-207.json'));
    const items = [0, 1, 2].map((index) => ({ index, input: `in${index}` }));
    const out = matchResults('contact', items, res, () => null, true);
    expect(out[0]).toEqual({ index: 0, ok: true, id: '301', object: 'contact', created: true });
    expect(out[2]).toEqual({ index: 2, ok: true, id: '302', object: 'contact', created: true });
    const bad = out[1];
    expect(bad?.ok).toBe(false);
    if (bad && !bad.ok) expect(bad.error.details).toEqual({ kind: 'validation', fields: [{ field: 'email', code: 'INVALID_EMAIL', message: 'Email address b@@two is invalid' }] });
  });

  it('matches upsert results by key when there is no trace id, with new → created', async () => {
    const res = await fixture<never>(fx('batch-upsert.json'));
    const items = [
      { index: 0, input: 'fresh@acme.example' },
      { index: 1, input: 'known@acme.example' },
    ];
    const out = matchResults('contact', items, res, (it) => it.input, null, (o) => o.properties['email'] ?? '');
    expect(out).toEqual([
      { index: 0, ok: true, id: '9777', object: 'contact', created: true },
      { index: 1, ok: true, id: '9501', object: 'contact', created: false },
    ]);
  });

  it('falls back to position when the answer has one result per input and no errors', () => {
    const out = matchResults('company', [{ index: 4, input: 'x' }], { results: [{ id: '9', properties: {} }] }, () => null, true);
    expect(out).toEqual([{ index: 4, ok: true, id: '9', object: 'company', created: true }]);
  });

  it('an error that names no record goes to the unaccounted inputs', () => {
    const out = matchResults(
      'contact',
      [
        { index: 0, input: 'a' },
        { index: 1, input: 'b' },
      ],
      { results: [{ id: '1', properties: {}, objectWriteTraceId: '0' }], errors: [{ category: 'OBJECT_NOT_FOUND', message: 'gone' }] },
      () => null,
      false,
    );
    expect(out[0]).toMatchObject({ ok: true, id: '1' });
    expect(out[1]).toMatchObject({ ok: false });
    const second = out[1];
    if (second && !second.ok) expect(second.error.kind).toBe('not_found');
  });
});

describe('HubSpot sync cursor', () => {
  it('round-trips and rejects garbage', () => {
    const c = { v: 1 as const, m: 'search' as const, since: 1714557600000, after: '200' };
    expect(decodeHubspotCursor(encodeHubspotCursor(c))).toEqual(c);
    expect(() => decodeHubspotCursor('not-a-cursor')).toThrow(RangeError);
  });
});

describe('HubSpot metadata', () => {
  it('builds the authorize URL from configuration (not app.hubspot.com) with scopes and state', () => {
    const url = new URL(
      hubspotAuthorizeUrl({ endpoints: hubspotSandboxEndpoints('http://127.0.0.1:4010/'), clientId: 'cid', clientSecret: 's', redirectUri: 'http://localhost:3000/cb' }, 'st@te'),
    );
    expect(url.origin + url.pathname).toBe('http://127.0.0.1:4010/oauth/authorize');
    expect(url.searchParams.get('client_id')).toBe('cid');
    expect(url.searchParams.get('redirect_uri')).toBe('http://localhost:3000/cb');
    expect(url.searchParams.get('state')).toBe('st@te');
    expect(url.searchParams.get('scope')?.split(' ')).toEqual([...HUBSPOT_SCOPES]);
    const prod = new URL(hubspotAuthorizeUrl({ endpoints: HUBSPOT_PRODUCTION, clientId: 'c', clientSecret: 's', redirectUri: 'https://app.conduit.example/cb' }, 'x'));
    expect(prod.host).toBe('app.hubspot.com');
  });

  it('derives token URLs from the configured API host', () => {
    expect(hubspotOAuthUrls(HUBSPOT_PRODUCTION).token).toBe('https://api.hubapi.com/oauth/v1/token');
    expect(hubspotOAuthUrls(hubspotSandboxEndpoints('http://127.0.0.1:4010/')).token).toBe('http://127.0.0.1:4010/oauth/v1/token');
  });

  it('builds record links: real pattern vs sandbox UI', () => {
    expect(hubspotRecordUrl(HUBSPOT_PRODUCTION, 8675309, 'contact', '151')).toBe('https://app.hubspot.com/contacts/8675309/record/0-1/151');
    expect(hubspotRecordUrl(HUBSPOT_PRODUCTION, 8675309, 'company', '9')).toBe('https://app.hubspot.com/contacts/8675309/record/0-2/9');
    expect(hubspotRecordUrl(hubspotSandboxEndpoints('http://127.0.0.1:4010'), 1, 'contact', '151')).toBe('http://127.0.0.1:4010/__sandbox/ui/contacts/151');
  });

  it('knows the real association type ids', () => {
    expect(recordAssociationTypeId('contact', 'company')).toBe(279);
    expect(recordAssociationTypeId('contact', 'company', true)).toBe(1);
    expect(recordAssociationTypeId('deal', 'contact')).toBe(3);
    expect(recordAssociationTypeId('deal', 'company')).toBe(341);
    expect(recordAssociationTypeId('lead', 'company')).toBeNull();
  });
});
