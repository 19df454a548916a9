#!/usr/bin/env node
// `pnpm bench <name> [args]`: builds what the bench needs, runs it, and passes its output through.
// Each bench starts its own CRM sandbox, prints progress on stderr and ends with one JSON line on stdout.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const BENCHES = {
  import: { build: ['@conduit/api'], entry: 'apps/api/dist/bench/import.bench.js' },
  export: { build: ['@conduit/api'], entry: 'apps/api/dist/bench/export.bench.js' },
  lists: { build: ['@conduit/api'], entry: 'apps/api/dist/bench/lists.bench.js' },
  activity: { build: ['@conduit/api'], entry: 'apps/api/dist/bench/activity.bench.js' },
  bridge: { build: ['@conduit/api'], entry: 'apps/api/dist/bench/bridge.bench.js' },
};

const [name, ...args] = process.argv.slice(2);
const bench = BENCHES[name];
if (!bench) {
  console.error(`usage: pnpm bench <${Object.keys(BENCHES).join('|')}> [args]`);
  process.exit(2);
}
// The package and the workspace packages it depends on (`pkg...`): a bench never runs on a stale build of one of them.
// The compiler's errors go to stderr, so a failed build says why.
for (const pkg of bench.build) {
  const built = spawnSync('pnpm', ['--filter', `${pkg}...`, 'build'], { cwd: root, stdio: ['ignore', 2, 'inherit'] });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
const run = spawnSync(process.execPath, [bench.entry, ...args], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
