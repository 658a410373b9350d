#!/usr/bin/env bash
# Check Kiosk's releases without Docker or the sandbox fleet: a throwaway PostgreSQL cluster and
# Redis of its own, each release's tree from a throwaway origin repo (make-repo.sh), Alembic run
# as the images run it (-c api/config/alembic.ini), api/admin/worker started with the machine's
# Debian python3 packages on 127.0.0.1. Stops (by pid) and deletes everything it started.
#
# Usage: deploy/sample-app-b/verify-local.sh        (as root: the cluster runs as user postgres)
#
# Needs: postgresql-15, redis-server, python3-{fastapi,uvicorn,sqlalchemy,alembic,psycopg2,redis}
# (what the base image has). Ports: PostgreSQL 55433, Redis 56380, api 8081, admin 8082 on
# 127.0.0.1 (override with VERIFY_PG_PORT, VERIFY_REDIS_PORT). Exit 0 when every check passed.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PG_PORT=${VERIFY_PG_PORT:-55433}
REDIS_PORT=${VERIFY_REDIS_PORT:-56380}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PY=${PYTHON:-/usr/bin/python3}
W=$(mktemp -d /tmp/kiosk-verify.XXXXXX)
chmod 0755 "$W"
PIDS=()
FAILED=0

cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -s "$W/pg/data/postmaster.pid" ] && su postgres -c "$PGBIN/pg_ctl -D $W/pg/data -w -s -m fast stop" || true
  [ -s "$W/redis.pid" ] && kill "$(cat "$W/redis.pid")" 2>/dev/null || true
  sleep 0.3
  rm -rf "$W"
}
trap cleanup EXIT

ok()   { printf 'ok    %s\n' "$*"; }
bad()  { printf 'FAIL  %s\n' "$*"; FAILED=1; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }

for port in "$PG_PORT" "$REDIS_PORT" 8081 8082; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "127.0.0.1:$port is in use; stop what listens there first" >&2; exit 2; fi
done

# --- throwaway PostgreSQL and Redis ------------------------------------------------------------
mkdir -p "$W/pg" && chown postgres "$W/pg"
su postgres -c "$PGBIN/initdb -D $W/pg/data -U postgres -E UTF8 --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 >/dev/null"
su postgres -c "$PGBIN/pg_ctl -D $W/pg/data -w -s -l $W/pg/log -o \"-c listen_addresses=127.0.0.1 -c unix_socket_directories=$W/pg -p $PG_PORT\" start"
psql_su() { su postgres -c "psql -h $W/pg -p $PG_PORT -d kiosk -Atq -v ON_ERROR_STOP=1 -c \"$1\""; }
su postgres -c "psql -h $W/pg -p $PG_PORT -d postgres -q -c \"CREATE ROLE kiosk LOGIN PASSWORD 'kiosk-sandbox'\" -c 'CREATE DATABASE kiosk OWNER kiosk'"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --pidfile "$W/redis.pid" --logfile "$W/redis.log" --dir "$W"
export KIOSK_DATABASE_URL="postgresql+psycopg2://kiosk:kiosk-sandbox@127.0.0.1:$PG_PORT/kiosk"
export KIOSK_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/1" PYTHONDONTWRITEBYTECODE=1 KIOSK_COMMIT=verify-local
export KIOSK_WORKER_HEARTBEAT="$W/worker.heartbeat"
for i in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

# --- the releases, as make-repo.sh builds them ----------------------------------------------------
"$HERE/../sample-app/make-repo.sh" "$W/origin-b.git" "$HERE" >"$W/tags"
for t in $(cut -d' ' -f1 "$W/tags"); do
  mkdir -p "$W/$t" && git --git-dir="$W/origin-b.git" archive "$t" | tar -x -C "$W/$t"
done

