#!/usr/bin/env bash
# System packages the tests need: those of the running system, and the browser for the journeys
# (pip cannot provide a browser here).
set -euo pipefail
bash "$(dirname "$0")/system-packages.sh"
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is missing: run 'sudo apt-get install chromium'" >&2
    exit 1
  fi
fi
# Node.js tools the tests run (tests/node/package.json: a real OpenID provider, …), from the
# lockfile; again whenever package.json lists something node_modules lacks.
if ! command -v npm >/dev/null 2>&1; then
  echo "npm (Node.js 20+) is missing: run 'sudo apt-get install nodejs npm'" >&2
  exit 1
fi
if ! npm ls --prefix tests/node --depth=0 >/dev/null 2>&1; then
  npm ci --prefix tests/node --no-audit --no-fund --loglevel=error
fi
