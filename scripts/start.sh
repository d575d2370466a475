#!/usr/bin/env bash
# The main job from a fresh clone: install, build, then train on the bundled samples and show what the models predict.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build
runs=.seqlab/runs
node bin/seqlab.js train samples/english.txt --max-seconds 60 --runs-dir "$runs" --name english
run=$(ls -td "$runs"/*english* | head -1)
node bin/seqlab.js generate "$run" --prompt "Edith looked at Clara. " --length 300
node bin/seqlab.js train samples/energy.csv --column load_mw --max-seconds 60 --runs-dir "$runs" --name energy