alembic() { local rel=$1; shift; (cd "$W" && "$PY" -m alembic -c "$W/$rel/api/config/alembic.ini" "$@") >"$W/alembic.out" 2>&1; }
db_rev() { psql_su "SELECT version_num FROM alembic_version"; }
start() { # NAME RELEASE: api, admin or worker of that release
  local name=$1 rel=$2 port
  case "$name" in
    api) port=8081; (cd "$W/$rel/api" && exec setsid "$PY" -m uvicorn kiosk.api:app --host 127.0.0.1 --port $port) >"$W/$name.log" 2>&1 & ;;
    admin) port=8082; (cd "$W/$rel/api" && exec setsid "$PY" -m uvicorn kiosk.admin:app --host 127.0.0.1 --port $port) >"$W/$name.log" 2>&1 & ;;
    worker) (cd "$W/$rel/worker" && exec setsid "$PY" worker.py) >"$W/$name.log" 2>&1 & ;;
  esac
  PIDS+=("$!"); eval "PID_$name=$!"
  [ "$name" = worker ] && { sleep 1; return 0; }
  for _ in $(seq 100); do curl -s --noproxy '*' -o /dev/null "http://127.0.0.1:$port/" && return 0; sleep 0.1; done
  bad "$name $rel did not start"; tail "$W/$name.log"
}
stop() { local v="PID_$1"; kill "${!v}" 2>/dev/null || true; while kill -0 "${!v}" 2>/dev/null; do sleep 0.1; done; }
http() { # METHOD URL [JSON] -> body in $W/body, status echoed
  local args=(-s --noproxy '*' -o "$W/body" -w '%{http_code}' -X "$1")
  [ -n "${3:-}" ] && args+=(-H 'content-type: application/json' -d "$3")
  curl "${args[@]}" "http://127.0.0.1$2"
}
login() { http POST :8081/login '{"username":"admin","password":"admin"}'; }
body_has() { grep -q -- "$1" "$W/body"; }
out_has() { grep -q -- "$1" "$W/alembic.out"; }
sha() { sed -n "s/^$1 //p" "$W/tags"; }

echo "== 1.0.0: api migrates at start-up (here: alembic upgrade head by hand), login, orders"
check "1.0.0 upgrade head -> a3c1e5f70b21" alembic 1.0.0 upgrade head
check "alembic_version = a3c1e5f70b21" test "$(db_rev)" = a3c1e5f70b21
check "seeded admin hash is sha256\$salt\$hex" test "$(psql_su "SELECT split_part(password_hash, '\$', 1) FROM users WHERE username='admin'")" = sha256
start api 1.0.0; start admin 1.0.0
check "api /healthz 200" test "$(http GET :8081/healthz)" = 200
check "api /version" test "$(http GET :8081/version)" = 200
body_has '"release":"1.0.0"' && body_has '"alembic_head_expected":"a3c1e5f70b21"' && ok "  $(cat "$W/body")" || bad "version body $(cat "$W/body")"
check "login admin/admin 200" test "$(login)" = 200
check "login wrong password 401" test "$(http POST :8081/login '{"username":"admin","password":"nope"}')" = 401
check "POST /orders 201" test "$(http POST :8081/orders '{"customer":"  Ann   Smith ","amount_cents":1250,"reference":"1001"}')" = 201
check "GET /orders/1 200" test "$(http GET :8081/orders/1)" = 200
check "POST+DELETE /orders 204" test "$(http POST :8081/orders '{"customer":"tmp","amount_cents":1}' >/dev/null; http DELETE :8081/orders/2)" = 204
check "admin /status 200" test "$(http GET :8082/status)" = 200
check "admin /orders lists 1 order" test "$(http GET :8082/orders; grep -o '"id"' "$W/body" | wc -l)" = "2001"
check "admin /version 1.0.0" test "$(http GET :8082/version)" = 200
stop api; stop admin

echo "== 1.1.0: migrate service (alembic upgrade head), worker on Redis db 1"
check "1.1.0 upgrade head -> 5e9d2b7c4a10" alembic 1.1.0 upgrade head
check "alembic_version = 5e9d2b7c4a10" test "$(db_rev)" = 5e9d2b7c4a10
start api 1.1.0; start admin 1.1.0; start worker 1.1.0
check "login 200" test "$(login)" = 200
check "POST /orders queues a job (status new)" test "$(http POST :8081/orders '{"customer":"Bob","amount_cents":300,"reference":"1002"}')" = 201
body_has '"status":"new"' && body_has '"queued":true' && ok "  $(cat "$W/body")" || bad "order body $(cat "$W/body")"
sleep 1.5
check "worker handled it (kiosk:done:3 in Redis db 1)" test -n "$(redis-cli -p "$REDIS_PORT" -n 1 get kiosk:done:3)"
check "worker heartbeat" test -f "$KIOSK_WORKER_HEARTBEAT"
check "api /version expects 5e9d2b7c4a10" test "$(http GET :8081/version; grep -o 5e9d2b7c4a10 "$W/body")" = 2005e9d2b7c4a10
stop api; stop admin; stop worker
check "1.1.0 downgrade -1 -> a3c1e5f70b21" alembic 1.1.0 downgrade -1
check "  column orders.status gone" test "$(psql_su "SELECT count(*) FROM information_schema.columns WHERE table_name='orders' AND column_name='status'")" = 0
check "  type order_status LEFT BEHIND" test "$(psql_su "SELECT count(*) FROM pg_type WHERE typname='order_status'")" = 1
if alembic 1.1.0 upgrade head; then bad "re-upgrade should collide"; else ok "re-upgrade fails (exit 1)"; fi
check "  with: type \"order_status\" already exists" out_has 'type "order_status" already exists'
grep -m1 'already exists' "$W/alembic.out" | sed 's/^/      /'
check "  alembic_version still a3c1e5f70b21" test "$(db_rev)" = a3c1e5f70b21
psql_su "DROP TYPE order_status" && ok "DROP TYPE order_status (the fix, as the owner kiosk could too)"
check "1.1.0 upgrade head again -> 5e9d2b7c4a10" alembic 1.1.0 upgrade head

