#!/usr/bin/env bash
# Take the local sandbox fleet down: stop the agents and dockerds (and with them every container), then
# remove the veths, network namespaces and the bridge. Safe to run again.
#
# Usage: deploy/dev/down.sh [--purge] [--hosts LIST]
#   --purge       also delete the fleet's directory (TEAFLEET_SANDBOX, default /var/lib/teafleet-sandbox):
#                 docker data, app checkouts, certificates, agent state. The base-image cache in
#                 /var/cache/teafleet is kept.
#   --hosts LIST  only these hosts (comma-separated); their directories stay (no --purge with it), and the
#                 bridge stays while any other host's namespace exists
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PURGE=0
SOME=0
while [ $# -gt 0 ]; do
  case "$1" in
    --purge) PURGE=1 ;;
    --hosts) [ $# -ge 2 ] || die "--hosts needs a list"; select_hosts "$2"; SOME=1; shift ;;
    --hosts=*) select_hosts "${1#--hosts=}"; SOME=1 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option: $1 (try --help)" ;;
  esac
  shift
done

[ "$PURGE" -eq 0 ] || [ "$SOME" -eq 0 ] || die "--purge deletes the whole fleet; it does not go with --hosts"
require_root
tf_lock
check_fleet_root
T0=$SECONDS

# Everything of the host that a stop must end: the agent and dockerd with their descendants (compose runs,
# containerd, shims, containers), plus runtime processes that outlived an earlier dockerd.
say "stopping agents"
for h in "${SELECTED_HOSTS[@]}"; do
  if pid=$(agent_pid "$h"); then
    say "  $h: agent pid $pid"
    mapfile -t tree < <(pid_tree "$pid")
    stop_pids 20 "${tree[@]}"
  fi
  rm -f "$(agent_pidfile "$h")"
done

say "stopping dockerds"
declare -A DPID=()
for h in "${SELECTED_HOSTS[@]}"; do
  if pid=$(dockerd_pid "$h"); then
    say "  $h: dockerd pid $pid"
    DPID[$h]=$pid
    kill -TERM "$pid" 2>/dev/null || true
  fi
done
# dockerd stops its containers (stop timeout 10 s), then its containerd, then itself.
for h in "${!DPID[@]}"; do stop_pids 60 "${DPID[$h]}"; done

for h in "${SELECTED_HOSTS[@]}"; do
  end_host_runtime "$h"
  rm -f "$(dockerd_pidfile "$h")"
done

say "removing mounts, namespaces, links"
for h in "${SELECTED_HOSTS[@]}"; do
  # Whatever dockerd left mounted (its netns handle, overlays after a KILL): deepest first.
  awk -v a="$(host_exec_root "$h")/" -v b="$(host_dir "$h")/" \
    'index($5, a) == 1 || index($5, b) == 1 { print $5 }' /proc/self/mountinfo | sort -r |
    while read -r mp; do umount "$mp" 2>/dev/null || umount -l "$mp" || warn "cannot unmount $mp"; done
  # The container cgroups dockerd made under its --cgroup-parent (empty now).
  find /sys/fs/cgroup -depth -type d -path "*$(host_cgroup "$h")*" -exec rmdir {} + 2>/dev/null || true
  rm -rf "$(host_exec_root "$h")"

  mapfile -t others < <(host_netns_pids "$h")
  if [ ${#others[@]} -gt 0 ]; then
    warn "$h: processes not started by the fleet still run in $(host_netns "$h") (left alone): ${others[*]}"
  fi
  if ip link del "$(host_veth "$h")" >/dev/null 2>&1; then say "  $h: removed veth $(host_veth "$h")"; fi
  if netns_present "$h"; then ip netns del "$(host_netns "$h")" && say "  $h: removed netns $(host_netns "$h")"; fi
done
# The bridge and the fleet marker go with the last host.
others=()
for h in "${TF_HOSTS[@]}"; do netns_present "$h" && others+=("$h"); done
if [ ${#others[@]} -gt 0 ]; then
  say "  bridge $TF_BRIDGE kept: the namespaces of ${others[*]} still exist"
else
  rm -f "$TF_RUN/root"
  rmdir "$TF_RUN" 2>/dev/null || true
  if ip link show "$TF_BRIDGE" >/dev/null 2>&1; then ip link del "$TF_BRIDGE" && say "  removed bridge $TF_BRIDGE"; fi
fi

if [ "$PURGE" -eq 1 ] && [ -d "$TF_ROOT" ]; then
  [ -f "$TF_ROOT/.teafleet-sandbox" ] || die "$TF_ROOT does not look like a sandbox fleet (no .teafleet-sandbox); not deleting it"
  if awk -v r="$TF_ROOT/" 'index($5, r) == 1 { found = 1 } END { exit !found }' /proc/self/mountinfo; then
    die "something is still mounted under $TF_ROOT; not deleting it"
  fi
  rm -rf --one-file-system "$TF_ROOT"
  say "purged $TF_ROOT (base-image cache in ${TEAFLEET_CACHE:-/var/cache/teafleet} kept)"
fi

say "Fleet down in $((SECONDS - T0))s."
