/**
 * The API of a stack whose budget clock is pinned (StackOptions.pinBudgetClock): what the built dist/main.js starts,
 * with the daily API budget's clock (CrmRuntimeOptions.now) E2E_BUDGET_CLOCK_OFFSET_MS ahead of real time — the
 * offset the stack moved the CRM sandbox's limits clocks by, so Conduit's day and the CRM's are one day, and where it
 * stands does not depend on the wall clock. Run with tsx from the API's folder.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface Listening {
  listen(port: number): Promise<unknown>;
}
interface BuiltApi {
  createApp(config: { port: number; logLevel: string }, logger: unknown, crmRuntime: { now: () => number }): Promise<Listening>;
  loadConfigOrExit(): { port: number; logLevel: string };
  createLogger(options: { level: string }): unknown;
}

const offset = Number(process.env.E2E_BUDGET_CLOCK_OFFSET_MS);
if (!Number.isInteger(offset) || offset < 0) throw new Error(`E2E_BUDGET_CLOCK_OFFSET_MS must be a whole number of ms ≥ 0, not ${process.env.E2E_BUDGET_CLOCK_OFFSET_MS}`);

// The build, not the sources: Nest's dependency injection needs the decorator metadata tsc emits.
const built = (file: string) => import(pathToFileURL(join(process.cwd(), 'dist', file)).href) as Promise<Partial<BuiltApi>>;
const [{ createApp }, { loadConfigOrExit }, { createLogger }] = await Promise.all([built('bootstrap.js'), built('config/app-config.js'), built('logging/logger.js')]);
if (!createApp || !loadConfigOrExit || !createLogger) throw new Error('the API build lacks createApp, loadConfigOrExit or createLogger');

const config = loadConfigOrExit();
const app = await createApp(config, createLogger({ level: config.logLevel }), { now: () => Date.now() + offset });
await app.listen(config.port);
