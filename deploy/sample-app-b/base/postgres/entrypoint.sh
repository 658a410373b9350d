#!/bin/sh
# PostgreSQL 15 for Kiosk, as user postgres. On an empty volume: initdb, role "kiosk" (password
# KIOSK_DB_PASSWORD) owning database "kiosk". Init happens in a side directory renamed into place
# when complete, so a crash during init is retried on the next start.
set -eu
PGDATA="${PGDATA:-/var/lib/postgresql/data/pgdata}"
PORT="${KIOSK_PG_PORT:-5433}"
PASSWORD="${KIOSK_DB_PASSWORD:-kiosk-sandbox}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  tmp="$PGDATA.init"
  rm -rf "$tmp"
  echo "kiosk-postgres: initialising a new cluster in $PGDATA"
  initdb -D "$tmp" -U postgres -E UTF8 --locale=C.UTF-8 \
         --auth-local=peer --auth-host=scram-sha-256 >/dev/null
  sock="$(mktemp -d)"
  pg_ctl -D "$tmp" -w -s -l "$tmp/init.log" \
         -o "-c listen_addresses='' -c unix_socket_directories='$sock' -p $PORT" start
  psql -h "$sock" -p "$PORT" -U postgres -d postgres -q -v ON_ERROR_STOP=1 -v pw="$PASSWORD" <<'SQL'
CREATE ROLE kiosk LOGIN PASSWORD :'pw';
CREATE DATABASE kiosk OWNER kiosk;
SQL
  pg_ctl -D "$tmp" -w -s -m fast stop
  rm -rf "$sock" "$tmp/init.log"
  cat >>"$tmp/postgresql.conf" <<'CONF'

# --- Kiosk sandbox settings ---
listen_addresses = '*'
unix_socket_directories = '/run/postgresql'
jit = off
log_line_prefix = '%m [%p] %q%u@%d '
CONF
  cat >"$tmp/pg_hba.conf" <<'HBA'
local   all  all                 peer
host    all  all  0.0.0.0/0      scram-sha-256
host    all  all  ::/0           scram-sha-256
HBA
  mv "$tmp" "$PGDATA"
  echo "kiosk-postgres: cluster initialised (role kiosk, database kiosk)"
fi

echo "kiosk-postgres: starting on port $PORT"
exec postgres -D "$PGDATA" -p "$PORT"
