#!/usr/bin/env bash
# `npm start`: set up and run the whole product (CRM sandbox, API, worker, admin) on this machine.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_node; ensure_pnpm; ensure_services; install_and_build

export PORT="${PORT:-3000}" ADMIN_PORT="${ADMIN_PORT:-5173}"
export HUBSPOT_PORT="${HUBSPOT_PORT:-4010}" SALESFORCE_PORT="${SALESFORCE_PORT:-4020}"
export SANDBOX_PERSIST_DIR="${SANDBOX_PERSIST_DIR:-$ROOT/.sandbox-data}"
# The sandbox answers in the real CRMs' time (latency profiles: instant | realistic | slow; see its README).
export CRM_SANDBOX_PROFILE="${CRM_SANDBOX_PROFILE:-realistic}"
# The API's CRM URLs and OAuth redirect (through the admin's /api proxy) follow the ports above.
export HUBSPOT_BASE_URL="${HUBSPOT_BASE_URL:-http://127.0.0.1:$HUBSPOT_PORT}" SALESFORCE_LOGIN_URL="${SALESFORCE_LOGIN_URL:-http://127.0.0.1:$SALESFORCE_PORT}"
export ADMIN_ORIGIN="${ADMIN_ORIGIN:-http://localhost:$ADMIN_PORT}"
cd "$ROOT"

pids=()
cleanup() { trap - EXIT INT TERM; for p in "${pids[@]}"; do kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; }
trap cleanup EXIT INT TERM
run() { local name=$1; shift; setsid "$@" > >(sed -u "s/^/[$name] /") 2>&1 & pids+=($!); }

# The sandbox starts first: the connect step below mints its tokens for the demo workspace.
if [ -f packages/crm-sandbox/dist/cli.js ]; then run sandbox node packages/crm-sandbox/dist/cli.js; fi

say "Migrating and seeding the demo workspace"
node apps/api/dist/cli/migrate.js
node apps/api/dist/cli/seed.js
node apps/api/dist/cli/connect-sandbox.js
run api env RUN_PROCESSORS=false node apps/api/dist/main.js
run worker node apps/api/dist/worker.js
run admin env API_URL="http://127.0.0.1:$PORT" node apps/admin/node_modules/vite/bin/vite.js preview --config apps/admin/vite.config.ts \
  --port "$ADMIN_PORT" --strictPort --host 127.0.0.1 apps/admin

for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null 2>&1 && break; sleep 1; done
cat <<MSG

  Conduit is running.
    Admin console   http://localhost:$ADMIN_PORT      (log in as admin@conduit.local / conduit-demo)
    API + OpenAPI   http://localhost:$PORT/api/docs
    Queue dashboard http://localhost:$PORT/api/admin/queues
    CRM sandbox     HubSpot http://localhost:$HUBSPOT_PORT/__sandbox/ui · Salesforce http://localhost:$SALESFORCE_PORT/__sandbox/ui
                    answering at the $CRM_SANDBOX_PROFILE latency profile (CRM_SANDBOX_PROFILE=instant|realistic|slow)

  Press Ctrl+C to stop.
MSG
wait -n "${pids[@]}"
