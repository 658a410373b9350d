#!/usr/bin/env bash
# Benchmarks, each its own command; results go in docs/benchmarks.md by hand, with the machine and date.
#   deploy/bench.sh type1 [ROUNDS]   Type 1 rollback vs the runbook's manual commands (sandbox fleet)
#   deploy/bench.sh ab REV_A REV_B [ROUNDS]
#                                    the same Type 1 with two revisions' controller and agent, in turn (a budget
#                                    such as "no slower than before by more than 0.2 s"); builds into out/ab/
#   deploy/bench.sh db [ROUNDS]      database backup and restore vs pg_dump and the runbook's gunzip | psql
#                                    (a PostgreSQL cluster and an agent of its own; not the sandbox fleet)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
case "${1:-}" in
  type1) shift; bash "$repo/deploy/install-deps.sh"; command -v bc >/dev/null || apt-get install -y -qq bc >/dev/null
         [ -x "$repo/out/teafleet" ] || bash "$repo/deploy/build.sh"
         bash "$repo/deploy/dev/up.sh" >/dev/null
         exec bash "$repo/deploy/bench/type1.sh" "$@" ;;
  ab) shift; bash "$repo/deploy/install-deps.sh"; command -v bc >/dev/null || apt-get install -y -qq bc >/dev/null
      [ -x "$repo/out/agent/teafleet-agent" ] || bash "$repo/deploy/build.sh"
      bash "$repo/deploy/dev/up.sh" >/dev/null
      exec bash "$repo/deploy/bench/ab.sh" "$@" ;;
  db) shift; bash "$repo/deploy/install-deps.sh"
      # The PostgreSQL 15 server (Debian 12's); its package scripts must not start a cluster of their own.
      if ! dpkg-query -W -f='${db:Status-Status}' postgresql-15 2>/dev/null | grep -qx installed; then
        [ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod 0755 /usr/sbin/policy-rc.d; trap 'rm -f /usr/sbin/policy-rc.d' EXIT; }
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
      fi
      { [ -x "$repo/out/teafleet" ] && [ -x "$repo/out/agent/teafleet-agent" ]; } || bash "$repo/deploy/build.sh"
      exec bash "$repo/deploy/bench/db.sh" "$@" ;;
  *) echo "usage: deploy/bench.sh type1|db [ROUNDS] | ab REV_A REV_B [ROUNDS]" >&2; exit 2 ;;
esac
