#!/usr/bin/env bash
# Install what the TeaFleet demo, tests and sandbox fleet need from Debian's packages, and check that the
# .NET SDK is there. Idempotent and quiet: installs only what is missing, refreshes the package lists only
# when something is missing and they are older than a day (or when an install fails on stale lists).
#
# Usage: deploy/install-deps.sh        (as root, on Debian 12)
set -euo pipefail

PACKAGES=(docker.io git iproute2 debootstrap busybox-static ufw curl postgresql-client
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

export DEBIAN_FRONTEND=noninteractive
log=$(mktemp /tmp/install-deps.XXXXXX.log)
# logged WHAT COMMAND...: the command's output goes to the log; if it fails, its last lines and the log's
# path (kept) are shown, and the script stops.
logged() { local what=$1; shift; "$@" >>"$log" 2>&1 || { tail -n 20 "$log" >&2; die "$what failed (log: $log)"; }; }

if [ ${#missing[@]} -gt 0 ]; then
  # Package scripts must not start services (docker.io would start a dockerd in the machine's own
  # namespace, with its own firewall rules): deny them for the duration, unless a policy is already set.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 0755 /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  update() { say "apt-get update"; logged "apt-get update" apt-get update -q; }
  # Lists younger than a day are good enough; none at all (a fresh image) or older ones are refreshed.
  if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -1440 -print -quit 2>/dev/null)" ]; then
    update
  fi
  say "installing ${missing[*]}"
  # A failure on stale lists is retried once after an update.
  if ! apt-get install -y -q "${missing[@]}" >>"$log" 2>&1; then
    update
    logged "apt-get install ${missing[*]}" apt-get install -y -q "${missing[@]}"
  fi
fi

# Compose v2, what production hosts run: Debian 12 has only v1 (1.29, Python; ~0.5 s more per call,
# other container names), Debian 13's docker-compose is v2 as one static binary (it needs only libc6 >=
# 2.34). That one package comes from trixie on the machine's own mirror, through apt (signatures checked
# with the archive keyring Debian 12 already has); the pin keeps every other package on bookworm, and
# no recommends: trixie's docker-cli (its recommend) conflicts with Debian 12's docker.io and would remove dockerd.
compose_v2() { docker-compose version --short 2>/dev/null | grep -q '^v\?2\.'; }
if ! compose_v2; then
  # shellcheck source=apt-mirror.sh
  . "$(dirname "$0")/apt-mirror.sh"
  mirror=$(find_mirror bookworm) || die "no apt source for bookworm in /etc/apt: cannot find the mirror for compose v2 (set TEAFLEET_MIRROR)"
  printf 'Types: deb\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$mirror" >/etc/apt/sources.list.d/teafleet-trixie.sources
  printf '# TeaFleet takes only docker-compose (v2) from trixie, by name: nothing else comes from there.\nPackage: *\nPin: release n=trixie\nPin-Priority: 1\n' \
    >/etc/apt/preferences.d/teafleet-trixie
  say "installing docker-compose (v2) from trixie ($mirror)"
  logged "apt-get update (with trixie)" apt-get update -q
  logged "installing docker-compose v2 from trixie" apt-get install -y -q --no-install-recommends docker-compose/trixie
  compose_v2 || die "docker-compose is still not v2 after the install: $(docker-compose version 2>&1 | head -n 1)"
  missing+=(docker-compose-v2)
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

rm -f "$log"
say "ok${missing[*]:+ (installed ${missing[*]})}"
