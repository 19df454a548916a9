import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import type { Sandbox } from '@conduit/crm-sandbox';
import type { CrmKind } from '@conduit/contracts';
import { DataSource } from 'typeorm';
import type { Caller } from '../auth/caller.js';
import { Company } from '../companies/company.entity.js';
import { ExportRun } from '../export/export-run.entity.js';
import { ExportService } from '../export/export.service.js';
import { Person } from '../people/person.entity.js';
import { Workspace } from '../workspaces/workspace.entity.js';
import { openBenchStack, closeBenchStack, connectSandboxCrm, benchLog, printFigures, benchArgs, round, benchForecast, forecastFigures } from './harness.js';

/**
 * `pnpm bench export [people=1000] [companies=200] [throughputPeople=10000]`: bulk export of new people (each company
 * shared by people/companies of them) through the real worker pipeline (outbox → Bull → export engine → adapter →
 * sandbox) on a database of its own. Phase 1 and 2 count API calls per person to HubSpot and Salesforce (sandbox
 * request stats). Phase 3 exports more people to HubSpot under its 100 requests / rolling 10 s limit and reports
 * `ceiling_utilization`: the export's call rate (calls the sandbox accepted ÷ elapsed seconds) as a share of the
 * ceiling rate (100 per 10 s). `ceiling_utilization_with_initial_window` is the earlier figure, calls made ÷
 * (a full window at the start + 100 per 10 s elapsed): it credits a burst of 100 at t = 0 on top of the rate, so a
 * client held at the limit the whole run scores ≈ 0.75 on a 30 s run (a rolling window admits at most
 * 100 × (⌊T/10⌋ + 1) calls in T seconds). Progress on stderr (with calls per second), one JSON line on stdout.
 */
const PEOPLE = Number(benchArgs[0] ?? 1000);
const COMPANIES = Number(benchArgs[1] ?? 200);
const THROUGHPUT_PEOPLE = Number(benchArgs[2] ?? 10_000);
const PER_TEN_SECONDS = 100;

type Ctx = INestApplicationContext;
const log = benchLog('export');

/** People with `companies` distinct companies (domain + website), all contacted so the default policy exports them. */
async function seedPeople(ctx: Ctx, workspaceId: string, people: number, companies: number, tag: string): Promise<string[]> {
  const ds = ctx.get(DataSource);
  const rows = await ds.getRepository(Company).save(
    Array.from({ length: companies }, (_, i) => ({ workspaceId, name: `Bench ${tag} Company ${i}`, domain: `c${i}-${tag}.bench-export.example`, website: `https://www.c${i}-${tag}.bench-export.example` })),
    { chunk: 500 },
  );
  const persons = Array.from({ length: people }, (_, j) => {
    const company = rows[j % companies]!;
    return { workspaceId, firstName: `First${j}`, lastName: `Last${j}`, email: `p${j}@${company.domain}`, jobTitle: 'Engineer', companyId: company.id, companyName: company.name, engagementState: 'contacted' as const };
  });
  const saved = await ds.getRepository(Person).save(persons, { chunk: 500 });
  return saved.map((p) => p.id);
}

interface PhaseResult {
  people: number;
  seconds: number;
  calls: number;
  calls429: number;
  created: number;
  needsAttention: number;
  /** The forecast made before the run (#17) next to what it took. */
  forecast: Record<string, unknown>;
}

