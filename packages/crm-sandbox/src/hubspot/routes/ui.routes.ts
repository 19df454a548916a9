import type { FastifyInstance } from 'fastify';
import { escapeHtml, htmlPage } from '../../common/control.js';
import { OBJECT_TYPES, OBJECT_TYPE_INFO, resolveObjectType, type ObjectType } from '../object-types.js';
import type { HubspotContext } from '../context.js';
import type { HsRecord } from '../store.js';

const COLUMNS: Record<ObjectType, string[]> = {
  contacts: ['firstname', 'lastname', 'email', 'company', 'jobtitle', 'lifecyclestage', 'hs_lead_status', 'lastmodifieddate'],
  companies: ['name', 'domain', 'industry', 'country', 'lifecyclestage', 'hs_lastmodifieddate'],
  deals: ['dealname', 'amount', 'dealstage', 'closedate', 'hs_lastmodifieddate'],
  emails: ['hs_timestamp', 'hs_email_subject', 'hs_email_direction', 'hs_email_status'],
  calls: ['hs_timestamp', 'hs_call_title', 'hs_call_direction', 'hs_call_status'],
  meetings: ['hs_timestamp', 'hs_meeting_title', 'hs_meeting_outcome'],
  notes: ['hs_timestamp', 'hs_note_body'],
  tasks: ['hs_timestamp', 'hs_task_subject', 'hs_task_status', 'hs_task_type'],
  communications: ['hs_timestamp', 'hs_communication_channel_type', 'hs_communication_body'],
};

function summary(record: HsRecord): string {
  const p = record.properties;
  const text = p['hs_email_subject'] ?? p['hs_call_title'] ?? p['hs_meeting_title'] ?? p['hs_task_subject'] ?? p['hs_note_body'] ?? p['hs_communication_body'] ?? '';
  return text.length > 140 ? `${text.slice(0, 140)}…` : text;
}

/** Small read-only HTML views so a person trying Conduit can see what arrived in "HubSpot". */
export function registerUiRoutes(app: FastifyInstance, ctx: HubspotContext): void {
  app.get('/__sandbox/ui', async (_request, reply) => {
    const rows = OBJECT_TYPES.map((t) => `<tr><td><a href="/__sandbox/ui/${t}">${t}</a></td><td>${ctx.store.count(t)}</td></tr>`).join('');
    const lists = [...ctx.store.lists.values()].filter((l) => l.deletedAt === undefined)
      .map((l) => `<tr><td>${escapeHtml(l.listId)}</td><td>${escapeHtml(l.name)}</td><td>${l.processingType}</td><td>${l.members.size}</td></tr>`).join('');
    const body = `<h1>HubSpot sandbox · portal ${ctx.store.portalId}</h1>
<table><tr><th>Object</th><th>Records</th></tr>${rows}</table>
<h2>Lists</h2><table><tr><th>Id</th><th>Name</th><th>Type</th><th>Size</th></tr>${lists}</table>
<h2>Owners</h2><ul>${[...ctx.store.owners.values()].map((o) => `<li>${escapeHtml(`${o.firstName} ${o.lastName}`)} &lt;${escapeHtml(o.email)}&gt; (${o.id})</li>`).join('')}</ul>`;
    return reply.type('text/html').send(htmlPage('HubSpot sandbox', body));
  });

  app.get<{ Params: { type: string }; Querystring: { after?: string; q?: string } }>('/__sandbox/ui/:type', async (request, reply) => {
    const type = resolveObjectType(request.params.type);
    if (type === undefined) return reply.code(404).type('text/html').send(htmlPage('Not found', '<p>Unknown object type</p>'));
    const page = ctx.store.page(type, request.query.after, 100);
    const cols = COLUMNS[type];
    const rows = page.results.map((r) => `<tr><td><a href="/__sandbox/ui/${type}/${r.id}">${r.id}</a></td>${cols.map((c) => `<td>${escapeHtml(r.properties[c] ?? '')}</td>`).join('')}</tr>`).join('');
    const next = page.nextAfter !== undefined ? `<p><a href="/__sandbox/ui/${type}?after=${page.nextAfter}">Next page →</a></p>` : '';
    const body = `<p><a href="/__sandbox/ui">← all objects</a></p><h1>${type} (${ctx.store.count(type)})</h1>
<table><tr><th>id</th>${cols.map((c) => `<th>${c}</th>`).join('')}</tr>${rows}</table>${next}`;
    return reply.type('text/html').send(htmlPage(`HubSpot ${type}`, body));
  });

  app.get<{ Params: { type: string; id: string } }>('/__sandbox/ui/:type/:id', async (request, reply) => {
    const type = resolveObjectType(request.params.type);
    const record = type === undefined ? undefined : ctx.store.getIncludingArchived(type, request.params.id);
    if (type === undefined || record === undefined) return reply.code(404).type('text/html').send(htmlPage('Not found', '<p>Record not found</p>'));
    const props = Object.entries(record.properties).sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('');
    const assoc = OBJECT_TYPES.filter((t) => !['emails', 'calls', 'meetings', 'notes', 'tasks', 'communications'].includes(t))
      .flatMap((t) => ctx.store.associated(type, record.id, t).map((a) => `<li><a href="/__sandbox/ui/${t}/${a.toId}">${OBJECT_TYPE_INFO[t].singular} ${a.toId}</a> (types ${a.typeIds.join(', ')})</li>`)).join('');
    const timeline = ctx.store.timeline(type, record.id)
      .map((e) => `<tr><td>${escapeHtml(e.properties['hs_timestamp'] ?? '')}</td><td><a href="/__sandbox/ui/${e.type}/${e.id}">${OBJECT_TYPE_INFO[e.type].singular}</a></td><td>${escapeHtml(summary(e))}</td></tr>`).join('');
    const body = `<p><a href="/__sandbox/ui/${type}">← ${type}</a></p><h1>${OBJECT_TYPE_INFO[type].singular} ${record.id}${record.archived ? ' (archived)' : ''}</h1>
<h2>Associations</h2><ul>${assoc || '<li class="muted">none</li>'}</ul>
<h2>Timeline</h2><table><tr><th>When</th><th>Type</th><th>Summary</th></tr>${timeline || '<tr><td colspan="3" class="muted">no activity</td></tr>'}</table>
<h2>Properties</h2><table>${props}</table>`;
    return reply.type('text/html').send(htmlPage(`HubSpot ${type} ${record.id}`, body));
  });
}
