#!/usr/bin/env bash
# The main job from a fresh clone: install and build, then open VS Code with SeqLab on the sample workspace and print its URL.
# A local `code` (desktop VS Code) is used when installed; otherwise code-server, served on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build

# A first run on the classic exercise, so that the dashboard and the preview have a model to show.
if ! ls samples/.seqlab/runs/*/run.json >/dev/null 2>&1; then
  node bin/seqlab.js train --text "$(printf 'hello%.0s' $(seq 40))" --cell rnn --hidden 32 --seq-len 8 --lr 0.01 --runs-dir samples/.seqlab/runs --name hello-exercise
fi

if command -v code >/dev/null 2>&1; then
  echo "Opening desktop VS Code with SeqLab on samples/"
  exec code --extensionDevelopmentPath "$PWD" samples
fi
bash scripts/code-server/setup.sh
exec bash scripts/code-server/launch.sh --port "${PORT:-8080}" --extension . samples
