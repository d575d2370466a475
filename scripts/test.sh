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
npm run lint

echo "== PyTorch, for the export tests (Debian's python3-torch; they skip without it)"
if [ "$(id -u)" -eq 0 ] || sudo -n true 2>/dev/null; then
  bash bench/setup.sh || echo "PyTorch could not be installed: the export tests will skip."
else
  echo "Not root: the export tests skip unless torch is installed (npm run bench:setup)."
fi

echo "== unit tests (plain Node)"
node --test --test-reporter=spec out/src/ out/test/webview/

echo "== VS Code suites (code-server), on the packaged VSIX"
bash scripts/code-server/setup.sh
scratch="$(mktemp -d /tmp/seqlab-test.XXXXXX)"
npx vsce package --no-dependencies --allow-missing-repository --out "$scratch/seqlab.vsix"
ls -l "$scratch/seqlab.vsix"
bash scripts/code-server/install-vsix.sh "$scratch/seqlab.vsix" "$scratch/installed"
cp -r samples/. "$scratch/workspace"
rm -rf "$scratch/workspace/.seqlab"
node out/test/e2e/run.js --extension "$scratch"/installed/seqlab.seqlab-* --workspace "$scratch/workspace" --output test-output/e2e
