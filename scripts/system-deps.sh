#!/usr/bin/env bash
# Installs the Debian packages the end-to-end tests and `npm start` need, when they are missing and we
# run as root. Idempotent and quiet when everything is present. Not root: print what is missing.
set -euo pipefail
# command -> Debian package
declare -A need=(
  [kubectl]=kubectl
  [sqlite3]=sqlite3
  # real-container tests (test/harness/containerd.ts, images.ts); ctr comes with containerd
  [containerd]=containerd
  [ctr]=containerd
  [runc]=runc
  [umoci]=umoci
  [busybox]=busybox-static
  [gcc]=gcc
  [skopeo]=skopeo
  [docker-registry]=docker-registry
  [iptables]=iptables
  [ip]=iproute2
  # device tests: a real MQTT broker and device apps (mosquitto_pub/sub)
  [mosquitto_pub]=mosquitto-clients
  [mosquitto_sub]=mosquitto-clients
  [mosquitto_passwd]=mosquitto
)
# file -> Debian package, for what is not a command on PATH
declare -A need_file=(
  [/usr/lib/cni/bridge]=containernetworking-plugins
  [/usr/include/stdio.h]=libc6-dev
  [/usr/sbin/mosquitto]=mosquitto
)
missing=()
for cmd in "${!need[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${need[$cmd]}")
done
for file in "${!need_file[@]}"; do
  [ -e "$file" ] || missing+=("${need_file[$file]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
if [ "$(id -u)" -ne 0 ]; then
  echo "system-deps: missing Debian packages: ${missing[*]} (run as root or install them: apt-get install ${missing[*]})" >&2
  exit 0
fi
echo "system-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
