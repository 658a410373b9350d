#!/bin/sh
# Backend entrypoint: wait for the DB, run migrations, then serve.
#   TEA_SKIP_MIGRATE=1  skip waiting for the DB and `alembic upgrade head`
#   TEA_DB_WAIT=30      seconds to wait for the DB before giving up (exit 1,
#                       the restart policy tries again)
set -eu
cd /app
echo "tea-backend: release $(cat /app/RELEASE) commit ${TEA_COMMIT:-dev}"
if [ "${TEA_SKIP_MIGRATE:-0}" = "1" ]; then
  echo "tea-backend: TEA_SKIP_MIGRATE=1, not running migrations"
else
  python3 -m app.waitdb
  echo "tea-backend: alembic upgrade head"
  python3 -m alembic -c /app/alembic.ini upgrade head
fi
exec python3 -m uvicorn app.main:app --host 0.0.0.0 --port "${TEA_BACKEND_PORT:-8000}" --proxy-headers
