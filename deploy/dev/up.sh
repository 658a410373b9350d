#!/usr/bin/env bash
# Bring the local sandbox fleet up: staging-1, prod-1, prod-2 (the sample app) and b-staging-1, b-prod-1
# (sample app B, Kiosk), each a network namespace on the bridge tfbr0 with its own dockerd, app
# checkout, data services (all but prod-2) and TeaFleet agent.
# Safe to run again: whatever is already up is left alone, whatever died is started again.
#
# Usage: deploy/dev/up.sh [--no-agents] [--hosts LIST]
#   --no-agents   do not start the agents (everything else, agent.json and certificates included, is done)
#   --hosts LIST  only these hosts (comma-separated, e.g. b-staging-1,b-prod-1); the others are not touched
#
# Environment: TEAFLEET_SANDBOX (default /var/lib/teafleet-sandbox), TEAFLEET_AGENT, TEAFLEET_CLI.
# See deploy/dev/README.md.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

START_AGENTS=1
while [ $# -gt 0 ]; do
  case "$1" in
    --no-agents) START_AGENTS=0 ;;
    --hosts) [ $# -ge 2 ] || die "--hosts needs a list (e.g. --hosts b-staging-1,b-prod-1)"; select_hosts "$2"; shift ;;
    --hosts=*) select_hosts "${1#--hosts=}" ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option: $1 (try --help)" ;;
  esac
  shift
done

require_root
for tool in ip nsenter unshare setsid flock dockerd git curl "$TF_DOCKER" "$TF_COMPOSE"; do
  command -v "$tool" >/dev/null || die "$tool not found: run deploy/install-deps.sh"
done
"$TF_COMPOSE" version --short 2>/dev/null | grep -q '^v\?2\.' ||
  die "$TF_COMPOSE is not Compose v2 ($("$TF_COMPOSE" version --short 2>&1 | head -n 1)): run deploy/install-deps.sh"
tf_lock

T0=$SECONDS
CHANGED=0   # set to 1 by any step that had something to do
did() { CHANGED=1; say "  $*"; }

# --- network: bridge, one namespace + veth per host ----------------------------------------------------
ensure_bridge() {
  if ! ip link show "$TF_BRIDGE" >/dev/null 2>&1; then
    ip link add "$TF_BRIDGE" type bridge
    did "created bridge $TF_BRIDGE"
  fi
  ip addr replace "$TF_BRIDGE_ADDR/$TF_PREFIX" dev "$TF_BRIDGE"
  ip link set "$TF_BRIDGE" up
}

ensure_netns() {
  local h=$1 ns veth addr
  ns=$(host_netns "$h"); veth=$(host_veth "$h"); addr=$(host_addr "$h")
  if ! netns_present "$h"; then
    ip netns add "$ns"
    did "$h: created netns $ns"
  fi
  # The host's end is eth0; (re)create the pair if it is missing or its peer sits in another namespace.
  if ! ip -n "$ns" link show eth0 >/dev/null 2>&1; then
    ip link del "$veth" >/dev/null 2>&1 || true
    ip link add "$veth" type veth peer name eth0 netns "$ns"
    # A host taken down and brought up again gets a new MAC: forget the old one at once instead of
    # sending to it until the neighbour entry goes stale.
    ip neigh flush to "$addr" dev "$TF_BRIDGE" 2>/dev/null || true
    did "$h: created veth $veth <-> $ns:eth0"
  fi
  ip link set "$veth" master "$TF_BRIDGE" up
  ip -n "$ns" addr replace "$addr/$TF_PREFIX" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" link set lo up
}

# --- files: dirs, private ufw copies -----------------------------------------------------------------------
ensure_dirs() {
  local h=$1 dir
  dir=$(host_dir "$h")
  mkdir -p "$dir/state" "$dir/backups" "$(host_exec_root "$h")"
  # The maintenance page's directory, searchable by the app's nginx workers (nobody) through its mount.
  [ -z "${TF_APP_MAINTENANCE_PROXY[$(host_app "$h")]}" ] || install -d -m 0755 "$(host_maintenance_dir "$h")"
  [ -z "${TF_APP_ROLLING[$(host_app "$h")]}" ] || install -d -m 0755 "$(host_upstream_dir "$h")"
  # ufw only ever runs in the host's namespaces, over bind mounts of these copies (see start_agent).
  if [ ! -d "$dir/ufw" ]; then
    mkdir -p "$dir/ufw.tmp/default"
    cp -a /etc/ufw "$dir/ufw.tmp/etc"
    cp -a /lib/ufw "$dir/ufw.tmp/lib"
    cp -a /etc/default/ufw "$dir/ufw.tmp/default/ufw"
    mv "$dir/ufw.tmp" "$dir/ufw"
    did "$h: private ufw config in $dir/ufw"
  fi
}

