#!/usr/bin/env bash
# npm test: format check, lint (with the layer rules), type-check, unit, the Python exporter's pytest, integration and end-to-end tests. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

bash scripts/install-test-deps.sh

echo "== format"; npm run --silent format:check
echo "== lint (layers included)"; npm run --silent lint
echo "== type-check"; npx tsc --noEmit
echo "== unit"; npx vitest run --project unit
echo "== exporter (pytest)"; bash scripts/test-exporter.sh
echo "== integration"; npx vitest run --project integration
echo "== integration on PostgreSQL"; npx vitest run --project integration-pg
echo "== build"; node scripts/ensure-build.mjs
echo "== e2e"; npx playwright test
