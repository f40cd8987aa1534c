#!/usr/bin/env bash
# Debian packages the running system needs and pip cannot provide: Pango, HarfBuzz's subsetter
# and a font for the protocol's PDF/A (WeasyPrint). Installs only what is missing.
set -euo pipefail
wanted=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core)
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "missing system packages: run 'sudo apt-get install ${missing[*]}'" >&2
  exit 1
fi
