#!/bin/sh
# Render the nginx config from env, then run nginx in the foreground.
set -eu
FRONTEND_PORT="${TEA_FRONTEND_PORT:-80}"
BACKEND_HOST="${TEA_BACKEND_HOST:-127.0.0.1}"
BACKEND_PORT="${TEA_BACKEND_PORT:-8000}"
# The backend's address: TeaFleet's upstream file when its agent writes one (Agent:App:Rolling: the agent
# moves the backend to a stand-in and back, then sends SIGHUP), else the address from env.
UPSTREAM_FILE=/teafleet-upstreams/backend.conf
if [ -f "$UPSTREAM_FILE" ]; then
  BACKEND_SERVER="include ${UPSTREAM_FILE};"
else
  BACKEND_SERVER="server ${BACKEND_HOST}:${BACKEND_PORT};"
fi
sed -e "s|@FRONTEND_PORT@|${FRONTEND_PORT}|g" \
    -e "s|@BACKEND_SERVER@|${BACKEND_SERVER}|g" \
    /etc/tea/nginx.conf.template >/etc/nginx/nginx.conf
echo "tea-frontend: release $(cat /etc/tea/RELEASE) commit ${TEA_COMMIT:-dev}, port ${FRONTEND_PORT} -> backend ${BACKEND_SERVER}"
exec nginx -c /etc/nginx/nginx.conf
