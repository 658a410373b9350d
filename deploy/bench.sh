#!/usr/bin/env bash
# Benchmarks, each its own command; results go in docs/benchmarks.md by hand, with the machine and date.
#   deploy/bench.sh type1 [ROUNDS]   Type 1 rollback vs the runbook's manual commands (sandbox fleet)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
case "${1:-}" in
  type1) shift; bash "$repo/deploy/install-deps.sh"; command -v bc >/dev/null || apt-get install -y -qq bc >/dev/null
         [ -x "$repo/out/teafleet" ] || bash "$repo/deploy/build.sh"
         bash "$repo/deploy/dev/up.sh" >/dev/null
         exec bash "$repo/deploy/bench/type1.sh" "$@" ;;
  *) echo "usage: deploy/bench.sh type1 [ROUNDS]" >&2; exit 2 ;;
esac