echo "== 1.2.0: migration 0003 (irreversible)"
check "1.2.0 upgrade head -> c7f04d1a9e36" alembic 1.2.0 upgrade head
check "  customer normalised ('ann smith')" test "$(psql_su "SELECT customer FROM orders WHERE id=1")" = "ann smith"
if alembic 1.2.0 downgrade -1; then bad "0003 downgrade should fail"; else ok "0003 downgrade fails (exit 1)"; fi
check "  with: 0003 (c7f04d1a9e36) cannot be downgraded" out_has 'cannot be downgraded'
check "  alembic_version still c7f04d1a9e36" test "$(db_rev)" = c7f04d1a9e36
start api 1.2.0
check "1.2.0 login 200" test "$(login)" = 200
stop api

echo "== 1.3.0: migration 0004 fails on a planted row, nothing half-applied"
psql_su "INSERT INTO orders (customer, amount_cents, reference) VALUES ('planted', 1, 'ABC-7')" && ok "planted an order with reference 'ABC-7'"
if alembic 1.3.0 upgrade head; then bad "0004 should fail on the planted row"; else ok "1.3.0 upgrade head fails (exit 1)"; fi
check "  with: reference that is not a whole number" out_has 'not a whole number'
grep -m1 '^RuntimeError' "$W/alembic.out" | sed 's/^/      /'
check "  alembic_version still c7f04d1a9e36" test "$(db_rev)" = c7f04d1a9e36
check "  orders.reference still text" test "$(psql_su "SELECT data_type FROM information_schema.columns WHERE table_name='orders' AND column_name='reference'")" = text
psql_su "DELETE FROM orders WHERE reference = 'ABC-7'" && ok "removed the planted row"
check "1.3.0 upgrade head -> 19b8e6f2d5c3" alembic 1.3.0 upgrade head
check "  orders.reference integer" test "$(psql_su "SELECT data_type FROM information_schema.columns WHERE table_name='orders' AND column_name='reference'")" = integer
check "1.3.0 downgrade -1 then upgrade head (0004 is reversible)" bash -c "$(declare -f alembic); W=$W PY=$PY; alembic 1.3.0 downgrade -1 && alembic 1.3.0 upgrade head"
start api 1.3.0
check "1.3.0 login 200 (sha256 hash)" test "$(login)" = 200
check "1.3.0 POST /orders with integer reference 201" test "$(http POST :8081/orders '{"customer":"Cy","amount_cents":5,"reference":77}')" = 201
stop api

echo "== 1.4.0: login rewrites the hash; a Type 1 rollback to 1.3.0 breaks login"
check "1.4.0 upgrade head is a no-op (same head)" alembic 1.4.0 upgrade head
check "  alembic_version 19b8e6f2d5c3" test "$(db_rev)" = 19b8e6f2d5c3
start api 1.4.0; start admin 1.4.0
check "1.4.0 login 200" test "$(login)" = 200
check "  admin's hash is now pbkdf2\$..." test "$(psql_su "SELECT split_part(password_hash, '\$', 1) FROM users WHERE username='admin'")" = pbkdf2
check "1.4.0 login again 200 (pbkdf2)" test "$(login)" = 200
check "1.4.0 /version" test "$(http GET :8081/version)" = 200
body_has '"release":"1.4.0"' && body_has '19b8e6f2d5c3' && ok "  $(cat "$W/body")" || bad "version body"
stop api; stop admin
start api 1.3.0; start admin 1.3.0
check "back on 1.3.0: /healthz 200" test "$(http GET :8081/healthz)" = 200
check "back on 1.3.0: admin /status 200" test "$(http GET :8082/status)" = 200
check "back on 1.3.0: GET /orders 200" test "$(http GET :8081/orders)" = 200
check "back on 1.3.0: login 500" test "$(login)" = 500
grep -m1 '^ValueError' "$W/api.log" | sed 's/^/      /'
stop api; stop admin

echo
if [ "$FAILED" -eq 0 ]; then echo "all checks passed"; else echo "SOME CHECKS FAILED"; fi
exit "$FAILED"
