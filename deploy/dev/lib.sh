# shellcheck shell=bash disable=SC2034  # the variables are used by the scripts that source this
# Shared by deploy/dev/{up,down,status}.sh and usable by tests: `source deploy/dev/lib.sh`.
# Defines the sandbox fleet (hosts, addresses, paths) and small helpers. Sourcing it changes nothing
# on the machine and sets no shell options.

TF_DEV_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TF_REPO=$(cd "$TF_DEV_DIR/../.." && pwd)

# Everything a fleet owns lives under TF_ROOT, except the exec roots (TF_RUN: short paths, because
# containerd's socket paths must stay under ~100 characters) and the base-image cache (/var/cache/teafleet).
TF_ROOT=$(realpath -m "${TEAFLEET_SANDBOX:-/var/lib/teafleet-sandbox}")
TF_RUN=/run/tf
TF_LOCK=/run/lock/teafleet-sandbox.lock

TF_BRIDGE=tfbr0
TF_BRIDGE_ADDR=10.77.0.1
TF_PREFIX=24
TF_HOSTS=(staging-1 prod-1 prod-2)
declare -A TF_HOST_ADDR=([staging-1]=10.77.0.11 [prod-1]=10.77.0.21 [prod-2]=10.77.0.22)
# Where each host's app finds PostgreSQL and Redis: its own loopback, or production's data host.
declare -A TF_DATA_ADDR=([staging-1]=127.0.0.1 [prod-1]=127.0.0.1 [prod-2]=10.77.0.21)
TF_DB_PORT=5432
TF_REDIS_PORT=6379
TF_AGENT_PORT=7443
TF_HEALTH_PORT=7080
TF_PROJECT=tea
# The sample app's database password (its compose default; the db host's agent reads it from a file).
TF_DB_PASSWORD=tea-sandbox
TF_APP_SERVICES=(backend worker frontend)
TF_DATA_SERVICES=(db redis)
TF_INITIAL_TAG=v1
TF_BASE_IMAGE=teafleet/base:bookworm   # made by base-image.sh

TEAFLEET_AGENT=$(realpath -m "${TEAFLEET_AGENT:-$TF_REPO/out/agent/teafleet-agent}")
TEAFLEET_CLI=$(realpath -ms "${TEAFLEET_CLI:-$TF_REPO/out/teafleet}")
TF_PKI=$TF_ROOT/pki
TF_ORIGIN=$TF_ROOT/origin.git
TF_BASE_IMAGE_SH=$TF_DEV_DIR/base-image.sh
TF_MAKE_REPO_SH=$TF_REPO/deploy/sample-app/make-repo.sh
TF_DOCKER=${DOCKER:-docker}
TF_COMPOSE=docker-compose

