#!/bin/sh
# Render the nginx config from env, then run nginx in the foreground.
set -eu
FRONTEND_PORT="${TEA_FRONTEND_PORT:-80}"
BACKEND_HOST="${TEA_BACKEND_HOST:-127.0.0.1}"
BACKEND_PORT="${TEA_BACKEND_PORT:-8000}"
sed -e "s|@FRONTEND_PORT@|${FRONTEND_PORT}|g" \
    -e "s|@BACKEND_HOST@|${BACKEND_HOST}|g" \
    -e "s|@BACKEND_PORT@|${BACKEND_PORT}|g" \
    /etc/tea/nginx.conf.template >/etc/nginx/nginx.conf
echo "tea-frontend: release $(cat /etc/tea/RELEASE) commit ${TEA_COMMIT:-dev}, port ${FRONTEND_PORT} -> backend ${BACKEND_HOST}:${BACKEND_PORT}"
exec nginx -c /etc/nginx/nginx.conf
