/**
 * HubSpot webhook signature v3 (X-HubSpot-Signature-V3, X-HubSpot-Request-Timestamp):
 * base64(HMAC-SHA256(clientSecret, method + uri + rawBody + timestamp)), rejected when older
 * than 5 minutes. The SDK's Signature.isValid compares with `===` and reads the clock itself;
 * this compares in constant time and takes `now` so it can be tested.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const HUBSPOT_WEBHOOK_MAX_AGE_MS = 5 * 60_000;

export interface HubspotWebhookRequest {
  method: string;
  /** Full URL HubSpot called (scheme, host, path and query), as configured for the app. */
  url: string;
  /** The raw request body, exactly as received. */
  rawBody: string;
  /** Request headers (any case). */
  headers: Record<string, string | string[] | undefined>;
}

export type HubspotWebhookVerdict = { ok: true; timestamp: number } | { ok: false; reason: 'missing_headers' | 'stale' | 'bad_signature' };

/** HubSpot decodes these percent-escapes in the URI before signing. */
const DECODED: ReadonlyArray<[RegExp, string]> = [
  [/%3A/gi, ':'],
  [/%2F/gi, '/'],
  [/%3F/gi, '?'],
  [/%40/gi, '@'],
  [/%21/gi, '!'],
  [/%24/gi, '$'],
  [/%27/gi, "'"],
  [/%28/gi, '('],
  [/%29/gi, ')'],
  [/%2A/gi, '*'],
  [/%2C/gi, ','],
  [/%3B/gi, ';'],
];

export function hubspotSignatureV3(clientSecret: string, method: string, url: string, rawBody: string, timestamp: number | string): string {
  const uri = DECODED.reduce((u, [re, ch]) => u.replace(re, ch), url);
  return createHmac('sha256', clientSecret).update(`${method.toUpperCase()}${uri}${rawBody}${timestamp}`).digest('base64');
}

export function verifyHubspotWebhook(req: HubspotWebhookRequest, clientSecret: string, now = Date.now(), maxAgeMs = HUBSPOT_WEBHOOK_MAX_AGE_MS): HubspotWebhookVerdict {
  const signature = header(req.headers, 'x-hubspot-signature-v3');
  const ts = header(req.headers, 'x-hubspot-request-timestamp');
  if (!signature || !ts || !/^\d+$/.test(ts)) return { ok: false, reason: 'missing_headers' };
  const timestamp = Number(ts);
  if (Math.abs(now - timestamp) > maxAgeMs) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(hubspotSignatureV3(clientSecret, req.method, req.url, req.rawBody, ts));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad_signature' };
  return { ok: true, timestamp };
}

function header(headers: HubspotWebhookRequest['headers'], name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const v = key === undefined ? undefined : headers[key];
  return Array.isArray(v) ? v[0] : v;
}
