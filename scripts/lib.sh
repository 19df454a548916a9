#!/usr/bin/env bash
# Shared set-up for `npm start` and `npm test`: Node check, pnpm bootstrap, Postgres/Redis reachability,
# dependencies and build. Sourced, not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PNPM_VERSION=9.15.9
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
export DATABASE_URL="${DATABASE_URL:-postgres://${PGUSER}${PGPASSWORD:+:$PGPASSWORD}@${PGHOST}:${PGPORT}/conduit}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"

say() { printf '\033[1;35m▸ %s\033[0m\n' "$*"; }
die() { printf '\033[1;31m✖ %s\033[0m\n' "$*" >&2; exit 1; }

ensure_node() {
  command -v node >/dev/null || die "Node.js ≥ 20.19 is required (https://nodejs.org)."
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
    || die "Node.js ≥ 20.19 is required; found $(node -v)."
}

# corepack's signature check fails on some machines, so pnpm comes from npm.
ensure_pnpm() {
  if command -v pnpm >/dev/null && [[ "$(pnpm -v 2>/dev/null)" == 9.* ]]; then PNPM=(pnpm); return; fi
  say "Installing pnpm@$PNPM_VERSION with npm"
  if npm i -g "pnpm@$PNPM_VERSION" >/dev/null 2>&1 && command -v pnpm >/dev/null; then PNPM=(pnpm)
  else PNPM=(npx -y "pnpm@$PNPM_VERSION"); fi
}
pn() { "${PNPM[@]}" "$@"; }

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# Postgres and Redis: use what runs on localhost; else start local servers when installed; else docker compose.
ensure_services() {
  local redis_host redis_port
  redis_host=$(node -e 'const u=new URL(process.argv[1]);console.log(u.hostname)' "$REDIS_URL")
  redis_port=$(node -e 'const u=new URL(process.argv[1]);console.log(u.port||6379)' "$REDIS_URL")
  if ! port_open "$PGHOST" "$PGPORT" && command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    say "Starting local PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
  if ! port_open "$redis_host" "$redis_port" && command -v redis-server >/dev/null; then
    say "Starting local Redis"
    mkdir -p /tmp/conduit-redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$redis_port" --save "" --appendonly no \
      --dir /tmp/conduit-redis --logfile /tmp/conduit-redis/redis.log || true
  fi
  if { ! port_open "$PGHOST" "$PGPORT" || ! port_open "$redis_host" "$redis_port"; } \
     && command -v docker >/dev/null && docker info >/dev/null 2>&1; then
    say "Starting Postgres and Redis with docker compose"
    (cd "$ROOT" && docker compose up -d --wait postgres redis)
    [[ "$DATABASE_URL" == *"@"*":"*"@"* ]] || export DATABASE_URL="postgres://postgres:conduit@${PGHOST}:${PGPORT}/conduit" PGPASSWORD=conduit
  fi
  for _ in $(seq 1 30); do port_open "$PGHOST" "$PGPORT" && port_open "$redis_host" "$redis_port" && break; sleep 1; done
  port_open "$PGHOST" "$PGPORT" || die "PostgreSQL is not reachable at $PGHOST:$PGPORT. Start it, run 'docker compose up -d', or set DATABASE_URL/PGHOST/PGPORT."
  port_open "$redis_host" "$redis_port" || die "Redis is not reachable at $redis_host:$redis_port. Start it, run 'docker compose up -d', or set REDIS_URL."
}

install_and_build() {
  say "Installing dependencies"
  (cd "$ROOT" && pn install --frozen-lockfile --prefer-offline)
  say "Building"
  (cd "$ROOT" && pn turbo run build --output-logs=errors-only)
}
