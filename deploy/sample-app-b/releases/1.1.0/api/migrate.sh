#!/bin/sh
# The one-shot migrate service: wait for PostgreSQL, `alembic upgrade head`, exit with its status.
set -eu
cd /app
echo "kiosk-migrate: release $(cat /app/RELEASE) commit ${KIOSK_COMMIT:-dev}"
python3 -m kiosk.waitdb
echo "kiosk-migrate: alembic upgrade head"
exec python3 -m alembic -c /app/config/alembic.ini upgrade head
