#!/usr/bin/env bash
# The whole test suite from a fresh clone: install, build, lint, unit tests in plain Node, then the suites in a real VS Code (code-server).
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

echo "== VS Code suites (code-server)"
bash scripts/code-server/setup.sh
workspace="$(mktemp -d /tmp/seqlab-workspace.XXXXXX)"
cp -r samples/. "$workspace"
rm -rf "$workspace/.seqlab"
node out/test/e2e/run.js --workspace "$workspace" --output test-output/e2e
