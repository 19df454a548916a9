import type { FastifyInstance } from 'fastify';
import { escapeHtml, htmlPage } from '../common/control.js';
import { normalizeId } from './ids.js';
import type { SalesforceOrg } from './org.js';
import type { FieldSpec, FieldType } from './schema.js';
import { listViewQuery, type ListViewDef } from './listviews.js';
import type { SalesforceRecordView } from './types.js';
import { asText, type SfRecord } from './values.js';

const FIELD_TYPES: FieldType[] = ['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist', 'combobox', 'boolean', 'double', 'currency', 'percent', 'int', 'date', 'datetime', 'reference'];

function str(v: unknown): string | null {
  return v === null || v === undefined ? null : asText(v);
}

/** A record with its parents, activity timeline and memberships (control API and HTML view). */
export function recordView(org: SalesforceOrg, type: string, rawId: string): SalesforceRecordView | undefined {
  const store = org.store;
  const def = store.resolveType(type);
  const id = normalizeId(rawId);
  if (def === undefined || id === undefined) return undefined;
  const record = [...store.rows(def.name)].find((r) => r['Id'] === id);
  if (record === undefined) return undefined;
  const related: SalesforceRecordView['related'] = {};
  for (const f of def.fields) {
    const ref = record[f.name];
    if (f.type !== 'reference' || typeof ref !== 'string') continue;
    const parent = store.getAny(ref);
    related[f.name] = { type: parent?.def.name ?? f.referenceTo[0] ?? 'Unknown', id: ref, name: parent ? str(parent.record['Name'] ?? parent.record['Subject']) : null };
  }
  const timeline: SalesforceRecordView['timeline'] = [];
  for (const kind of ['Task', 'Event'] as const) {
    for (const row of store.rows(kind)) {
      if (row['IsDeleted'] === true || (row['WhoId'] !== id && row['WhatId'] !== id)) continue;
      const at = kind === 'Task' ? (row['ActivityDate'] ?? row['CompletedDateTime'] ?? row['CreatedDate']) : (row['StartDateTime'] ?? row['CreatedDate']);
      timeline.push({ type: kind, id: String(row['Id']), subject: str(row['Subject']), subtype: str(kind === 'Task' ? row['TaskSubtype'] : row['Type']), status: str(row['Status']), at: str(at), record: row });
    }
  }
  timeline.sort((a, b) => (b.at ?? '').localeCompare(a.at ?? ''));
  const memberships: SfRecord[] = [];
  const memberOf = (t: string, fields: string[]): void => {
    for (const row of store.rows(t)) if (row['IsDeleted'] !== true && fields.some((f) => row[f] === id)) memberships.push(row);
  };
  if (def.name === 'Lead' || def.name === 'Contact') memberOf('CampaignMember', ['LeadId', 'ContactId']);
  if (def.name === 'Contact' || def.name === 'Opportunity') memberOf('OpportunityContactRole', ['ContactId', 'OpportunityId']);
  if (def.name === 'Campaign') memberOf('CampaignMember', ['CampaignId']);
  return { type: def.name, record, related, timeline, memberships };
}

/** `fields` of a seed request: Lead field names (any case) → values; an error naming the field otherwise. */
function leadFields(org: SalesforceOrg, raw: unknown): SfRecord | string {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'fields must be an object of Lead field names and values';
  const def = org.store.resolveType('Lead');
  const out: SfRecord = {};
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    const field = def?.byLowerName.get(name.toLowerCase());
    if (field === undefined || ['Id', 'Name', 'IsDeleted'].includes(field.name)) return `fields: ${name} is not a Lead field the seed can set`;
    out[field.name] = value as SfRecord[string];
  }
  return out;
}

