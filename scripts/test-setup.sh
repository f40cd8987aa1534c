#!/usr/bin/env bash
# System packages the tests need: those of the running system, the browser for the journeys
# (pip cannot provide a browser here), and SoftHSM, the software token the PKCS#11 seal is tested on.
set -euo pipefail
bash "$(dirname "$0")/system-packages.sh"
MISSING=()
[ -x /usr/bin/chromium ] || MISSING+=(chromium)
command -v softhsm2-util >/dev/null || MISSING+=(softhsm2)
if [ "${#MISSING[@]}" -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${MISSING[@]}" >/dev/null
  else
    echo "${MISSING[*]} missing: run 'sudo apt-get install ${MISSING[*]}'" >&2
    exit 1
  fi
fi
# Node packages the tests use (axe-core for the accessibility audit in the browser journeys,
# oidc-provider as a real OpenID provider for the sign-in tests),
# pinned by tests/node/package-lock.json; installed once, again when the lockfile changes or
# package.json lists something node_modules lacks.
NODE_DIR="$(dirname "$0")/../tests/node"
if [ ! -f "$NODE_DIR/node_modules/.package-lock.json" ] \
   || [ "$NODE_DIR/package-lock.json" -nt "$NODE_DIR/node_modules/.package-lock.json" ] \
   || ! npm ls --prefix "$NODE_DIR" --depth=0 >/dev/null 2>&1; then
  if ! command -v npm >/dev/null; then
    if [ "$(id -u)" = "0" ]; then
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
    else
      echo "npm is missing: run 'sudo apt-get install npm'" >&2
      exit 1
    fi
  fi
  npm ci --prefix "$NODE_DIR" --no-audit --no-fund --loglevel=error
fi