async function exportPhase(ctx: Ctx, sandbox: Sandbox, workspaceId: string, crm: CrmKind, personIds: string[], label: string, connectionId: string): Promise<PhaseResult> {
  const control = crm === 'hubspot' ? sandbox.hubspot.control : sandbox.salesforce.control;
  const forecast = await benchForecast(ctx, workspaceId, connectionId, { kind: 'bulk-export', export: { personIds } });
  const before = control.stats();
  const caller: Caller = { kind: 'api-key', workspaceId, userId: null, role: 'member', apiKeyId: 'bench' };
  const started = Date.now();
  const run = await ctx.get(ExportService).startBulk(caller, crm, { personIds, forecastId: forecast.id });
  const repo = ctx.get(DataSource).getRepository(ExportRun);
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const r = await repo.findOneByOrFail({ id: run.id, workspaceId });
    const elapsed = (Date.now() - started) / 1000;
    log(`${label}: ${r.processed}/${personIds.length} people, ${elapsed.toFixed(1)} s, ${control.stats().total - before.total} calls`);
    if (r.status === 'failed') throw new Error(`export failed: ${r.error ?? ''}`);
    if (r.status === 'done') {
      const after = control.stats();
      // Where the time went: calls per second over the phase (gaps = time not spent at the rate limit).
      const perSecond = new Map<number, number>();
      for (const q of control.requests(started)) perSecond.set(Math.floor((q.at - started) / 1000), (perSecond.get(Math.floor((q.at - started) / 1000)) ?? 0) + 1);
      const span = Math.ceil(((r.finishedAt ?? new Date()).getTime() - started) / 1000);
      log(`${label}: calls per second ${Array.from({ length: span }, (_, i) => perSecond.get(i) ?? 0).join(' ')}`);
      logRoutes(label, control.requests(started), started);
      const seconds = ((r.finishedAt ?? new Date()).getTime() - started) / 1000;
      return {
        people: personIds.length,
        seconds,
        // The run's own calls (the sandbox also answers the connection's scheduled sync meanwhile).
        forecast: forecastFigures(log, label.replace(/\W+/g, '_'), forecast, { calls: r.apiCalls, seconds }),
        calls: after.total - before.total,
        calls429: (after.byStatus['429'] ?? 0) - (before.byStatus['429'] ?? 0),
        created: r.created,
        needsAttention: r.needsAttention,
      };
    }
  }
}

/**
 * Where a phase's calls went: per 5-second slice, the calls per route (method and route pattern, shortened), with the
 * 429s apart — a stage that waits, or a lane that idles, shows here.
 */