# The host's firewall, as a VPS has one: ufw active in the host's namespace (never the machine's),
# incoming allowed by default (the fleet's own ports: agents, databases between hosts) and the app's
# public ports allowed by rules of their own, which a block turns into denies and an allow puts back.
# Enabling again after the namespace was made anew loads the rules the host's copy holds.
# shellcheck disable=SC2086  # TF_APP_PUBLIC_PORTS is a space-separated list
ensure_ufw() {
  local h=$1 port was
  was=$(host_ufw "$h" status 2>/dev/null | head -n 1 || true)
  if [ "$was" != "Status: active" ]; then
    host_ufw "$h" default allow incoming >/dev/null
    for port in ${TF_APP_PUBLIC_PORTS[$(host_app "$h")]}; do host_ufw "$h" allow "$port/tcp" >/dev/null; done
  fi
  host_ufw "$h" --force enable >/dev/null || die "$h: ufw enable failed in its namespace"
  [ "$was" = "Status: active" ] || did "$h: ufw active in its namespace (public ports ${TF_APP_PUBLIC_PORTS[$(host_app "$h")]})"
}

# --- dockerd -----------------------------------------------------------------------------------------------
start_dockerd() {
  local h=$1 dir pid
  dir=$(host_dir "$h")
  if pid=$(dockerd_pid "$h"); then
    # Alive: give a starting dockerd time to answer before declaring it hung.
    if wait_for 30 "dockerd of $h (pid $pid)" dockerd_up "$h"; then return 0; fi
    warn "$h: dockerd pid $pid does not answer on $(host_sock "$h"); restarting it"
    stop_pids 30 "$pid"
  fi
  rm -f "$(dockerd_pidfile "$h")"
  end_host_runtime "$h"
  # No config file from /etc/docker: the host's settings are these flags and nothing else.
  [ -f "$dir/daemon.json" ] || echo '{}' >"$dir/daemon.json"
  printf '\n==== %s dockerd starting\n' "$(date -Is)" >>"$dir/dockerd.log"
  # Started from the host's directory, like a service with its own working directory.
  (cd "$dir" && exec setsid nsenter --net="/run/netns/$(host_netns "$h")" -- dockerd \
    --data-root "$dir/docker" \
    --exec-root "$(host_exec_root "$h")" \
    --host "$(host_sock "$h")" \
    --pidfile "$(dockerd_pidfile "$h")" \
    --config-file "$dir/daemon.json" \
    --cgroup-parent "$(host_cgroup "$h")" \
    --bridge=none --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
    --live-restore=false) \
    >>"$dir/dockerd.log" 2>&1 </dev/null 8>&- &
  if ! wait_for 60 "dockerd of $h" dockerd_up "$h"; then
    tail -n 20 "$dir/dockerd.log" >&2
    die "$h: dockerd did not come up (log: $dir/dockerd.log)"
  fi
  did "$h: dockerd started (pid $(dockerd_pid "$h"), $(host_sock "$h"))"
}

# --- base image, origin repo, app checkout -------------------------------------------------------------------
ensure_base_image() {
  local h=$1 out before
  [ -x "$TF_BASE_IMAGE_SH" ] || die "$TF_BASE_IMAGE_SH not found (it builds $TF_BASE_IMAGE)"
  before=$(host_docker "$h" image inspect -f '{{.Id}}' "$TF_BASE_IMAGE" 2>/dev/null || true)
  if ! out=$("$TF_BASE_IMAGE_SH" "$(host_sock "$h")" 2>&1); then
    printf '%s\n' "$out" >&2
    die "$h: $TF_BASE_IMAGE_SH failed"
  fi
  [ "$(host_docker "$h" image inspect -f '{{.Id}}' "$TF_BASE_IMAGE" 2>/dev/null)" = "$before" ] ||
    did "$h: imported $TF_BASE_IMAGE"
}

