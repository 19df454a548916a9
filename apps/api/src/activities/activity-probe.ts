import { CrmError, SALESFORCE_API_VERSION, type CrmActivityInput, type CrmCredentials, type CrmKind } from '@conduit/crm';
import { hubspotTarget, salesforceTarget } from './activity-plan.js';

/** A delivery whose create may have been applied although no answer came (timeout, dropped connection, 5xx). */
export interface UncertainDelivery {
  deliveryId: string;
  input: CrmActivityInput;
  attemptedAt: Date;
}

export interface ProbeContext {
  crm: CrmKind;
  /** Current credentials; `refreshed` after the CRM refused the last token. */
  credentials: (refreshed: boolean) => Promise<CrmCredentials>;
  /** HubSpot API base (no trailing slash). */
  hubspotApiBase: string;
  /** Awaited before every HTTP call (the connection's rate budget). */
  beforeRequest: () => Promise<void>;
  /** CRM ids other deliveries already own: never adopted. */
  claimed: (ids: string[]) => Promise<Set<string>>;
  timeoutMs: number;
}

/**
 * The create-check for exactly-once logging. The adapter contract has no idempotent activity create (no engagement
 * search, no custom property on engagements), so before an uncertain delivery is created again we look at what the
 * CRM holds for that person: HubSpot engagements of the same object type associated to the contact with the same
 * hs_timestamp; Salesforce Tasks/Events on the same WhoId (same subtype) created since the attempt. A match no other
 * delivery owns is adopted; deliveries that share a key are matched one to one, so N uncertain creates adopt at most
 * the N objects that exist. Returns deliveryId → CRM id (absent = not created, create it).
 */
export async function probeUncertain(ctx: ProbeContext, items: UncertainDelivery[]): Promise<Map<string, { id: string; crmObject: string }>> {
  const found = new Map<string, { id: string; crmObject: string }>();
  const groups = new Map<string, UncertainDelivery[]>();
  for (const it of items) {
    const key =
      ctx.crm === 'hubspot'
        ? `${it.input.person.id}|${hubspotTarget(it.input).objectType}`
        : `${it.input.person.id}|${salesforceTarget(it.input).sobject}|${salesforceTarget(it.input).subtype ?? ''}`;
    const g = groups.get(key) ?? [];
    g.push(it);
    groups.set(key, g);
  }
  // HubSpot: one association read per engagement type for all contacts involved, then the engagements by id.
  const hubspot = ctx.crm === 'hubspot' ? await hubspotCandidatesByKey(ctx, [...groups.values()].map((g) => g[0]!.input)) : null;
  for (const [key, group] of groups) {
    const candidates = hubspot ? (hubspot.get(key) ?? []) : await salesforceCandidates(ctx, group[0]!.input, minDate(group));
    if (!candidates.length) continue;
    const claimed = await ctx.claimed(candidates.map((c) => c.id));
    const free = candidates.filter((c) => !claimed.has(c.id));
    for (const it of group) {
      const want = ctx.crm === 'hubspot' ? Date.parse(hubspotTarget(it.input).timestamp) : null;
      const i = free.findIndex((c) => want === null || c.timestamp === want);
      if (i < 0) continue;
      const [c] = free.splice(i, 1);
      found.set(it.deliveryId, { id: c!.id, crmObject: c!.crmObject });
    }
  }
  return found;
}

function minDate(group: UncertainDelivery[]): Date {
  return new Date(Math.min(...group.map((g) => g.attemptedAt.getTime())));
}

interface Candidate {
  id: string;
  crmObject: string;
  timestamp: number | null;
}

