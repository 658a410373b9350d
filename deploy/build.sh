#!/usr/bin/env bash
# Builds the agent and the controller into out/:
#   out/teafleet                    the controller (one file; needs the .NET runtime)
#   out/agent/teafleet-agent        the agent (one native file; needs no .NET runtime)
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
# The agent is Native AOT: one self-contained native file, no .NET runtime needed on the hosts,
# ~0.1 s to start and about a third of the memory of the JIT build (docs/benchmarks.md). It takes
# ~4 minutes on two cores. The controller needs the .NET 10 runtime and is ReadyToRun (it starts
# for every command).
if ! command -v cc >/dev/null 2>&1 && ! command -v clang >/dev/null 2>&1; then
  echo "build.sh: the agent's Native AOT build needs a C toolchain to link: apt-get install -y clang (or gcc)" >&2
  exit 1
fi
agent_sources=(agent shared protos Directory.Build.props Directory.Packages.props global.json)
if [ -x out/agent/teafleet-agent ] && [ -z "$(find "${agent_sources[@]}" -newer out/agent/teafleet-agent \
     -not -path '*/bin/*' -not -path '*/obj/*' -print -quit)" ]; then
  echo "    the agent is up to date (nothing in ${agent_sources[*]} is newer)" >&2
else
  rm -rf out/agent
  dotnet publish agent/TeaFleet.Agent -c Release -r linux-x64 -p:PublishAot=true \
    -o out/agent --nologo -v quiet
  rm -f out/agent/*.dbg out/agent/*.pdb out/agent/*.staticwebassets.endpoints.json
fi
dotnet publish controller/TeaFleet.Controller -c Release -r linux-x64 --self-contained false \
  -p:PublishSingleFile=true -p:PublishReadyToRun=true -p:DebugType=none -o out/controller --nologo -v quiet
ln -sf controller/teafleet out/teafleet
echo "==> out/teafleet and out/agent/teafleet-agent are ready" >&2