# make-repo.sh is idempotent: it creates the repo once and later only appends releases added since.
# One origin per app (a: $TF_ROOT/origin.git, b: $TF_ROOT/origin-b.git).
ensure_origin() {
  local app=$1 before origin src tag log
  origin=${TF_APP_ORIGIN[$app]} src=${TF_APP_SOURCE[$app]} tag=${TF_APP_INITIAL_TAG[$app]}
  log="$TF_ROOT/make-repo.log"; [ "$app" = a ] || log="$TF_ROOT/make-repo-$app.log"
  [ -x "$TF_MAKE_REPO_SH" ] || die "$TF_MAKE_REPO_SH not found (it makes the apps' origin repos)"
  before=$(git --git-dir="$origin" show-ref --tags 2>/dev/null || true)
  "$TF_MAKE_REPO_SH" "$origin" "$src" >/dev/null 2>"$log" ||
    { cat "$log" >&2; die "$TF_MAKE_REPO_SH $origin $src failed"; }
  git --git-dir="$origin" rev-parse -q --verify "refs/tags/$tag" >/dev/null ||
    die "$origin has no tag $tag"
  [ "$(git --git-dir="$origin" show-ref --tags)" = "$before" ] || did "origin repo $origin ($(git --git-dir="$origin" tag | sort -V | paste -sd' ' -))"
}

# The checkout is cloned once at the initial tag; afterwards it belongs to the agent (never reset here).
ensure_checkout() {
  local h=$1 app env origin tag
  app=$(host_app_dir "$h") origin=$(host_origin "$h") tag=${TF_APP_INITIAL_TAG[$(host_app "$h")]}
  if [ ! -d "$app/.git" ]; then
    rm -rf "$app.tmp"
    git clone -q --no-checkout "$origin" "$app.tmp"
    git -C "$app.tmp" -c advice.detachedHead=false checkout -q --detach "$tag"
    mv "$app.tmp" "$app"
    did "$h: cloned $origin at $tag into $app"
  fi
  env=$(host_env "$h")
  if [ "$(cat "$app/.env" 2>/dev/null)" != "$env" ]; then
    printf '%s\n' "$env" >"$app/.env"
    did "$h: wrote $app/.env"
  fi
}

