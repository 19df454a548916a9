import type { Server } from 'node:http';
import request from 'supertest';

/**
 * Plays the browser on a CRM sandbox consent page: reads its form (hidden fields, the first option of each
 * select), submits Approve or Deny, and returns where the sandbox redirects (our callback URL).
 */
export async function submitConsent(consentUrl: string, decision: 'approve' | 'deny'): Promise<URL> {
  const page = await fetch(consentUrl);
  if (!page.ok) throw new Error(`consent page answered ${page.status}: ${await page.text()}`);
  const html = await page.text();
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no form on the consent page:\n${html.slice(0, 500)}`);
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(m[1]!, decodeEntities(m[2]!));
  for (const m of html.matchAll(/<select name="([^"]+)">\s*<option value="([^"]*)"/g)) form.set(m[1]!, decodeEntities(m[2]!));
  form.set('decision', decision);
  const res = await fetch(new URL(action, consentUrl), { method: 'POST', body: form, redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  const location = res.headers.get('location');
  if (res.status !== 302 && res.status !== 303) throw new Error(`consent decision answered ${res.status}: ${await res.text()}`);
  if (!location) throw new Error('consent decision did not redirect');
  return new URL(location, consentUrl);
}

function decodeEntities(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Admin starts a connection: our authorize endpoint → consent page → our callback. Returns the final redirect to the admin. */
export async function connectCrm(server: Server, cookie: string, crm: 'hubspot' | 'salesforce', decision: 'approve' | 'deny' = 'approve'): Promise<URL> {
  const { callback } = await authorizeAndConsent(server, cookie, crm, decision);
  return followCallback(server, cookie, callback);
}

export async function authorizeAndConsent(server: Server, cookie: string, crm: 'hubspot' | 'salesforce', decision: 'approve' | 'deny' = 'approve'): Promise<{ consentUrl: URL; callback: URL }> {
  const res = await request(server).post(`/api/connections/${crm}/authorize`).set('Cookie', cookie).expect(200);
  const consentUrl = new URL((res.body as { url: string }).url);
  return { consentUrl, callback: await submitConsent(consentUrl.toString(), decision) };
}

/** The browser arriving at our callback (through the admin's /api proxy, so with the session cookie). */
export async function followCallback(server: Server, cookie: string | null, callback: URL): Promise<URL> {
  const req = request(server).get(`${callback.pathname}${callback.search}`);
  const res = await (cookie ? req.set('Cookie', cookie) : req).expect(302);
  return new URL(res.headers.location as string);
}
