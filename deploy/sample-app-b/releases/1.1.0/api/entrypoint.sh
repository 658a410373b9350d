#!/bin/sh
# api entrypoint (from 1.1.0): serve on 8081. Migrations are the migrate service's job (migrate.sh).
set -eu
cd /app
echo "kiosk-api: release $(cat /app/RELEASE) commit ${KIOSK_COMMIT:-dev}"
exec python3 -m uvicorn kiosk.api:app --host 0.0.0.0 --port 8081
