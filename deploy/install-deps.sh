#!/usr/bin/env bash
# Install what the TeaFleet demo, tests and sandbox fleet need from Debian's packages, and check that the
# .NET SDK is there. Idempotent and quiet: installs only what is missing, refreshes the package lists only
# when something is missing and they are older than a day (or when an install fails on stale lists).
#
# Usage: deploy/install-deps.sh        (as root, on Debian 12)
set -euo pipefail

PACKAGES=(docker.io docker-compose git iproute2 debootstrap busybox-static ufw curl postgresql-client
          redis-tools redis-server python3 ca-certificates
          nginx-light   # the maintenance page test runs the sample app's nginx snippet (tests/TeaFleet.Agent.Tests)
          clang zlib1g-dev)   # clang, zlib: the agent's Native AOT link (deploy/build.sh)

say() { printf 'install-deps: %s\n' "$*"; }
die() { printf 'install-deps: ERROR: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (it uses apt-get)"
command -v apt-get >/dev/null || die "no apt-get: this script expects Debian 12"

installed() { [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]; }

missing=()
for p in "${PACKAGES[@]}"; do installed "$p" || missing+=("$p"); done

if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  log=$(mktemp /tmp/install-deps.XXXXXX.log)
  # Package scripts must not start services (docker.io would start a dockerd in the machine's own
  # namespace, with its own firewall rules): deny them for the duration, unless a policy is already set.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 0755 /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  update() {
    say "apt-get update"
    apt-get update -q >>"$log" 2>&1 || { tail -n 20 "$log" >&2; die "apt-get update failed (log: $log)"; }
  }
  # Lists younger than a day are good enough; none at all (a fresh image) or older ones are refreshed.
  if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -1440 -print -quit 2>/dev/null)" ]; then
    update
  fi
  say "installing ${missing[*]}"
  install() { apt-get install -y -q "${missing[@]}" >>"$log" 2>&1; }
  if ! install; then
    update
    install || { tail -n 20 "$log" >&2; die "apt-get install ${missing[*]} failed (log: $log)"; }
  fi
  rm -f "$log"
fi

if command -v dotnet >/dev/null 2>&1; then
  want=$(sed -n 's/.*"version"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$(dirname "$0")/../global.json" 2>/dev/null | head -n1)
  if [ -n "$want" ] && ! dotnet --list-sdks 2>/dev/null | grep -q "^${want%%.*}\."; then
    say "WARNING: global.json asks for .NET SDK $want; installed: $(dotnet --list-sdks | awk '{print $1}' | paste -sd' ' -)"
  fi
else
  say "WARNING: the .NET SDK (dotnet) is not on PATH: the agent and controller cannot be built."
  say "         Install the .NET SDK named in global.json (Microsoft's packages, or the dotnet-install"
  say "         script) and make sure 'dotnet --version' works."
fi

say "ok${missing[*]:+ (installed ${missing[*]})}"