# --- output -------------------------------------------------------------------------------------
say()  { printf '%s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die()  { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

require_root() { [ "$(id -u)" -eq 0 ] || die "run as root (network namespaces, dockerd)"; }

# Serialise up.sh and down.sh (fd 8 stays open until the script exits; whatever they start in the
# background must get `8>&-` so it does not keep the lock).
tf_lock() {
  mkdir -p "$(dirname "$TF_LOCK")"
  exec 8>"$TF_LOCK"
  flock -n 8 && return 0
  say "waiting for another up.sh/down.sh ($TF_LOCK)"
  flock -w 600 8 || die "another up.sh/down.sh still holds $TF_LOCK after 10 min"
}

# One fleet per machine: namespace names, addresses and exec roots are fixed, so $TF_RUN/root names the
# TEAFLEET_SANDBOX of the fleet that is up. Refuse to touch it from another one.
check_fleet_root() {
  local other
  other=$(cat "$TF_RUN/root" 2>/dev/null || true)
  [ -z "$other" ] || [ "$other" = "$TF_ROOT" ] ||
    die "the fleet on this machine is TEAFLEET_SANDBOX=$other; take it down first: TEAFLEET_SANDBOX=$other $TF_DEV_DIR/down.sh"
}

# --- per-host names and paths ---------------------------------------------------------------------
host_addr()      { printf '%s\n' "${TF_HOST_ADDR[$1]}"; }
host_dir()       { printf '%s\n' "$TF_ROOT/hosts/$1"; }
host_netns()     { printf 'tf-%s\n' "$1"; }
host_veth()      { printf 'tfv-%s\n' "$1"; }            # root-namespace end; the host's end is eth0
host_exec_root() { printf '%s\n' "$TF_RUN/$1"; }
host_sock_path() { printf '%s\n' "$TF_ROOT/hosts/$1/docker.sock"; }
host_sock()      { printf 'unix://%s\n' "$(host_sock_path "$1")"; }   # a DOCKER_HOST value
host_app_dir()   { printf '%s\n' "$TF_ROOT/hosts/$1/app"; }
host_cgroup()    { printf '/tf-%s\n' "$1"; }             # dockerd --cgroup-parent: container cgroups
# Does the host run production/staging's data services (db, redis)?
host_has_data()  { [ "${TF_DATA_ADDR[$1]}" = 127.0.0.1 ]; }
host_services()  {
  if host_has_data "$1"; then printf '%s\n' "${TF_APP_SERVICES[@]}" "${TF_DATA_SERVICES[@]}"
  else printf '%s\n' "${TF_APP_SERVICES[@]}"; fi
}

# Run a command in the host's network namespace (nsenter, not `ip netns exec`: that remounts /sys and
# dockerd would find no cgroups).
in_host() { local h=$1; shift; nsenter --net="/run/netns/$(host_netns "$h")" -- "$@"; }
# Docker client talking to the host's own dockerd.
host_docker() { local h=$1; shift; "$TF_DOCKER" -H "$(host_sock "$h")" "$@"; }

# wait_for SECONDS DESCRIPTION COMMAND...: poll until COMMAND succeeds; 1 on timeout.
wait_for() {
  local secs=$1 what=$2; shift 2
  local end=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$end" ]; then warn "timed out after ${secs}s waiting for $what"; return 1; fi
    sleep 0.2
  done
}

# --- processes --------------------------------------------------------------------------------------
proc_cmdline() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null; }
# pid_from PIDFILE PATTERN: the pid in PIDFILE if that process is alive and its command line contains
# PATTERN (so a recycled pid is never mistaken for ours).
pid_from() {
  local file=$1 pattern=$2 pid
  [ -s "$file" ] || return 1
  pid=$(tr -dc '0-9' <"$file")
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  case "$(proc_cmdline "$pid")" in *"$pattern"*) printf '%s\n' "$pid" ;; *) return 1 ;; esac
}
dockerd_pidfile() { printf '%s\n' "$(host_dir "$1")/dockerd.pid"; }
agent_pidfile()   { printf '%s\n' "$(host_dir "$1")/agent.pid"; }
dockerd_pid() { pid_from "$(dockerd_pidfile "$1")" "$(host_dir "$1")/docker "; }
agent_pid()   { pid_from "$(agent_pidfile "$1")" "$(host_dir "$1")/agent.json"; }

# The pid and all its descendants.
pid_tree() {
  ps -e -o pid=,ppid= | awk -v root="$1" '
    { kids[$2] = kids[$2] " " $1 }
    END { n = split(root, q, " "); for (i = 1; i <= n; i++) { print q[i]; m = split(kids[q[i]], k, " "); for (j = 1; j <= m; j++) q[++n] = k[j] } }'
}

