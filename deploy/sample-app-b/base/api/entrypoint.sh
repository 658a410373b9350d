#!/bin/sh
# api entrypoint (1.0.0): wait for PostgreSQL, migrate, then serve on 8081.
set -eu
cd /app
echo "kiosk-api: release $(cat /app/RELEASE) commit ${KIOSK_COMMIT:-dev}"
python3 -m kiosk.waitdb
echo "kiosk-api: alembic upgrade head"
python3 -m alembic -c /app/config/alembic.ini upgrade head
exec python3 -m uvicorn kiosk.api:app --host 0.0.0.0 --port 8081
