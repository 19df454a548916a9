#!/usr/bin/env bash
# `npm test`: every test from a fresh clone — set-up, then lint, typecheck, unit, integration and end-to-end.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_node; ensure_pnpm; ensure_services; install_and_build
cd "$ROOT"
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$CHROMIUM_PATH" ] || die "End-to-end tests need Chromium at $CHROMIUM_PATH (Debian: apt-get install -y chromium), or set CHROMIUM_PATH."

say "Lint, typecheck and unit tests"
# Two cores on CI: more parallel tasks only make each one slower (jsdom workers time out).
pn turbo run lint typecheck test --concurrency=2 --output-logs=new-only
say "Integration tests (Postgres, Redis, CRM sandbox)"
pn turbo run test:integration --concurrency=1 --output-logs=new-only
say "End-to-end tests (headless Chromium)"
pn turbo run test:e2e --concurrency=1 --output-logs=new-only
say "All tests passed"
