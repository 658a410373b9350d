#!/bin/sh
# PostgreSQL 15 for the Team Evaluatie App. Runs as user postgres.
# First start on an empty volume: initdb, role "tea" (password
# TEA_DB_PASSWORD) and database "tea". Initialisation happens in a side
# directory that is renamed into place only when complete, so a crash during
# init is simply retried on the next start.
set -eu
PGDATA="${PGDATA:-/var/lib/postgresql/data/pgdata}"
PORT="${TEA_DB_PORT:-5432}"
PASSWORD="${TEA_DB_PASSWORD:-tea-sandbox}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  tmp="$PGDATA.init"
  rm -rf "$tmp"
  echo "tea-db: initialising new cluster in $PGDATA"
  initdb -D "$tmp" -U postgres -E UTF8 --locale=C.UTF-8 \
         --auth-local=peer --auth-host=scram-sha-256 >/dev/null
  sock="$(mktemp -d)"
  pg_ctl -D "$tmp" -w -s -l "$tmp/init.log" \
         -o "-c listen_addresses='' -c unix_socket_directories='$sock' -p $PORT" start
  psql -h "$sock" -p "$PORT" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
       -v pw="$PASSWORD" <<'SQL'
CREATE ROLE tea LOGIN PASSWORD :'pw';
CREATE DATABASE tea OWNER tea;
SQL
  pg_ctl -D "$tmp" -w -s -m fast stop
  rm -rf "$sock" "$tmp/init.log"
  cat >>"$tmp/postgresql.conf" <<'CONF'

# --- TeaFleet sandbox settings ---
listen_addresses = '*'
unix_socket_directories = '/run/postgresql'
jit = off
log_line_prefix = '%m [%p] %q%u@%d '
CONF
  cat >"$tmp/pg_hba.conf" <<'HBA'
# TeaFleet sandbox: password auth from anywhere
local   all  all                 peer
host    all  all  0.0.0.0/0      scram-sha-256
host    all  all  ::/0           scram-sha-256
HBA
  mv "$tmp" "$PGDATA"
  echo "tea-db: cluster initialised (role tea, database tea)"
fi

echo "tea-db: starting postgres on port $PORT"
exec postgres -D "$PGDATA" -p "$PORT"
