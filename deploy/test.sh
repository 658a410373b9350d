#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what it needs, builds, brings up the sandbox
# fleet (real dockerd per host, git, compose, PostgreSQL, Redis, gRPC over mTLS) and runs every
# test project. Safe to run twice. Usage: deploy/test.sh   (as root)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

bash deploy/install-deps.sh
bash deploy/build.sh
bash deploy/dev/up.sh

status=0
for project in tests/TeaFleet.Agent.Tests tests/TeaFleet.Controller.Tests tests/TeaFleet.Fleet.Tests; do
  [ -d "$project" ] || continue
  echo "==> $project" >&2
  if ! dotnet test --project "$project" -c Release; then
    status=1
  fi
done
exit $status
