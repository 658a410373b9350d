#!/usr/bin/env bash
# Benchmark: TeaFleet's database backup and restore against the bare tools and the runbook's commands,
# on a generated database (deploy/bench/db-generate.sql, ~1.2 GB by default) in a PostgreSQL 15
# cluster of its own on 127.0.0.1, with one agent of this build and the controller as an operator
# runs them. Not the sandbox fleet: nothing of it is touched. Each round, on the same database:
#   backups:  `teafleet backup bench --full`, `--quick`, a bare `pg_dump -Fc -f FILE`, the runbook's
#             `pg_dump | gzip >FILE.sql.gz`: wall time and size
#   restores: `teafleet restore bench ID --yes` (the round's full backup) and the runbook's
#             `gunzip -c FILE.sql.gz | psql` into an emptied database: wall time, and the agent's phases
# Prints a Markdown table (and writes out/bench/db.md).
# Usage: deploy/bench.sh db [ROUNDS]   (TEAFLEET_BENCH_DB_MB=N: database size, default 1200;
#        TEAFLEET_BENCH_DIR: cluster cache and scratch, default /var/tmp/teafleet-bench)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
rounds=${1:-3}
mb=${TEAFLEET_BENCH_DB_MB:-1200}
base=${TEAFLEET_BENCH_DIR:-/var/tmp/teafleet-bench}
agent_bin=$(realpath -m "${TEAFLEET_AGENT:-$repo/out/agent/teafleet-agent}")
cli=$(realpath -ms "${TEAFLEET_CLI:-$repo/out/teafleet}")
pgbin=/usr/lib/postgresql/15/bin
sql=$repo/deploy/bench/db-generate.sql
# About this many bytes of database per evaluation row of db-generate.sql (measured: 88 MB at n = 85714).
bytes_per_n=1000

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench db: ERROR: %s\n' "$*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root (the cluster runs as the postgres user)"
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive number, not '$rounds'"
[[ $mb =~ ^[1-9][0-9]*$ ]] || die "TEAFLEET_BENCH_DB_MB must be a number of megabytes, not '$mb'"
[ -x "$pgbin/postgres" ] || die "no PostgreSQL 15 server in $pgbin (deploy/bench.sh db installs postgresql-15)"
{ [ -x "$agent_bin" ] && [ -x "$cli" ]; } || die "build the agent and the controller first ($agent_bin, $cli)"

# One run at a time: the cluster cache and the scratch directory are shared.
mkdir -p "$base"
exec 9>"$base/.lock"
flock -n 9 || die "another deploy/bench.sh db runs (lock $base/.lock)"

# The cluster is cached per size and generation script: generating a 1 GB database takes minutes.
cluster=$base/pg15-${mb}mb-$(sha256sum "$sql" | cut -c1-8)
data=$cluster/data
run=$base/run   # this run's agent, backups, dumps and controller state: removed at the end
pg_port=""; agent_pid=""