async function call(ctx: ProbeContext, url: string, init: RequestInit = {}): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    await ctx.beforeRequest();
    const creds = await ctx.credentials(attempt > 0);
    const res = await fetch(url, {
      ...init,
      headers: { ...(init.headers as Record<string, string> | undefined), Authorization: `Bearer ${creds.accessToken}`, Accept: 'application/json' },
      signal: AbortSignal.timeout(ctx.timeoutMs),
    }).catch((e: unknown) => {
      throw new CrmError({ kind: 'transient', cause: (e as Error).name === 'TimeoutError' ? 'timeout' : 'connection' }, { crm: ctx.crm, message: `create-check: ${(e as Error).message}` });
    });
    if (res.ok) return res.json();
    const text = await res.text();
    if (res.status === 429) throw new CrmError({ kind: 'rate_limited', retryAfterMs: 1000, budget: ctx.crm === 'hubspot' ? 'ten_secondly' : 'api_daily' }, { crm: ctx.crm, message: `create-check: ${text.slice(0, 200)}` });
    if (res.status === 401 && attempt === 0) continue;
    if (res.status >= 500) throw new CrmError({ kind: 'transient', cause: 'server_error' }, { crm: ctx.crm, message: `create-check: ${res.status}` });
    throw new Error(`create-check failed: ${res.status} ${text.slice(0, 300)}`);
  }
}

/** Engagements per `contactId|objectType`: v4 batch association reads (≤ 1,000 contacts each), batch reads (≤ 100). */
async function hubspotCandidatesByKey(ctx: ProbeContext, inputs: CrmActivityInput[]): Promise<Map<string, Candidate[]>> {
  const contactsByType = new Map<string, Set<string>>();
  for (const input of inputs) {
    const { objectType } = hubspotTarget(input);
    const set = contactsByType.get(objectType) ?? new Set<string>();
    set.add(input.person.id);
    contactsByType.set(objectType, set);
  }
  const out = new Map<string, Candidate[]>();
  for (const [objectType, contacts] of contactsByType) {
    const ids = [...contacts];
    const engagementOf = new Map<string, string>();
    for (let i = 0; i < ids.length; i += 1000) {
      const res = (await call(ctx, `${ctx.hubspotApiBase}/crm/v4/associations/contacts/${objectType}/batch/read`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ inputs: ids.slice(i, i + 1000).map((id) => ({ id })) }),
      })) as { results?: Array<{ from: { id: string | number }; to: Array<{ toObjectId: string | number }> }> };
      for (const r of res.results ?? []) for (const to of r.to) engagementOf.set(String(to.toObjectId), String(r.from.id));
    }
    const engagementIds = [...engagementOf.keys()];
    for (let i = 0; i < engagementIds.length; i += 100) {
      const res = (await call(ctx, `${ctx.hubspotApiBase}/crm/v3/objects/${objectType}/batch/read`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ inputs: engagementIds.slice(i, i + 100).map((id) => ({ id })), properties: ['hs_timestamp'] }),
      })) as { results?: Array<{ id: string; properties: Record<string, string | null> }> };
      for (const r of res.results ?? []) {
        const contact = engagementOf.get(r.id);
        if (!contact) continue;
        const ts = r.properties['hs_timestamp'];
        const key = `${contact}|${objectType}`;
        const list = out.get(key) ?? [];
        list.push({ id: r.id, crmObject: objectType, timestamp: ts ? Date.parse(ts) : null });
        out.set(key, list);
      }
    }
  }
  for (const list of out.values()) list.sort((a, b) => Number(a.id) - Number(b.id));
  return out;
}

const soqlId = (s: string) => `'${s.replace(/[^A-Za-z0-9]/g, '')}'`;

async function salesforceCandidates(ctx: ProbeContext, input: CrmActivityInput, since: Date): Promise<Candidate[]> {
  const { sobject, subtype } = salesforceTarget(input);
  const creds = await ctx.credentials(false);
  if (!creds.instanceUrl) throw new Error('Salesforce connection has no instance URL');
  // CreatedDate is set by the server: a minute of slack covers clock skew between us and the org.
  const from = new Date(since.getTime() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const where = [`WhoId = ${soqlId(input.person.id)}`, `CreatedDate >= ${from}`, ...(subtype ? [`TaskSubtype = '${subtype}'`] : [])];
  const q = `SELECT Id FROM ${sobject} WHERE ${where.join(' AND ')} ORDER BY CreatedDate, Id`;
  const res = (await call(ctx, `${creds.instanceUrl.replace(/\/+$/, '')}/services/data/v${SALESFORCE_API_VERSION}/query?q=${encodeURIComponent(q)}`)) as { records?: Array<{ Id: string }> };
  return (res.records ?? []).map((r) => ({ id: r.Id, crmObject: sobject, timestamp: null }));
}