# Images the app pulls from elsewhere (app B's dashboard): built here once from a stand-in directory,
# as if pulled; never by TeaFleet.
# shellcheck disable=SC2086  # TF_APP_* lists are space-separated words, split on purpose
ensure_upstream_images() {
  local h=$1 spec image dir
  for spec in ${TF_APP_UPSTREAM_IMAGES[$(host_app "$h")]}; do
    image=${spec%%=*} dir=${spec#*=}
    host_docker "$h" image inspect "$image" >/dev/null 2>&1 && continue
    if ! DOCKER_BUILDKIT=0 host_docker "$h" build -q -t "$image" "$dir" >>"$(host_dir "$h")/provision.log" 2>&1; then
      tail -n 20 "$(host_dir "$h")/provision.log" >&2
      die "$h: building the stand-in for $image from $dir failed"
    fi
    did "$h: $image (stand-in for an upstream image, built from $dir)"
  done
}

# --- data services (db, redis) on the hosts that have them ---------------------------------------------------
# shellcheck disable=SC2046  # service names are single words
ensure_data_services() {
  local h=$1 app c name state project missing=() stopped=()
  host_has_data "$h" || return 0
  app=$(host_app_dir "$h") project=$(host_project "$h")
  for c in $(host_data_services "$h"); do
    name=$(data_container "$h" "$c")
    state=""
    [ -z "$name" ] || state=$(host_docker "$h" inspect -f '{{.State.Running}}' "$name" 2>/dev/null || true)
    case "$state" in true) ;; false) stopped+=("$name") ;; *) missing+=("$c") ;; esac
  done
  if [ ${#stopped[@]} -gt 0 ]; then
    host_docker "$h" start "${stopped[@]}" >/dev/null
    did "$h: started ${stopped[*]}"
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    local release log
    log="$(host_dir "$h")/provision.log"
    release=$(git -C "$app" rev-parse HEAD)
    say "  $h: building and starting ${missing[*]} at ${release:0:12} (log: $log)"
    if ! (cd "$app" && DOCKER_HOST=$(host_sock "$h") TEA_RELEASE=$release \
          tf_compose -p "$project" -f compose.yml up -d --build "${missing[@]}") >>"$log" 2>&1; then
      tail -n 30 "$log" >&2
      die "$h: docker-compose up ${missing[*]} failed"
    fi
    did "$h: ${missing[*]} up"
  fi
}

wait_data_ready() {
  local h=$1
  host_has_data "$h" || return 0
  wait_for 60 "PostgreSQL on $h" tcp_open "$h" 127.0.0.1 "$(host_db_port "$h")" || die "$h: PostgreSQL does not accept connections"
  wait_for 30 "Redis on $h" tcp_open "$h" 127.0.0.1 "$(host_redis_port "$h")" || die "$h: Redis does not accept connections"
}

# --- certificates, agent config, agents ---------------------------------------------------------------------
ensure_certs() {
  local h
  if [ ! -x "$TEAFLEET_CLI" ]; then
    say "  certificates: skipped, controller CLI not built ($TEAFLEET_CLI; build it or set TEAFLEET_CLI)"
    return 1
  fi
  if [ ! -f "$TF_PKI/ca.crt" ] || [ ! -f "$TF_PKI/operator.crt" ]; then
    "$TEAFLEET_CLI" certs init --dir "$TF_PKI" >/dev/null || die "$TEAFLEET_CLI certs init failed"
    did "fleet CA and operator certificate in $TF_PKI"
  fi
  for h in "${SELECTED_HOSTS[@]}"; do
    if [ ! -f "$TF_PKI/$h.crt" ] || [ ! -f "$TF_PKI/$h.key" ]; then
      "$TEAFLEET_CLI" certs agent "$h" --dir "$TF_PKI" >/dev/null || die "$TEAFLEET_CLI certs agent $h failed"
      did "$h: agent certificate $TF_PKI/$h.crt"
    fi
  done
}

# shellcheck disable=SC2086  # TF_APP_* lists are space-separated words, split on purpose
write_agent_config() {
  local h=$1 dir services release_services json database app health maintenance rolling=""
  dir=$(host_dir "$h") app=$(host_app "$h")
  services=$(host_services "$h" | json_list)
  # What a deploy or rollback switches by default: the app's code, never the data services.
  release_services=$(printf '%s\n' ${TF_APP_RELEASE_SERVICES[$app]} | json_list)
  health=$(printf '%s\n' ${TF_APP_HEALTH_URLS[$app]} | json_list)
  # The host that runs the database backs it up, restores it and runs the app's Alembic (in a one-off
  # container of the live release's image of the migrations service): the app's role and password.
  database=""
  if host_has_data "$h"; then
    if [ "${AGENT_JSON_DRY_RUN:-0}" != 1 ] && [ "$(cat "$dir/db.password" 2>/dev/null)" != "${TF_APP_DB_PASSWORD[$app]}" ]; then
      (umask 077 && printf '%s\n' "${TF_APP_DB_PASSWORD[$app]}" >"$dir/db.password")
    fi
    database="
    \"Database\": { \"Name\": \"${TF_APP_DB_NAME[$app]}\", \"User\": \"${TF_APP_DB_USER[$app]}\", \"Host\": \"127.0.0.1\", \"Port\": ${TF_APP_DB_PORT[$app]}, \"PasswordFile\": \"$dir/db.password\", \"PgBinDir\": \"/usr/bin\" },
    \"Migrations\": { \"Service\": \"${TF_APP_MIGRATIONS_SERVICE[$app]}\", \"Command\": [ \"python3\", \"-m\", \"alembic\", \"-c\", \"${TF_APP_ALEMBIC_INI[$app]}\" ], \"RunOnDeploy\": ${TF_HOST_RUN_ON_DEPLOY[$h]:-false} },
    \"Queue\": { \"Port\": $(host_redis_port "$h"), \"Database\": ${TF_APP_REDIS_DB[$app]}, \"Queues\": [ { \"Name\": \"jobs\", \"Key\": \"${TF_APP_QUEUE_KEY[$app]}\" } ] },"
  fi
  # App A's nginx serves TeaFleet's maintenance page from this host's directory (its .env's TEA_MAINTENANCE_DIR).
  maintenance=""
  if [ -n "${TF_APP_MAINTENANCE_PROXY[$app]}" ]; then
    maintenance="
    \"Maintenance\": { \"Directory\": \"$(host_maintenance_dir "$h")\", \"ProxyService\": \"${TF_APP_MAINTENANCE_PROXY[$app]}\" },"
  fi
  # App A's backend is handed over behind its nginx (a stand-in on the second port) instead of recreated.
  if [ -n "${TF_APP_ROLLING[$app]}" ]; then
    local r_service r_variable r_port r_standin r_proxy r_health
    read -r r_service r_variable r_port r_standin r_proxy r_health <<<"${TF_APP_ROLLING[$app]}"
    rolling=",
      \"Rolling\": [ { \"Service\": \"$r_service\", \"PortVariable\": \"$r_variable\", \"Ports\": [ $r_port, $r_standin ], \"Proxy\": \"$r_proxy\", \"UpstreamFile\": \"$(host_upstream_dir "$h")/$r_service.conf\", \"HealthPath\": \"$r_health\" } ]"
  fi
  json=$(cat <<EOF
{
  "Agent": {
    "HostName": "$h",
    "Listen": { "Address": "$(host_addr "$h")", "Port": $TF_AGENT_PORT, "HealthPort": $TF_HEALTH_PORT },
    "Tls": { "CaCertificate": "$TF_PKI/ca.crt", "Certificate": "$TF_PKI/$h.crt", "PrivateKey": "$TF_PKI/$h.key" },
    "StateDir": "$dir/state",
    "BackupDir": "$dir/backups",$database
    "Docker": { "Endpoint": "$(host_sock "$h")" },
    "Firewall": { "Ports": [ $(printf '%s\n' ${TF_APP_PUBLIC_PORTS[$app]} | paste -sd, - | sed 's/,/, /g') ] },$maintenance
    "App": {
      "CheckoutDir": "$(host_app_dir "$h")",
      "ComposeFiles": [ "compose.yml" ],
      "ProjectName": "$(host_project "$h")",
      "ComposeCommand": [ "$TF_COMPOSE" ],
      "Services": [ $services ],
      "ReleaseServices": [ $release_services ],
      "HealthUrls": [ $health ],
      "KeepReleases": 5,
      "MigrationsPath": "${TF_APP_MIGRATIONS_PATH[$app]}"$rolling
    }
  }
}
EOF
)
  # AGENT_JSON_DRY_RUN=1: print the file instead of writing it (to compare with a live host's).
  if [ "${AGENT_JSON_DRY_RUN:-0}" = 1 ]; then printf '%s\n' "$json"; return 0; fi
  if [ "$(cat "$dir/agent.json" 2>/dev/null)" != "$json" ]; then
    printf '%s\n' "$json" >"$dir/agent.json"
    CONFIG_CHANGED[$h]=1
    did "$h: wrote $dir/agent.json"
  fi
}
declare -A CONFIG_CHANGED=()
json_list() { sed 's/.*/"&"/' | paste -sd, - | sed 's/,/, /g'; }

# The agent runs in the host's network namespace and in a mount namespace of its own where /etc/ufw,
# /lib/ufw and /etc/default/ufw are the host's private copies: whatever ufw it runs touches only the host.
start_agent() {
  local h=$1 dir pid tree binary
  dir=$(host_dir "$h")
  # What binary the running agent was started from: a rebuilt agent (deploy/build.sh) is restarted too.
  binary=$(stat -c '%n %s %Y' "$TEAFLEET_AGENT")
  if pid=$(agent_pid "$h"); then
    if [ -n "${CONFIG_CHANGED[$h]:-}" ]; then
      say "  $h: agent.json changed, restarting the agent (pid $pid)"
    elif [ "$(cat "$dir/agent.binary" 2>/dev/null)" != "$binary" ]; then
      say "  $h: the agent binary changed, restarting the agent (pid $pid)"
    else
      return 0
    fi
    mapfile -t tree < <(pid_tree "$pid")
    stop_pids 20 "${tree[@]}"
  fi
  rm -f "$(agent_pidfile "$h")"
  printf '%s\n' "$binary" >"$dir/agent.binary"
  printf '\n==== %s agent starting\n' "$(date -Is)" >>"$dir/agent.log"
  # shellcheck disable=SC2016 # $1.. are expanded by the inner sh
  # The scripts' own TEAFLEET_* variables are not the agent's configuration: keep them out of its environment.
  (cd "$dir" && exec setsid env -u TEAFLEET_SANDBOX -u TEAFLEET_AGENT -u TEAFLEET_CLI -u TEAFLEET_CACHE \
    nsenter --net="/run/netns/$(host_netns "$h")" -- \
    unshare --mount --propagation slave -- \
    /bin/sh -c 'mount --bind "$1" /etc/ufw && mount --bind "$2" /lib/ufw && mount --bind "$3" /etc/default/ufw && shift 3 && exec "$@"' \
    teafleet-agent-"$h" "$dir/ufw/etc" "$dir/ufw/lib" "$dir/ufw/default/ufw" \
    "$TEAFLEET_AGENT" --config "$dir/agent.json") \
    >>"$dir/agent.log" 2>&1 </dev/null 8>&- &
  pid=$!
  echo "$pid" >"$(agent_pidfile "$h")"
  did "$h: agent started (pid $pid)"
}

wait_agent() {
  local h=$1 dir
  dir=$(host_dir "$h")
  if ! wait_for 30 "agent of $h on http://$(host_addr "$h"):$TF_HEALTH_PORT/healthz" agent_answers "$h"; then
    tail -n 20 "$dir/agent.log" >&2
    agent_pid "$h" >/dev/null || warn "$h: agent process is gone"
    die "$h: agent did not answer (log: $dir/agent.log)"
  fi
}

# --- run ----------------------------------------------------------------------------------------------------------
say "Sandbox fleet in $TF_ROOT"
check_fleet_root
[ ${#TF_ROOT} -le 60 ] || die "TEAFLEET_SANDBOX=$TF_ROOT is too long: unix socket paths under it would pass the ~100 character limit"
mkdir -p "$TF_ROOT/hosts" "$TF_RUN"
echo "$TF_ROOT" >"$TF_RUN/root"
touch "$TF_ROOT/.teafleet-sandbox"   # marks the directory as ours for down.sh --purge

say "network"
ensure_bridge
for h in "${SELECTED_HOSTS[@]}"; do ensure_netns "$h"; done

say "dockerd"
for h in "${SELECTED_HOSTS[@]}"; do ensure_dirs "$h"; ensure_ufw "$h"; start_dockerd "$h"; done

say "base image, app checkout, data services"
for app in $(apps_of "${SELECTED_HOSTS[@]}"); do ensure_origin "$app"; done
for h in "${SELECTED_HOSTS[@]}"; do ensure_base_image "$h"; ensure_checkout "$h"; ensure_upstream_images "$h"; done
for h in "${SELECTED_HOSTS[@]}"; do ensure_data_services "$h"; done
for h in "${SELECTED_HOSTS[@]}"; do wait_data_ready "$h"; done
# The bridge works both ways: the root namespace reaches each data host, and prod-2 reaches
# production's database and Redis on prod-1.
for h in "${SELECTED_HOSTS[@]}"; do
  if host_has_data "$h"; then
    wait_for 15 "$h at $(host_addr "$h"):$(host_db_port "$h") from the root namespace" \
      timeout 2 bash -c "exec 3<>/dev/tcp/$(host_addr "$h")/$(host_db_port "$h")" ||
      die "the root namespace cannot reach $h at $(host_addr "$h"):$(host_db_port "$h")"
  else
    for port in "$(host_db_port "$h")" "$(host_redis_port "$h")"; do
      tcp_open "$h" "${TF_DATA_ADDR[$h]}" "$port" || die "$h cannot reach ${TF_DATA_ADDR[$h]}:$port"
    done
  fi
done

say "certificates, agents"
for h in "${SELECTED_HOSTS[@]}"; do write_agent_config "$h"; done
certs=1
ensure_certs || certs=0
if [ "$START_AGENTS" -eq 0 ]; then
  say "  agents: skipped (--no-agents)"
elif [ ! -x "$TEAFLEET_AGENT" ]; then
  say "  agents: skipped, agent not built ($TEAFLEET_AGENT; build it or set TEAFLEET_AGENT)"
elif [ "$certs" -eq 0 ]; then
  say "  agents: skipped, no certificates"
else
  for h in "${SELECTED_HOSTS[@]}"; do start_agent "$h"; done
  for h in "${SELECTED_HOSTS[@]}"; do wait_agent "$h"; done
fi

say ""
print_status_table "${SELECTED_HOSTS[@]}"
if [ "$CHANGED" -eq 0 ]; then
  say "Fleet was already up; nothing to do ($((SECONDS - T0))s)."
else
  say "Fleet up in $((SECONDS - T0))s."
fi
