import { describe, expect, it } from '@jest/globals';
import { Signature } from '@hubspot/api-client';
import { hubspotSignatureV3, verifyHubspotWebhook } from './hubspot.webhooks.js';

const secret = 'sandbox-hubspot-secret';
const url = 'https://conduit.example/api/webhooks/hubspot?portal=8675309';
const body = '[{"eventId":1,"subscriptionType":"contact.propertyChange","objectId":151}]';
const now = 1_714_557_600_000;

describe('HubSpot webhook signature v3', () => {
  it('matches the SDK’s own v3 signature', () => {
    expect(hubspotSignatureV3(secret, 'POST', url, body, now)).toBe(Signature.getSignature('POST', 'v3', { signature: '', clientSecret: secret, requestBody: body, url, timestamp: now }));
  });

  const signed = (overrides: Partial<{ sig: string; ts: number }> = {}) => ({
    method: 'POST',
    url,
    rawBody: body,
    headers: { 'X-HubSpot-Signature-V3': overrides.sig ?? hubspotSignatureV3(secret, 'POST', url, body, overrides.ts ?? now), 'X-HubSpot-Request-Timestamp': String(overrides.ts ?? now) },
  });

  it('accepts a fresh, correctly signed request', () => {
    expect(verifyHubspotWebhook(signed(), secret, now + 1000)).toEqual({ ok: true, timestamp: now });
  });
  it('rejects a tampered body, a wrong secret, a missing header and a stale timestamp', () => {
    expect(verifyHubspotWebhook({ ...signed(), rawBody: body.replace('151', '152') }, secret, now)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyHubspotWebhook(signed(), 'other-secret', now)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyHubspotWebhook({ ...signed(), headers: {} }, secret, now)).toEqual({ ok: false, reason: 'missing_headers' });
    expect(verifyHubspotWebhook(signed({ ts: now - 6 * 60_000 }), secret, now)).toEqual({ ok: false, reason: 'stale' });
  });
  it('signs the URI with HubSpot’s decoded characters', () => {
    const encoded = 'https://conduit.example/api/webhooks/hubspot%3Fa%3D1';
    expect(hubspotSignatureV3(secret, 'POST', encoded, body, now)).toBe(hubspotSignatureV3(secret, 'POST', 'https://conduit.example/api/webhooks/hubspot?a%3D1', body, now));
  });
});
