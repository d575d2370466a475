#!/usr/bin/env bash
# The whole test suite from a fresh clone: install, build, lint, unit tests in plain Node, then the VS Code suites.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund
fi

echo "== build"
npm run build

echo "== lint"
npx eslint .

echo "== unit tests (plain Node)"
node --test --test-reporter=spec out/src/
