# shellcheck shell=bash disable=SC2034,SC2086  # the variables are used by the scripts that source this; TF_APP_* lists are split on purpose
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
TF_HOSTS=(staging-1 prod-1 prod-2 b-staging-1 b-prod-1)
declare -A TF_HOST_ADDR=([staging-1]=10.77.0.11 [prod-1]=10.77.0.21 [prod-2]=10.77.0.22
                         [b-staging-1]=10.77.0.31 [b-prod-1]=10.77.0.41)
# Where each host's app finds PostgreSQL and Redis: its own loopback, or production's data host.
declare -A TF_DATA_ADDR=([staging-1]=127.0.0.1 [prod-1]=127.0.0.1 [prod-2]=10.77.0.21
                         [b-staging-1]=127.0.0.1 [b-prod-1]=127.0.0.1)
# Which app each host runs: a = the sample app (deploy/sample-app), b = Kiosk (deploy/sample-app-b).
declare -A TF_HOST_APP=([staging-1]=a [prod-1]=a [prod-2]=a [b-staging-1]=b [b-prod-1]=b)
# Kiosk's production host migrates by command (Agent:Migrations:RunOnDeploy): a deploy there runs the
# upgrade as its own step, with the target's scripts, before any service switches. b-staging-1 leaves
# it to the release (its api's start-up, or its one-shot migrate), so both shapes are tested.
declare -A TF_HOST_RUN_ON_DEPLOY=([b-prod-1]=true)
TF_AGENT_PORT=7443
TF_HEALTH_PORT=7080
TF_BASE_IMAGE=teafleet/base:bookworm   # made by base-image.sh

# --- the apps -------------------------------------------------------------------------------------
# Per app (key a or b): its sources (make-repo.sh input), origin repo, first tag, Compose project, the
# services of App:Services (app ones, then data ones), what a deploy switches by default, the data
# services' ports and database, how its Alembic runs (agent.json's Migrations and MigrationsPath),
# the local health URLs and images that stand in for pulled upstream images (IMAGE=BUILD_DIR).
# Lists are space-separated words. Every release of both apps tags its images with TEA_RELEASE.
TF_APPS=(a b)
declare -A TF_APP_SOURCE=([a]="$TF_REPO/deploy/sample-app" [b]="$TF_REPO/deploy/sample-app-b")
declare -A TF_APP_ORIGIN=([a]="$TF_ROOT/origin.git" [b]="$TF_ROOT/origin-b.git")
declare -A TF_APP_INITIAL_TAG=([a]=v1 [b]=1.0.0)
declare -A TF_APP_PROJECT=([a]=tea [b]=kiosk)
declare -A TF_APP_APP_SERVICES=([a]="backend worker frontend" [b]="api admin worker migrate dashboard")
declare -A TF_APP_RELEASE_SERVICES=([a]="backend worker frontend" [b]="api admin worker migrate dashboard")
declare -A TF_APP_DATA_SERVICES=([a]="db redis" [b]="postgres redis")
declare -A TF_APP_DB_PORT=([a]=5432 [b]=5433)
declare -A TF_APP_REDIS_PORT=([a]=6379 [b]=6380)
declare -A TF_APP_DB_NAME=([a]=tea [b]=kiosk)
declare -A TF_APP_DB_USER=([a]=tea [b]=kiosk)
# The app's database password (its compose default; the db host's agent reads it from a file).
declare -A TF_APP_DB_PASSWORD=([a]=tea-sandbox [b]=kiosk-sandbox)
declare -A TF_APP_MIGRATIONS_SERVICE=([a]=backend [b]=api)
declare -A TF_APP_ALEMBIC_INI=([a]=/app/alembic.ini [b]=/app/config/alembic.ini)   # inside the image
declare -A TF_APP_MIGRATIONS_PATH=([a]=backend/alembic/versions [b]=api/kiosk/migrations/versions)
# The ports the app serves the public on: the ports the sandbox's ufw opens and the agent's
# Agent:Firewall:Ports (what a block closes).
# The app's worker queue in its Redis (the data host's agent: Agent:Queue): database and key.
declare -A TF_APP_REDIS_DB=([a]=0 [b]=1)
declare -A TF_APP_QUEUE_KEY=([a]=tea:jobs [b]=kiosk:jobs)
declare -A TF_APP_PUBLIC_PORTS=([a]="80 443" [b]="8081 8082")
# The service whose nginx serves TeaFleet's maintenance page (Agent:Maintenance:ProxyService), the
# directory its compose mounts being each host's $(host_maintenance_dir); empty: the app has no proxy
# and no maintenance page (app B: its inventory keeps blocking with ufw).
declare -A TF_APP_MAINTENANCE_PROXY=([a]=frontend [b]="")
# A service a switch hands over without a gap (Agent:App:Rolling): "SERVICE PORT_VARIABLE PORT STAND_IN_PORT
# PROXY HEALTH_PATH", its upstream file each host's $(host_upstream_dir)/SERVICE.conf (the proxy's compose
# mounts the directory); empty: none (app B has no proxy: its services are recreated).
declare -A TF_APP_ROLLING=([a]="backend TEA_BACKEND_PORT 8000 8001 frontend /health" [b]="")
declare -A TF_APP_HEALTH_URLS=([a]="http://127.0.0.1/health http://127.0.0.1/api/v1/health"
                               [b]="http://127.0.0.1:8081/healthz http://127.0.0.1:8082/status")