export function registerSalesforceControlRoutes(app: FastifyInstance, org: SalesforceOrg): void {
  app.post<{ Params: { type: string } }>('/__sandbox/fields/:type', async (request, reply) => {
    const def = org.store.resolveType(request.params.type);
    const body = request.body as Partial<FieldSpec> | undefined;
    if (def === undefined) return reply.code(404).send({ error: `Unknown sObject ${request.params.type}` });
    if (body === undefined || typeof body.name !== 'string' || !FIELD_TYPES.includes(body.type as FieldType)) {
      return reply.code(400).send({ error: `Body must be { name, type: ${FIELD_TYPES.join('|')}, label?, length?, picklist?, restrictedPicklist?, externalId?, unique?, required? }` });
    }
    return reply.code(201).send(org.store.addField(def.name, body as FieldSpec));
  });
  app.delete<{ Params: { type: string; name: string } }>('/__sandbox/fields/:type/:name', async (request, reply) => {
    const def = org.store.resolveType(request.params.type);
    if (def === undefined || !org.store.removeField(def.name, request.params.name)) return reply.code(404).send({ error: 'Unknown field' });
    return reply.code(204).send();
  });
  app.put('/__sandbox/duplicate-rule', async (request, reply) => {
    const mode = (request.body as { mode?: unknown } | undefined)?.mode;
    if (mode !== 'block' && mode !== 'allow' && mode !== 'off') return reply.code(400).send({ error: "mode must be 'block' | 'allow' | 'off'" });
    org.configure({ duplicateRule: mode });
    return { mode };
  });
  app.post('/__sandbox/seed/leads', async (request, reply) => {
    const body = request.body as { count?: unknown; fields?: unknown } | undefined;
    const count = Number(body?.count);
    if (!Number.isInteger(count) || count < 1 || count > 1_000_000) return reply.code(400).send({ error: 'count must be an integer 1..1000000' });
    const fields = leadFields(org, body?.fields);
    if (typeof fields === 'string') return reply.code(400).send({ error: fields });
    return { leads: org.seedLeads(count, fields) };
  });

  // List views (Lead, Contact): create, change (filter, scope, visibility, owner, label, columns) and delete, as a
  // user would in Salesforce's list view editor. Answers are the view as the control API keeps it, with its query.
  const describe = (type: string) => org.store.resolveType(type);
  const shown = (view: ListViewDef) => ({ ...view, query: listViewQuery(view) });
  app.get('/__sandbox/listviews', async () => org.listViews.all().map(shown));
  app.post('/__sandbox/listviews', async (request, reply) => {
    const made = org.listViews.create((request.body ?? {}), { ownerId: org.seedSummary.defaultUserId, now: new Date(org.clock.now()).toISOString(), describe });
    if (typeof made === 'string') return reply.code(400).send({ error: made });
    org.listViewsChanged();
    return reply.code(201).send(shown(made));
  });
  app.patch<{ Params: { id: string } }>('/__sandbox/listviews/:id', async (request, reply) => {
    const changed = org.listViews.update(request.params.id, (request.body ?? {}), new Date(org.clock.now()).toISOString(), describe);
    if (changed === undefined) return reply.code(404).send({ error: 'Unknown list view' });
    if (typeof changed === 'string') return reply.code(400).send({ error: changed });
    org.listViewsChanged();
    return shown(changed);
  });
  app.delete<{ Params: { id: string } }>('/__sandbox/listviews/:id', async (request, reply) => {
    if (!org.listViews.delete(request.params.id)) return reply.code(404).send({ error: 'Unknown list view' });
    org.listViewsChanged();
    return reply.code(204).send();
  });
  app.post<{ Params: { id: string } }>('/__sandbox/leads/:id/convert', async (request, reply) => {
    const accountId = (request.body as { accountId?: unknown } | undefined)?.accountId;
    const result = org.store.convertLead(request.params.id, { userId: org.seedSummary.defaultUserId, source: 'json' }, typeof accountId === 'string' ? accountId : undefined);
    if (!result.ok) return reply.code(400).send(result.errors);
    return { contactId: result.contactId, accountId: result.accountId };
  });
  app.get('/__sandbox/users', async () => [...org.store.rows('User')].map((u) => ({ id: u['Id'], name: u['Name'], email: u['Email'], active: u['IsActive'] })));

  // ---- HTML views ----
  const cell = (v: unknown): string => (v === null || v === undefined ? '<span class="muted">—</span>' : escapeHtml(asText(v)));
  const link = (type: string, id: string, text: string): string => `<a href="/__sandbox/ui/${encodeURIComponent(type)}/${encodeURIComponent(id)}">${escapeHtml(text)}</a>`;

  // Record links built the Lightning way ({instance_url}/lightning/r/{Type}/{Id}/view) open the sandbox view.
  app.get<{ Params: { type: string; id: string } }>('/lightning/r/:type/:id/view', async (request, reply) =>
    reply.redirect(`/__sandbox/ui/${encodeURIComponent(request.params.type)}/${encodeURIComponent(request.params.id)}`, 302));

  app.get('/__sandbox/ui', async (_request, reply) => {
    const rows = [...org.store.schema.values()].map((d) => `<tr><td><a href="/__sandbox/ui/${d.name}">${escapeHtml(d.labelPlural)}</a></td><td>${d.name}</td><td>${d.keyPrefix}</td><td>${org.store.count(d.name)}</td></tr>`).join('');
    const usage = org.apiUsage();
    return reply.type('text/html').send(htmlPage('Salesforce sandbox', `<h1>Salesforce sandbox</h1><p class="muted">Org ${escapeHtml(org.orgId)} · API usage ${usage.used}/${usage.max} · duplicate rule ${org.config.duplicateRule}</p><table><tr><th>Object</th><th>API name</th><th>Prefix</th><th>Records</th></tr>${rows}</table>`));
  });

  app.get<{ Params: { type: string } }>('/__sandbox/ui/:type', async (request, reply) => {
    const def = org.store.resolveType(request.params.type);
    if (def === undefined) return reply.code(404).type('text/html').send(htmlPage('Not found', '<h1>Unknown object</h1>'));
    const page = Math.max(0, Number((request.query as { page?: string }).page ?? 0) || 0);
    const live = [...org.store.rows(def.name)].filter((r) => r['IsDeleted'] !== true);
    live.sort((a, b) => String(b['SystemModstamp']).localeCompare(String(a['SystemModstamp'])));
    const columns = ['Name', 'Subject', 'Email', 'Company', 'Status', 'StageName', 'Type', 'LastModifiedDate'].filter((c) => def.byLowerName.has(c.toLowerCase()));
    const slice = live.slice(page * 100, page * 100 + 100);
    const rows = slice.map((r) => `<tr><td>${link(def.name, String(r['Id']), String(r['Id']))}</td>${columns.map((c) => `<td>${cell(r[c])}</td>`).join('')}</tr>`).join('');
    const nav = `${page > 0 ? `<a href="?page=${page - 1}">← newer</a> ` : ''}${(page + 1) * 100 < live.length ? `<a href="?page=${page + 1}">older →</a>` : ''}`;
    return reply.type('text/html').send(htmlPage(`${def.labelPlural}`, `<p><a href="/__sandbox/ui">Objects</a></p><h1>${escapeHtml(def.labelPlural)} <span class="muted">(${live.length})</span></h1><table><tr><th>Id</th>${columns.map((c) => `<th>${c}</th>`).join('')}</tr>${rows}</table><p>${nav}</p>`));
  });

  app.get<{ Params: { type: string; id: string } }>('/__sandbox/ui/:type/:id', async (request, reply) => {
    const view = recordView(org, request.params.type, request.params.id);
    if (view === undefined) return reply.code(404).type('text/html').send(htmlPage('Not found', '<h1>Record not found</h1>'));
    const def = org.store.resolveType(view.type);
    const fields = def?.fields ?? [];
    const props = fields.map((f) => {
      const v = view.record[f.name];
      const rel = view.related[f.name];
      const shown = rel !== undefined ? link(rel.type, rel.id, rel.name ?? rel.id) : cell(v);
      return `<tr><th>${escapeHtml(f.label)}</th><td><code>${f.name}</code></td><td>${shown}</td></tr>`;
    }).join('');
    const timeline = view.timeline.map((t) => `<tr><td>${cell(t.at)}</td><td>${t.type}</td><td>${cell(t.subtype)}</td><td>${link(t.type, t.id, t.subject ?? t.id)}</td><td>${cell(t.status)}</td></tr>`).join('');
    const members = view.memberships.map((m) => `<tr><td>${link(String(m['Id']).startsWith('00v') ? 'CampaignMember' : 'OpportunityContactRole', String(m['Id']), String(m['Id']))}</td><td>${cell(m['Status'] ?? m['Role'])}</td></tr>`).join('');
    const title = String(view.record['Name'] ?? view.record['Subject'] ?? view.record['Id']);
    return reply.type('text/html').send(htmlPage(title, `<p><a href="/__sandbox/ui">Objects</a> › <a href="/__sandbox/ui/${view.type}">${view.type}</a></p>
<h1>${escapeHtml(title)}${view.record['IsDeleted'] === true ? ' <span class="muted">(deleted)</span>' : ''}</h1>
${view.timeline.length > 0 ? `<h2>Activity timeline</h2><table><tr><th>When</th><th>Kind</th><th>Subtype</th><th>Subject</th><th>Status</th></tr>${timeline}</table>` : ''}
${view.memberships.length > 0 ? `<h2>Memberships</h2><table>${members}</table>` : ''}
<h2>Fields</h2><table>${props}</table>`));
  });
}
