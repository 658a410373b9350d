#!/usr/bin/env bash
# The main job, end to end on one machine: install what is needed, build TeaFleet, bring up the
# sandbox fleet (staging-1, prod-1, prod-2), deploy three releases of the sample app everywhere,
# then roll production back to the previous release the way the runbook's Type 1 says: first the
# drill on staging, then production, host by host, with live progress.
# Safe to run again: the fleet is reused, the releases are deployed again and rolled back again.
# Usage: deploy/demo.sh        (as root, on Debian 12 with the .NET 10 SDK)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "Installing what the sandbox needs (apt packages)"
bash deploy/install-deps.sh

step "Building the agent and the controller"
bash deploy/build.sh

step "Bringing up the sandbox fleet (first time: ~3 min for the Debian base image)"
bash deploy/dev/up.sh

inv=deploy/dev/teafleet.yaml
tf() { out/teafleet "$@" -i "$inv"; }

step "Deploying releases v1, v2, v3 to staging and production (making history)"
for tag in v1 v2 v3; do
  tf deploy staging "$tag" --yes --reason "demo: release $tag"
  tf deploy production "$tag" --yes --reason "demo: release $tag"
done

step "Where things stand"
tf status

step "Production has a bad release (v3). The plan for rolling it back:"
tf plan rollback production

step "The drill: the same rollback on staging first"
tf rollback staging --yes --reason "demo: drill before production"

step "Production, host by host"
tf rollback production --yes --reason "demo: v3 is broken"

step "After the rollback"
tf status production
for addr in 10.77.0.21 10.77.0.22; do
  printf '%s /api/v1/health: ' "$addr"; curl -s --max-time 3 "http://$addr/api/v1/health"; echo
done

cat <<MSG

Done. Production runs the previous release again; the incident report's path is printed above.
Go on by hand (the controller is out/teafleet, the inventory deploy/dev/teafleet.yaml):
  out/teafleet status -i $inv
  out/teafleet releases production -i $inv
  out/teafleet logs production backend --tail 20 -i $inv
  out/teafleet plan rollback production --to v1 -i $inv
  out/teafleet runs -i $inv
  out/teafleet backups production -i $inv          # the database's backups (backup, restore: see the README)
  out/teafleet migrations production -i $inv       # Alembic: the database's revision and the live code's heads
  out/teafleet deploy staging v4 --yes -i $inv     # v4 migrates (0002_teams); then 'plan rollback staging' is a Type 2
  out/teafleet plan rollback production --type 3 -i $inv   # Type 3: restore the newest verified backup
  deploy/dev/status.sh          # the sandbox hosts
  deploy/dev/down.sh            # take the fleet down (--purge also deletes its state)
MSG