function logRoutes(label: string, requests: readonly { at: number; route: string; status: number }[], since: number): void {
  const slices = new Map<number, Map<string, number>>();
  const short = (route: string) => route.replace('/crm/v3/objects/:objectType', '').replace('/crm/v4/associations/:fromObjectType/:toObjectType', 'assoc').replace(/\/services\/data\/v[\d.]+/, '');
  for (const q of requests) {
    const slice = Math.floor((q.at - since) / 5_000);
    const row = slices.get(slice) ?? new Map<string, number>();
    const key = `${short(q.route)}${q.status === 429 ? ' (429)' : ''}`;
    row.set(key, (row.get(key) ?? 0) + 1);
    slices.set(slice, row);
  }
  for (const [slice, row] of [...slices].sort((a, b) => a[0] - b[0])) {
    log(`${label} ${slice * 5}–${slice * 5 + 5} s: ${[...row].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  }
}

/**
 * `pnpm bench export [people=10000] [companies=2000] --salesforce-contacts` (#19): the Salesforce export in Contact +
 * Account mode only — new people as Contacts under their companies' Accounts, which do not exist yet (found by
 * domain, then name, then created) — and its API calls per person (target ≤ 0.02).
 */
async function salesforceContacts(): Promise<void> {
  const people = Number(benchArgs[0] ?? 10_000);
  const companies = Number(benchArgs[1] ?? Math.max(1, Math.round(people / 5)));
  const stack = await openBenchStack();
  const { sandbox, app: ctx } = stack;
  try {
    const ds = ctx.get(DataSource);
    const workspace = await ds.getRepository(Workspace).save({ name: 'Bench export (Contact + Account)' });
    const connectionId = await connectSandboxCrm(ctx, sandbox, workspace.id, 'salesforce');
    const admin: Caller = { kind: 'api-key', workspaceId: workspace.id, userId: null, role: 'member', apiKeyId: 'bench' };
    await ctx.get(ExportService).updateSettings(admin, 'salesforce', { salesforceObject: 'contact' });
    log(`seeding ${people} people with ${companies} companies`);
    const ids = await seedPeople(ctx, workspace.id, people, companies, 'sfc');
    const accountsBefore = sandbox.salesforce.control.count('Account');
    const phase = await exportPhase(ctx, sandbox, workspace.id, 'salesforce', ids, 'salesforce contact+account', connectionId);
    printFigures({
      bench: 'export',
      mode: 'salesforce-contacts',
      people: phase.people,
      companies,
      salesforce_calls: phase.calls,
      salesforce_calls_per_person: round(phase.calls / phase.people, 4),
      salesforce_seconds: round(phase.seconds, 2),
      salesforce_created: phase.created,
      salesforce_needs_attention: phase.needsAttention,
      accounts_created: sandbox.salesforce.control.count('Account') - accountsBefore,
      contacts: sandbox.salesforce.control.count('Contact'),
      ...phase.forecast,
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    }, sandbox);
  } finally {
    await closeBenchStack(stack);
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--salesforce-contacts')) return salesforceContacts();
  const stack = await openBenchStack();
  const { sandbox, app: ctx } = stack;
  try {
    const ds = ctx.get(DataSource);
    const workspace = await ds.getRepository(Workspace).save({ name: 'Bench export' });
    const hubspotId = await connectSandboxCrm(ctx, sandbox, workspace.id, 'hubspot');
    const salesforceId = await connectSandboxCrm(ctx, sandbox, workspace.id, 'salesforce');
    log(`seeding ${PEOPLE} people with ${COMPANIES} companies`);
    const ids = await seedPeople(ctx, workspace.id, PEOPLE, COMPANIES, 'a');

    // Calls per person, without the rate limit in the way.
    sandbox.hubspot.control.configure({ rateLimit: { enabled: false } });
    const hubspot = await exportPhase(ctx, sandbox, workspace.id, 'hubspot', ids, 'hubspot', hubspotId);
    const salesforce = await exportPhase(ctx, sandbox, workspace.id, 'salesforce', ids, 'salesforce', salesforceId);

    // Throughput against HubSpot's rolling window.
    log(`seeding ${THROUGHPUT_PEOPLE} more people for the rate-limited phase`);
    const more = await seedPeople(ctx, workspace.id, THROUGHPUT_PEOPLE, Math.max(1, Math.round((THROUGHPUT_PEOPLE * COMPANIES) / PEOPLE)), 'b');
    sandbox.hubspot.control.configure({ rateLimit: { enabled: true, perTenSeconds: PER_TEN_SECONDS, windowMs: 10_000, daily: 10_000_000 } });
    const limited = await exportPhase(ctx, sandbox, workspace.id, 'hubspot', more, 'hubspot rate-limited', hubspotId);
    const allowed = PER_TEN_SECONDS * (1 + limited.seconds / 10);

    const figures = {
      bench: 'export',
      people: PEOPLE,
      companies: COMPANIES,
      hubspot_calls: hubspot.calls,
      hubspot_calls_per_person: round(hubspot.calls / hubspot.people, 4),
      hubspot_seconds: round(hubspot.seconds, 2),
      hubspot_created: hubspot.created,
      salesforce_calls: salesforce.calls,
      salesforce_calls_per_person: round(salesforce.calls / salesforce.people, 4),
      salesforce_seconds: round(salesforce.seconds, 2),
      salesforce_created: salesforce.created,
      throughput_people: limited.people,
      throughput_seconds: round(limited.seconds, 2),
      throughput_calls: limited.calls,
      throughput_people_per_s: round(limited.people / limited.seconds, 1),
      throughput_429: limited.calls429,
      ceiling_utilization: round(Math.min(1, (limited.calls - limited.calls429) / ((PER_TEN_SECONDS / 10) * limited.seconds)), 3),
      ceiling_utilization_with_initial_window: round(Math.min(1, limited.calls / allowed), 3),
      ...hubspot.forecast,
      ...salesforce.forecast,
      ...limited.forecast,
    };
    // The worker, the API and (in this bench) the CRM sandbox share this process: its peak is an upper bound of a worker's.
    printFigures({ ...figures, peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) }, sandbox);
  } finally {
    await closeBenchStack(stack);
  }
}

await main();
