#!/usr/bin/env bash
# Show the local sandbox fleet: per host its network namespace, dockerd, agent (/healthz) and running
# containers. Exit status 0 when every host (shown) has its namespace and a dockerd that answers, else 1.
#
# Usage: deploy/dev/status.sh [--hosts LIST]
#   --hosts LIST  only these hosts (comma-separated, e.g. b-staging-1,b-prod-1)
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

while [ $# -gt 0 ]; do
  case "$1" in
    --hosts) [ $# -ge 2 ] || die "--hosts needs a list"; select_hosts "$2"; shift ;;
    --hosts=*) select_hosts "${1#--hosts=}" ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option: $1 (try --help)" ;;
  esac
  shift
done
require_root

bridge=$(ip -br addr show "$TF_BRIDGE" 2>/dev/null | awk '{print $2, $3}' || true)
say "Sandbox fleet in $TF_ROOT, bridge $TF_BRIDGE: ${bridge:-absent}"
print_status_table "${SELECTED_HOSTS[@]}"

ok=0
for h in "${SELECTED_HOSTS[@]}"; do
  netns_present "$h" && dockerd_up "$h" || ok=1
done
exit "$ok"