declare -A TF_APP_UPSTREAM_IMAGES=([a]="" [b]="kiosk-upstream/dashboard:2.1.4=$TF_DEV_DIR/kiosk-dashboard")

# The sample app's (app a's) settings under their old names, for scripts that know only that app
# (deploy/bench, tests).
TF_DB_PORT=${TF_APP_DB_PORT[a]}
TF_REDIS_PORT=${TF_APP_REDIS_PORT[a]}
TF_PROJECT=${TF_APP_PROJECT[a]}
TF_DB_PASSWORD=${TF_APP_DB_PASSWORD[a]}
read -r -a TF_APP_SERVICES <<<"${TF_APP_APP_SERVICES[a]}"
read -r -a TF_DATA_SERVICES <<<"${TF_APP_DATA_SERVICES[a]}"
TF_INITIAL_TAG=${TF_APP_INITIAL_TAG[a]}

TEAFLEET_AGENT=$(realpath -m "${TEAFLEET_AGENT:-$TF_REPO/out/agent/teafleet-agent}")
TEAFLEET_CLI=$(realpath -ms "${TEAFLEET_CLI:-$TF_REPO/out/teafleet}")
TF_PKI=$TF_ROOT/pki
TF_ORIGIN=${TF_APP_ORIGIN[a]}
TF_BASE_IMAGE_SH=$TF_DEV_DIR/base-image.sh
TF_MAKE_REPO_SH=$TF_REPO/deploy/sample-app/make-repo.sh   # builds either app's origin (SOURCE_DIR argument)
TF_DOCKER=${DOCKER:-docker}
TF_COMPOSE=docker-compose   # v2 (install-deps.sh takes Debian 13's), as on production hosts
# tf_compose ARGS...: compose with the classic builder (BuildKit's RUN needs a bridge network, and the
# sandbox's dockerds run with --bridge=none; the agent sets the same for its builds).
tf_compose() { DOCKER_BUILDKIT=0 COMPOSE_DOCKER_CLI_BUILD=0 "$TF_COMPOSE" "$@"; }

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
# The maintenance page's directory (Agent:Maintenance:Directory; the app's nginx mounts it read-only).
host_maintenance_dir() { printf '%s\n' "$TF_ROOT/hosts/$1/maintenance"; }
# The upstream files' directory (Agent:App:Rolling:UpstreamFile; the app's nginx mounts it read-only).
host_upstream_dir() { printf '%s\n' "$TF_ROOT/hosts/$1/upstreams"; }
host_cgroup()    { printf '/tf-%s\n' "$1"; }             # dockerd --cgroup-parent: container cgroups
# The host's app (a or b) and its settings.
host_app()       { printf '%s\n' "${TF_HOST_APP[$1]}"; }
host_project()   { printf '%s\n' "${TF_APP_PROJECT[${TF_HOST_APP[$1]}]}"; }
host_origin()    { printf '%s\n' "${TF_APP_ORIGIN[${TF_HOST_APP[$1]}]}"; }
host_db_port()   { printf '%s\n' "${TF_APP_DB_PORT[${TF_HOST_APP[$1]}]}"; }
host_redis_port(){ printf '%s\n' "${TF_APP_REDIS_PORT[${TF_HOST_APP[$1]}]}"; }
host_data_services() { printf '%s\n' ${TF_APP_DATA_SERVICES[${TF_HOST_APP[$1]}]}; }
# Does the host run production/staging's data services (db, redis)?
host_has_data()  { [ "${TF_DATA_ADDR[$1]}" = 127.0.0.1 ]; }
host_services()  {
  local app=${TF_HOST_APP[$1]}
  if host_has_data "$1"; then printf '%s\n' ${TF_APP_APP_SERVICES[$app]} ${TF_APP_DATA_SERVICES[$app]}
  else printf '%s\n' ${TF_APP_APP_SERVICES[$app]}; fi
}
# The checkout's untracked .env: where the app finds its data services.
host_env() {
  local h=$1 data=${TF_DATA_ADDR[$1]}
  case "${TF_HOST_APP[$h]}" in
    a) printf 'TEA_DB_HOST=%s\nTEA_REDIS_HOST=%s\n' "$data" "$data"
       printf 'TEA_MAINTENANCE_DIR=%s\n' "$(host_maintenance_dir "$h")"
       printf 'TEA_UPSTREAM_DIR=%s\n' "$(host_upstream_dir "$h")" ;;
    b) printf 'KIOSK_DATABASE_URL=postgresql+psycopg2://%s:%s@%s:%s/%s\n' "${TF_APP_DB_USER[b]}" "${TF_APP_DB_PASSWORD[b]}" \
         "$data" "${TF_APP_DB_PORT[b]}" "${TF_APP_DB_NAME[b]}"
       printf 'KIOSK_REDIS_URL=redis://%s:%s/1\n' "$data" "${TF_APP_REDIS_PORT[b]}"
       printf 'KIOSK_DB_PASSWORD=%s\n' "${TF_APP_DB_PASSWORD[b]}" ;;
  esac
}
# The apps of some hosts, each once, in TF_APPS order.
apps_of() {
  local a h
  for a in "${TF_APPS[@]}"; do
    for h in "$@"; do if [ "${TF_HOST_APP[$h]}" = "$a" ]; then printf '%s\n' "$a"; break; fi; done
  done
}
# The running-or-not container of a Compose service of the host's project (no container_name is assumed).
data_container() {
  host_docker "$1" ps -a --filter "label=com.docker.compose.project=$(host_project "$1")" \
    --filter "label=com.docker.compose.service=$2" --format '{{.Names}}' 2>/dev/null | head -n 1
}