# stop_pids SECONDS PID...: TERM, wait up to SECONDS, then KILL whatever is left. Returns once all are gone.
stop_pids() {
  local secs=$1; shift
  [ $# -gt 0 ] || return 0
  kill -TERM "$@" 2>/dev/null || true
  local end=$((SECONDS + secs)) p alive
  while :; do
    alive=()
    for p in "$@"; do [ -d "/proc/$p" ] && [ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" != Z ] && alive+=("$p"); done
    [ ${#alive[@]} -gt 0 ] || return 0
    if [ "$SECONDS" -ge "$end" ]; then
      warn "still running after ${secs}s, sending KILL: ${alive[*]}"
      kill -KILL "${alive[@]}" 2>/dev/null || true
      sleep 0.5
      return 0
    fi
    sleep 0.2
  done
}

# Processes that belong to a host's container runtime even when dockerd is gone: its managed containerd and
# shims (their command lines name the host's exec root) and container processes (in the host's cgroup).
host_runtime_pids() {
  local h=$1 run f p
  run="$(host_exec_root "$h")/"
  find /proc -mindepth 2 -maxdepth 2 -name exe -lname '*/containerd*' 2>/dev/null | while read -r f; do
    p=${f#/proc/}; p=${p%/exe}
    case "$(proc_cmdline "$p")" in *"$run"*) printf '%s\n' "$p" ;; esac
  done
  grep -lE ":$(host_cgroup "$h")(/|\$)" /proc/[0-9]*/cgroup 2>/dev/null | cut -d/ -f3
  return 0
}

# End what an earlier dockerd of the host left running (after it was killed or crashed): containers,
# shims, its containerd. A new dockerd cannot start its own containerd while the old one lingers: it
# finds the old pid in containerd.pid and waits for a socket that the dying containerd removes.
end_host_runtime() {
  local h=$1 left cpidfile cpid
  mapfile -t left < <(host_runtime_pids "$h" | sort -un)
  if [ ${#left[@]} -gt 0 ]; then
    say "  $h: ending leftover runtime processes: ${left[*]}"
    stop_pids 10 "${left[@]}"
  fi
  cpidfile="$(host_exec_root "$h")/containerd/containerd.pid"
  if [ -s "$cpidfile" ]; then
    cpid=$(tr -dc '0-9' <"$cpidfile")
    # Only while that pid is still (or, half-exited, with an empty command line) the old containerd.
    if [ -n "$cpid" ] && [ -d "/proc/$cpid" ]; then
      case "$(proc_cmdline "$cpid")" in
        *"$(host_exec_root "$h")/"*) stop_pids 10 "$cpid" ;;
        '') wait_for 10 "old containerd $cpid to exit" test ! -d "/proc/$cpid" || true ;;
      esac
    fi
    rm -f "$cpidfile"
  fi
}

# Processes whose network namespace is the host's (whoever started them).
host_netns_pids() {
  local f ino
  f="/run/netns/$(host_netns "$1")"
  [ -e "$f" ] || return 0
  ino=$(stat -L -c %i "$f")
  find /proc -mindepth 3 -maxdepth 3 -path '/proc/[0-9]*/ns/net' -lname "net:\\[$ino\\]" 2>/dev/null | cut -d/ -f3
  return 0
}

# --- health ---------------------------------------------------------------------------------------------
netns_present() { [ -e "/run/netns/$(host_netns "$1")" ]; }
dockerd_up() {
  [ -S "$(host_sock_path "$1")" ] &&
    [ "$(curl -fsS --max-time 3 --unix-socket "$(host_sock_path "$1")" http://docker/_ping 2>/dev/null)" = OK ]
}
# HTTP status of the agent's /healthz ("000" when nothing answers).
agent_health_code() {
  curl -s --noproxy '*' -o /dev/null -w '%{http_code}' --max-time 2 \
    "http://$(host_addr "$1"):$TF_HEALTH_PORT/healthz" 2>/dev/null || true
}
agent_answers() { [ "$(agent_health_code "$1")" != 000 ]; }
# tcp_open HOST ADDR PORT: can HOST (from its own namespace) open a TCP connection to ADDR:PORT?
tcp_open() { in_host "$1" timeout 2 bash -c "exec 3<>/dev/tcp/$2/$3" 2>/dev/null; }

# A table: host, address, netns, dockerd, agent, running containers.
print_status_table() {
  local h ns dpid apid code containers
  printf '%-10s %-11s %-6s %-14s %-20s %s\n' HOST ADDRESS NETNS DOCKERD AGENT CONTAINERS
  for h in "${TF_HOSTS[@]}"; do
    ns=no; netns_present "$h" && ns=yes
    if dpid=$(dockerd_pid "$h"); then
      if dockerd_up "$h"; then
        containers=$(host_docker "$h" ps --format '{{.Names}}' 2>/dev/null | sort | paste -sd, -)
        containers=${containers:--}
      else dpid="$dpid(no-api)"; containers='?'; fi
    else dpid=down; containers='-'; fi
    if apid=$(agent_pid "$h"); then
      code=$(agent_health_code "$h")
      if [ "$code" = 000 ]; then apid="$apid (no answer)"; else apid="$apid (healthz $code)"; fi
    else apid=down; fi
    printf '%-10s %-11s %-6s %-14s %-20s %s\n' "$h" "$(host_addr "$h")" "$ns" "$dpid" "$apid" "$containers"
  done
}
