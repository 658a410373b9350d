#!/usr/bin/env bash
# Builds the agent and the controller into out/:
#   out/teafleet                    the controller (one file; needs the .NET runtime)
#   out/agent/teafleet-agent        the agent
# Usage: deploy/build.sh   (Release build; safe to run again)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
if ! command -v dotnet >/dev/null 2>&1; then
  echo "build.sh: dotnet is not installed; install the .NET 10 SDK first (https://dot.net)" >&2
  exit 1
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
echo "==> building the agent and the controller into out/" >&2
# Framework-dependent: hosts need the .NET 10 runtime. The controller is ReadyToRun (it starts for
# every command); the agent is not: ReadyToRun made it no faster to start and added ~18 MB of
# mapped code to its resident memory (docs/benchmarks.md).
dotnet publish agent/TeaFleet.Agent -c Release -r linux-x64 --self-contained false \
  -o out/agent --nologo -v quiet
dotnet publish controller/TeaFleet.Controller -c Release -r linux-x64 --self-contained false \
  -p:PublishSingleFile=true -p:PublishReadyToRun=true -p:DebugType=none -o out/controller --nologo -v quiet
ln -sf controller/teafleet out/teafleet
echo "==> out/teafleet and out/agent/teafleet-agent are ready" >&2
