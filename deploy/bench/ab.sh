#!/usr/bin/env bash
# Benchmark: the same Type 1 rollback (the backend of staging-1 to v2, a kept release) with the controller and
# agent of two revisions, round by round in turn on the same host, so that what drifts between whole runs
# (load, the disk) falls on both alike. Each round restarts staging-1's agent with that revision's binary
# (deploy/dev/up.sh --hosts staging-1), runs that revision's CLI with that revision's own sandbox inventory
# (its watch turned off) and puts the backend back on v3 with it. Prints the medians of the wall time and
# of the agent's switch (its first event to its end) per revision and their difference; writes out/bench/ab.md.
# Usage: deploy/bench.sh ab REV_A REV_B [ROUNDS]   (builds each revision once into out/ab/COMMIT/; "." is this
# working tree as built; AB_SAME_AGENT=1 runs both CLIs against this tree's agent: the controller's cost alone).
# The builds are git worktrees; when done: git worktree remove --force out/ab/COMMIT
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
source "$repo/deploy/dev/lib.sh"
[ $# -ge 2 ] || { echo "usage: deploy/bench.sh ab REV_A REV_B [ROUNDS]" >&2; exit 2; }
rounds=${3:-7}
host=staging-1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
now() { date +%s.%N; }
# switch_s FILE: the agent's switch (services.recreate) in a run's --json lines, first event to its end.
switch_s() { python3 "$repo/deploy/bench/switch_s.py" "$1"; }

declare -A tree cli agentbin inv
for label in a b; do
  rev=$([ "$label" = a ] && echo "$1" || echo "$2")
  if [ "$rev" = . ]; then
    tree[$label]=$repo   # this working tree, as built (deploy/build.sh)
  else
    commit=$(git -C "$repo" rev-parse --verify "$rev^{commit}")
    tree[$label]="$repo/out/ab/$commit"
  fi
  if [ ! -x "${tree[$label]}/out/agent/teafleet-agent" ]; then
    echo "==> building $rev ($commit) into ${tree[$label]}" >&2
    [ -d "${tree[$label]}" ] || git -C "$repo" worktree add --detach "${tree[$label]}" "$commit" >/dev/null
    bash "${tree[$label]}/deploy/build.sh" >"$work/build-$label.log" 2>&1 || { cat "$work/build-$label.log" >&2; exit 1; }
  fi
  cli[$label]="${tree[$label]}/out/teafleet"
  agentbin[$label]="${tree[$label]}/out/agent/teafleet-agent"
  inv[$label]="$work/teafleet-$label.yaml"
  sed -e "s#^state_dir:.*#state_dir: $work/state-$label#" -e 's/window: [0-9]*s,/window: off,/' "${tree[$label]}/deploy/dev/teafleet.yaml" >"${inv[$label]}"
  : >"$work/$label.wall"; : >"$work/$label.switch"
done

# AB_SAME_AGENT=1: both revisions' CLIs against this tree's agent (the controller's cost alone).
use() {
  local bin=${agentbin[$1]}
  [ -z "${AB_SAME_AGENT:-}" ] || bin="$repo/out/agent/teafleet-agent"
  TEAFLEET_AGENT=$bin bash "$repo/deploy/dev/up.sh" --hosts "$host" >/dev/null
}
tf() { local label=$1; shift; "${cli[$label]}" "$@" -i "${inv[$label]}"; }

echo "==> preparing: staging gets v2 then v3 (v2's images kept)" >&2
use a
tf a deploy staging v2 --yes >/dev/null
tf a deploy staging v3 --yes >/dev/null
for i in $(seq "$rounds"); do
  for label in a b; do
    echo "==> round $i/$rounds: revision $label" >&2
    use "$label"
    tf "$label" deploy staging v3 --services backend --yes >/dev/null
    t0=$(now)
    tf "$label" rollback staging --to v2 --services backend --yes --json >"$work/run.log"
    t1=$(now)
    echo "$t1 - $t0" | bc >>"$work/$label.wall"
    switch_s "$work/run.log" >>"$work/$label.switch" 2>/dev/null || true   # an old CLI may not print the agent's events
  done
done
# Back to this tree's own agent.
TEAFLEET_AGENT="$repo/out/agent/teafleet-agent" bash "$repo/deploy/dev/up.sh" --hosts "$host" >/dev/null

fmt() { if [ -n "$1" ]; then printf '%.2f' "$1"; else printf 'n/a'; fi; }
aw=$(median <"$work/a.wall"); bw=$(median <"$work/b.wall"); as=$(median <"$work/a.switch"); bs=$(median <"$work/b.switch")
diff_s=""; [ -n "$as" ] && [ -n "$bs" ] && diff_s=$(echo "$bs - $as" | bc -l)
mkdir -p "$repo/out/bench"
{
  echo "Type 1 rollback of the backend of $host to v2, revisions in turn, median of $rounds rounds each, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)${AB_SAME_AGENT:+, both CLIs against the agent of this tree}"
  echo
  echo "| measure | A $1 | B $2 | B − A |"
  echo "|---|---|---|---|"
  echo "| wall time, CLI start to exit (s) | $(fmt "$aw") | $(fmt "$bw") | $(fmt "$(echo "$bw - $aw" | bc -l)") |"
  echo "| the agent's switch (s) | $(fmt "$as") | $(fmt "$bs") | $(fmt "$diff_s") |"
  echo "| wall time per round, A | $(paste -sd' ' "$work/a.wall" | xargs printf '%.2f ') | | |"
  echo "| wall time per round, B | | $(paste -sd' ' "$work/b.wall" | xargs printf '%.2f ') | |"
} | tee "$repo/out/bench/ab.md"
