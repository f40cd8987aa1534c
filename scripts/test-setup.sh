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
