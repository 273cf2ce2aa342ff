#!/usr/bin/env bash
# Installs the Debian packages the end-to-end tests and `npm start` need, when they are missing and we
# run as root. Idempotent and quiet when everything is present. Not root: print what is missing.
set -euo pipefail
# command -> Debian package
declare -A need=(
  [kubectl]=kubectl
  [sqlite3]=sqlite3
)
missing=()
for cmd in "${!need[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${need[$cmd]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "system-deps: missing Debian packages: ${missing[*]} (run as root or install them: apt-get install ${missing[*]})" >&2
  exit 0
fi
echo "system-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