# --hosts LIST (comma-separated) -> SELECTED_HOSTS; without it, every host. Unknown names are an error.
SELECTED_HOSTS=("${TF_HOSTS[@]}")
select_hosts() {
  local list=$1 h k known want
  SELECTED_HOSTS=()
  IFS=, read -r -a want <<<"$list"
  for h in "${want[@]}"; do
    [ -n "$h" ] || continue
    known=0
    for k in "${TF_HOSTS[@]}"; do [ "$k" = "$h" ] && known=1; done
    [ "$known" -eq 1 ] || die "unknown host '$h' (hosts: ${TF_HOSTS[*]})"
    SELECTED_HOSTS+=("$h")
  done
  [ ${#SELECTED_HOSTS[@]} -gt 0 ] || die "--hosts needs at least one host (hosts: ${TF_HOSTS[*]})"
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
# ufw of one host: in its network namespace and in a private mount namespace where /etc/ufw, /lib/ufw
# and /etc/default/ufw are the host's own copies (as the agent runs it): never the machine's firewall.
# shellcheck disable=SC2016 # $1.. are expanded by the inner sh
host_ufw() {
  local h=$1 dir; shift
  dir=$(host_dir "$h")
  nsenter --net="/run/netns/$(host_netns "$h")" -- unshare --mount --propagation slave -- \
    /bin/sh -c 'mount --bind "$1" /etc/ufw && mount --bind "$2" /lib/ufw && mount --bind "$3" /etc/default/ufw && shift 3 && exec ufw "$@"' \
    ufw-"$h" "$dir/ufw/etc" "$dir/ufw/lib" "$dir/ufw/default/ufw" "$@"
}
tcp_open() { in_host "$1" timeout 2 bash -c "exec 3<>/dev/tcp/$2/$3" 2>/dev/null; }

# A table: host, address, netns, dockerd, agent, running containers.
print_status_table() {
  local h ns dpid apid code containers hosts=("$@")
  [ $# -gt 0 ] || hosts=("${TF_HOSTS[@]}")
  printf '%-11s %-11s %-6s %-14s %-20s %s\n' HOST ADDRESS NETNS DOCKERD AGENT CONTAINERS
  for h in "${hosts[@]}"; do
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
    printf '%-11s %-11s %-6s %-14s %-20s %s\n' "$h" "$(host_addr "$h")" "$ns" "$dpid" "$apid" "$containers"
  done
}