now() { date +%s.%N; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
calc() { awk "BEGIN {print $*}"; }
size_of() { stat -c %s "$1"; }
as_postgres() { runuser -u postgres -- "$@"; }
# psql as the superuser (peer authentication on the cluster's own socket) and as the app's role (TCP, password).
su_sql() { as_postgres "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -U postgres -h "$cluster/sock" -p "$pg_port" -d "${2:-postgres}" -tAc "$1"; }
tea_sql() { "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -tAc "$1"; }
pg_running() { [ -f "$data/postmaster.pid" ] && as_postgres "$pgbin/pg_ctl" -D "$data" status >/dev/null 2>&1; }
pg_stop() { if pg_running; then as_postgres "$pgbin/pg_ctl" -D "$data" -m fast -w stop >/dev/null; fi; }
pg_start() {
  pg_stop   # a cluster left running by an earlier, killed run of this script
  pg_port=$(free_port)
  install -o postgres -g postgres -m 0600 /dev/null "$cluster/postgres.log"   # this run's server log
  as_postgres "$pgbin/pg_ctl" -D "$data" -l "$cluster/postgres.log" -w -t 120 \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$cluster/sock" start >/dev/null
  PGPASSWORD=$(cat "$cluster/tea.password")
  export PGHOST=127.0.0.1 PGPORT=$pg_port PGUSER=tea PGDATABASE=tea PGPASSWORD
}

stop_agent() {
  if [ -n "$agent_pid" ] && [ -d "/proc/$agent_pid" ]; then
    kill -TERM "$agent_pid"
    for _ in $(seq 100); do [ -d "/proc/$agent_pid" ] || break; sleep 0.1; done
    [ ! -d "/proc/$agent_pid" ] || kill -KILL "$agent_pid"
  fi
  agent_pid=""
}
cleanup() {
  stop_agent
  pg_stop || true
  # The logs stay (out/bench/db-*.log); the scratch directory with its gigabytes of dumps goes.
  mkdir -p "$repo/out/bench"
  cp "$run/agent.log" "$repo/out/bench/db-agent.log" 2>/dev/null || true
  cp "$cluster/postgres.log" "$repo/out/bench/db-postgres.log" 2>/dev/null || true
  rm -rf "$repo/out/bench/db-runs"; mkdir -p "$repo/out/bench/db-runs"
  cp "$run"/*.json "$run/results"/* "$repo/out/bench/db-runs/" 2>/dev/null || true
  rm -rf "$run"
}
trap cleanup EXIT

# An agent left running by an earlier, killed run of this script (its pid file, and its config on its command line).
if [ -s "$run/agent.pid" ]; then
  old=$(cat "$run/agent.pid")
  if [ -d "/proc/$old" ] && tr '\0' ' ' <"/proc/$old/cmdline" | grep -qF "$run/agent.json"; then
    say "stopping the agent of an earlier run (pid $old)"; agent_pid=$old; stop_agent
  fi
fi
rm -rf "$run"

# Row counts of every table: the fingerprint of the generated data. A run that was cut mid-restore
# leaves a database that does not match it, and the data is made again.
fingerprint() { tea_sql "SELECT string_agg(c, ' ' ORDER BY c) FROM (SELECT relname || '=' || (xpath('/row/c/text()', query_to_xml('SELECT count(*) AS c FROM public.' || quote_ident(relname), false, true, '')))[1]::text AS c FROM pg_stat_user_tables WHERE schemaname = 'public') t"; }
# Every dump and restore starts from the same physical state: frozen, analysed, checkpointed (a freshly
# restored table's first reader would otherwise pay for writing its hint bits).
settle() { su_sql "VACUUM (FREEZE, ANALYZE)" tea >/dev/null; su_sql "CHECKPOINT" >/dev/null; }

generate() {
  say "generating a ~${mb} MB database in $cluster (once; cached for the next runs)"
  pg_stop; rm -rf "$cluster"
  # Caches of the same size made by an older db-generate.sql are of no further use.
  local old
  for old in "$base/pg15-${mb}mb-"*; do
    [ -d "$old/data" ] || continue
    as_postgres "$pgbin/pg_ctl" -D "$old/data" status >/dev/null 2>&1 && as_postgres "$pgbin/pg_ctl" -D "$old/data" -m fast -w stop >/dev/null
    rm -rf "$old"
  done
  mkdir -p "$cluster/sock"
  chown postgres:postgres "$cluster/sock"
  install -d -o postgres -g postgres -m 0700 "$data"
  (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$cluster/tea.password")
  as_postgres "$pgbin/initdb" -D "$data" -U postgres --auth-local=peer --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$cluster/initdb.log"
  pg_start
  su_sql "CREATE ROLE tea LOGIN PASSWORD '$(cat "$cluster/tea.password")'" >/dev/null
  su_sql "CREATE DATABASE tea OWNER tea" >/dev/null
  local n=$((mb * 1000000 / bytes_per_n)) t0
  t0=$(now)
  "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -v n="$n" -f "$sql" >/dev/null
  settle
  fingerprint >"$cluster/fingerprint"
  say "generated in $(printf '%.0f' "$(calc "$(now) - $t0")") s: $(tea_sql "SELECT pg_size_pretty(pg_database_size('tea'))")"
  touch "$cluster/ok"
}

if [ -f "$cluster/ok" ]; then
  say "starting the cached cluster $cluster"
  pg_start
  if [ "$(fingerprint)" != "$(cat "$cluster/fingerprint")" ]; then
    say "the cached database does not hold the generated data (an earlier run was cut?): making it again"
    generate
  fi
else
  generate
fi

# The agent: plaintext gRPC on loopback, its own state and backups, no Docker (the database operations
# do not need it: the release a backup records comes from the ledger when Docker is unreachable).
mkdir -p "$run/controller"
agent_port=$(free_port); health_port=$(free_port)
cat >"$run/agent.json" <<EOF
{
  "Agent": {
    "HostName": "bench-1",
    "Listen": { "Address": "127.0.0.1", "Port": $agent_port, "HealthPort": $health_port, "Insecure": true },
    "StateDir": "$run/state",
    "BackupDir": "$run/backups",
    "Database": { "Name": "tea", "User": "tea", "Host": "127.0.0.1", "Port": $pg_port, "PasswordFile": "$cluster/tea.password", "PgBinDir": "$pgbin", "KeepLast": 100 },
    "Docker": { "Endpoint": "unix://$run/no-docker.sock" },
    "App": { "CheckoutDir": "$run/app", "ComposeFiles": [ "compose.yml" ], "ComposeCommand": [ "docker-compose" ], "Services": [ "backend" ] }
  }
}
EOF
cat >"$run/teafleet.yaml" <<EOF
# deploy/bench/db.sh: one environment with one host, the bench's own agent on loopback (plain http is allowed there).
app: team-evaluatie-app
state_dir: $run/controller
environments:
  bench:
    database: bench-1
    hosts:
      - name: bench-1
        address: http://127.0.0.1:$agent_port
EOF
# The scripts' own TEAFLEET_* variables are not the agent's configuration: keep them out of its environment.
(exec setsid env -u TEAFLEET_BENCH_DB_MB -u TEAFLEET_BENCH_DIR -u TEAFLEET_AGENT -u TEAFLEET_CLI -u PGPASSWORD \
  "$agent_bin" --config "$run/agent.json") >"$run/agent.log" 2>&1 </dev/null &
agent_pid=$!
echo "$agent_pid" >"$run/agent.pid"
# Any answer of /healthz will do: without Docker it says 503 (unhealthy), which is right and does not matter here.
agent_answers() { [ "$(curl -s --noproxy '*' -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$health_port/healthz" 2>/dev/null)" != 000 ]; }
for _ in $(seq 150); do
  agent_answers && break
  [ -d "/proc/$agent_pid" ] || { cat "$run/agent.log" >&2; die "the agent exited"; }
  sleep 0.2
done
agent_answers || { tail -n 20 "$run/agent.log" >&2; die "the agent did not answer"; }
tf() { "$cli" "$@" -i "$run/teafleet.yaml" --json; }

db_bytes=$(tea_sql "SELECT pg_database_size('tea')")
want=$(cat "$cluster/fingerprint")
tables=$(wc -w <<<"$want")
rows=$(tr ' ' '\n' <<<"$want" | awk -F= '{s+=$2} END {print s}')
say "database: $(calc "$db_bytes / 1048576" | xargs printf '%.0f') MiB, $tables tables, $rows rows; PostgreSQL on 127.0.0.1:$pg_port, agent on 127.0.0.1:$agent_port"
check_data() { [ "$(fingerprint)" = "$want" ] || die "after $1 the database does not hold the generated rows: $(fingerprint)"; }

w=$run/results
mkdir -p "$w"
# CPU time (clock ticks) used so far by the cluster, the agent and this script, each with the children
# it has reaped (a backend's time is added to the postmaster's when it exits, pg_dump's to the agent's,
# the CLI's and psql's to this script's). Less sensitive than wall time to other work on the machine.
cpu_ticks() {
  local pm
  pm=$(head -n 1 "$data/postmaster.pid")
  # A backend that has exited but is not reaped yet counts neither as the postmaster's child time nor
  # reliably as its own: wait (up to 2 s) until the postmaster and the agent have reaped theirs.
  for _ in $(seq 40); do
    pgrep -r Z -P "$pm,$agent_pid" >/dev/null || break
    sleep 0.05
  done
  { echo "$$"; echo "$pm"; ps -o pid= --ppid "$pm" || true; echo "$agent_pid"; ps -o pid= --ppid "$agent_pid" || true; } |
    while read -r p; do cat "/proc/$p/stat" 2>/dev/null || true; done |
    awk '{sub(/^.*\) /, ""); s += $12 + $13 + $14 + $15} END {print s}'
}
ticks=$(getconf CLK_TCK)
# timed NAME COMMAND...: runs it, appends its wall time (s) to $w/NAME, the CPU time it took to
# $w/NAME.cpu and the machine's 1-minute load average at its start to $w/load (the machine may be
# shared: the table says how busy it was).
timed() {
  local name=$1 t0 t1 c0 c1; shift
  cut -d' ' -f1 /proc/loadavg >>"$w/load"
  c0=$(cpu_ticks); t0=$(now)
  "$@"
  t1=$(now); c1=$(cpu_ticks)
  calc "$t1 - $t0" >>"$w/$name"
  calc "($c1 - $c0) / $ticks" >>"$w/$name.cpu"
}
# agent_run NAME teafleet-args...: timed, its JSON output kept as $run/NAME-ROUND.json; the run's
# result data and the agent's step times appended to $w/NAME.* (deploy/bench/db_events.py).
agent_run() {
  local name=$1 log; shift
  log=$run/$name-$i.json
  timed "$name" tf "$@" >"$log" || { tail -n 20 "$log" >&2; die "teafleet $* failed (log $log)"; }
  python3 "$repo/deploy/bench/db_events.py" "$log" "$w" "$name" || die "teafleet $*: no succeeded agent step in $log"
}
runbook_backup() { "$pgbin/pg_dump" | gzip >"$run/plain.sql.gz"; }
runbook_restore() {
  # Emptied as the agent empties (drop the public schema with all it holds), then the runbook's restore.
  tea_sql "SET client_min_messages = warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public" >/dev/null
  gunzip -c "$run/plain.sql.gz" | "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 >/dev/null
}

for i in $(seq "$rounds"); do
  settle
  say "round $i/$rounds: bare pg_dump -Fc"
  rm -f "$run/bare.dump"
  timed bare "$pgbin/pg_dump" -Fc -f "$run/bare.dump"
  size_of "$run/bare.dump" >>"$w/bare.size"

  say "round $i/$rounds: teafleet backup --full"
  agent_run full backup bench --full

  say "round $i/$rounds: teafleet backup --quick"
  agent_run quick backup bench --quick

  say "round $i/$rounds: the runbook's pg_dump | gzip"
  timed plain runbook_backup
  size_of "$run/plain.sql.gz" >>"$w/plain.size"

  settle
  id=$(tail -n 1 "$w/full.backup_id")
  say "round $i/$rounds: teafleet restore of $id"
  agent_run restore restore bench "$id" --yes
  check_data "teafleet restore"

  settle
  say "round $i/$rounds: the runbook's gunzip | psql"
  timed runbook runbook_restore
  check_data "the runbook's restore"
  # The agent's backups of this round are not needed again: keep the scratch directory's size bounded.
  find "$run/backups" -name '*.dump' -delete
done

fmt() { printf '%.1f' "$1"; }
mib() { printf '%.0f' "$(calc "$1 / 1048576")"; }
ratio() { printf '%.2f' "$(calc "$1 / $2")"; }
met() { if awk "BEGIN {exit !($1 <= $2 * $3)}"; then echo yes; else echo no; fi; }   # met VALUE BASE FACTOR: VALUE ≤ FACTOR × BASE?
m() { median <"$w/$1"; }   # the median of a measure over the rounds
jobs=$(grep -o 'pg_restore --jobs=[0-9]*' "$run/restore-1.json" | head -n1 || true)
bare=$(m bare); full=$(m full); quick=$(m quick); plain=$(m plain); restore=$(m restore); runbook=$(m runbook)
restore_step=$(m restore.step_restore)
s_bare=$(m bare.size); s_full=$(m full.size_bytes); s_quick=$(m quick.size_bytes); s_plain=$(m plain.size)
mkdir -p "$repo/out/bench"
{
  echo "Database backup and restore, $(mib "$db_bytes") MiB database ($tables tables, $rows rows), PostgreSQL $(tea_sql 'SHOW server_version' | cut -d' ' -f1) on 127.0.0.1, median of $rounds rounds, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average before each measurement $(m load) (median; $(sort -g "$w/load" | head -n1)-$(sort -g "$w/load" | tail -n1))"
  echo
  echo "| backup | wall time (s) | CPU (s) | size (MiB) | time vs bare \`pg_dump -Fc\` | size vs \`pg_dump -Fc\` | size vs \`.sql.gz\` |"
  echo "|---|---|---|---|---|---|---|"
  echo "| \`teafleet backup --full\` (compression 6, verified) | $(fmt "$full") (dump $(fmt "$(m full.step_dump)"), verify $(fmt "$(m full.step_verify)")) | $(fmt "$(m full.cpu)") | $(mib "$s_full") | $(ratio "$full" "$bare") | $(ratio "$s_full" "$s_bare") | $(ratio "$s_full" "$s_plain") |"
  echo "| \`teafleet backup --quick\` (compression 1) | $(fmt "$quick") (dump $(fmt "$(m quick.step_dump)")) | $(fmt "$(m quick.cpu)") | $(mib "$s_quick") | $(ratio "$quick" "$bare") | $(ratio "$s_quick" "$s_bare") | $(ratio "$s_quick" "$s_plain") |"
  echo "| bare \`pg_dump -Fc -f FILE\` (default compression) | $(fmt "$bare") | $(fmt "$(m bare.cpu)") | $(mib "$s_bare") | 1 | 1 | $(ratio "$s_bare" "$s_plain") |"
  echo "| runbook \`pg_dump \| gzip >FILE.sql.gz\` | $(fmt "$plain") | $(fmt "$(m plain.cpu)") | $(mib "$s_plain") | $(ratio "$plain" "$bare") | $(ratio "$s_plain" "$s_bare") | 1 |"
  echo
  echo "| restore | wall time (s) | CPU (s) | vs runbook |"
  echo "|---|---|---|---|"
  echo "| \`teafleet restore bench ID --yes\` of the full backup, whole command | $(fmt "$restore") | $(fmt "$(m restore.cpu)") | $(ratio "$restore" "$runbook") |"
  echo "| — verify the backup (sha256, \`pg_restore --list\`) | $(fmt "$(m restore.step_verify)") | | |"
  echo "| — safety backup of the current database (space + dump, compression 1) | $(fmt "$(m restore.step_backup)") | | |"
  echo "| — verify the safety backup | $(fmt "$(m restore.step_verify_2)") | | |"
  echo "| — empty (end sessions, drop the schema) | $(fmt "$(m restore.step_empty)") | | |"
  echo "| — restore (${jobs:-pg_restore}) | $(fmt "$restore_step") | | $(ratio "$restore_step" "$runbook") |"
  echo "| — check (tables, row counts, Alembic head) | $(fmt "$(m restore.step_check)") | | |"
  echo "| runbook: empty, then \`gunzip -c FILE.sql.gz \| psql\` | $(fmt "$runbook") | $(fmt "$(m runbook.cpu)") | 1 |"
  echo
  echo "| target | value | met |"
  echo "|---|---|---|"
  echo "| full backup ≤ 1.05 × bare \`pg_dump -Fc\` | $(ratio "$full" "$bare") × | $(met "$full" "$bare" 1.05) |"
  echo "| quick backup ≤ 1.05 × bare \`pg_dump -Fc\` | $(ratio "$quick" "$bare") × | $(met "$quick" "$bare" 1.05) |"
  echo "| restore ≤ 0.5 × runbook \`gunzip \| psql\` (whole command) | $(ratio "$restore" "$runbook") × | $(met "$restore" "$runbook" 0.5) |"
  echo "| restore step alone ≤ 0.5 × runbook | $(ratio "$restore_step" "$runbook") × | $(met "$restore_step" "$runbook" 0.5) |"
} | tee "$repo/out/bench/db.md"
