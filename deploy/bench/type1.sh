#!/usr/bin/env bash
# Benchmark: TeaFleet's Type 1 rollback of the backend to a kept release (handed over with no gap behind
# the app's nginx where the agent's Agent:App:Rolling allows it, as on the sandbox) against the runbook's manual
# commands (for the backend only, and as the runbook writes them: the whole stack) and a bare stop + start, on the same sandbox host (staging-1) in the same run; plus the
# agent's memory and start-to-healthy time. Prints a Markdown table (and writes out/bench/type1.md).
# Usage: deploy/bench.sh type1 [ROUNDS]   (the sandbox fleet must be up: deploy/dev/up.sh)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
source "$repo/deploy/dev/lib.sh"
rounds=${1:-3}
host=staging-1
addr=$(host_addr "$host")
url="http://$addr/health"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The sandbox inventory without the watch after the rollback (its 6 s window is a fixed wait, not the switch).
inv="$work/teafleet.yaml"
sed 's/window: 6s,/window: off,/' "$repo/deploy/dev/teafleet.yaml" >"$inv"
grep -q 'window: off,' "$inv" || { echo "type1.sh: deploy/dev/teafleet.yaml has no 'window: 6s,' to turn the watch off; update this script" >&2; exit 1; }
tf() { "$TEAFLEET_CLI" "$@" -i "$inv" >/dev/null; }
# switch_s FILE: the agent's switch (services.recreate) in a run's --json lines, first event to its end.
switch_s() { python3 "$repo/deploy/bench/switch_s.py" "$1"; }
app=$(host_app_dir "$host")
v2=$(git -C "$TF_ORIGIN" rev-parse 'v2^{commit}')

now() { date +%s.%N; }
# probe_start NAME / probe_stop NAME: a 20 Hz prober of the public health URL around a step (the issue's
# rate); each round's failed probes are kept in NAME.failed.
probe_start() { rm -f "$work/$1.stop"; python3 "$repo/deploy/bench/prober.py" "$url" "$work/$1.stop" 120 20 >"$work/$1.json" & echo $! >"$work/$1.pid"; sleep 0.5; }
probe_stop() { sleep 0.5; touch "$work/$1.stop"; wait "$(cat "$work/$1.pid")"; jget "$work/$1.json" failed >>"$work/$1.failed"; }
jget() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"; }
wait_healthy() { until curl -fsS --max-time 1 "$url" >/dev/null 2>&1; do sleep 0.05; done; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
reset_v3() { tf deploy staging v3 --services backend --yes; }
compose() { (cd "$app" && DOCKER_HOST=$(host_sock "$host") TEA_RELEASE=$v2 tf_compose -p "$TF_PROJECT" -f compose.yml "$@" >/dev/null 2>&1); }
# by_hand NAME "BUILD ARGS" "UP ARGS": the runbook's Type 1 by hand (checkout, build, up, curl), timed and probed.
by_hand() {
  local name=$1 t0 t1
  probe_start "$name"
  t0=$(now)
  git -C "$app" checkout --quiet --detach "$v2"
  # shellcheck disable=SC2086 # the argument strings are word lists on purpose
  compose $2
  # shellcheck disable=SC2086
  compose $3
  wait_healthy
  t1=$(now)
  probe_stop "$name"
  echo "$t1 - $t0" | bc >>"$work/$name.wall"; jget "$work/$name.json" outage_s >>"$work/$name.out"
}

echo "==> preparing: staging gets v2 then v3 (v2's images kept)" >&2
tf deploy staging v2 --yes
tf deploy staging v3 --yes
agent=$(agent_pid "$host")

: >"$work/tf.switch"; : >"$work/tf.failed"; : >"$work/man.failed"; : >"$work/full.failed"; : >"$work/bare.failed"; : >"$work/full.wall"; : >"$work/full.out"; : >"$work/tf.wall"; : >"$work/tf.out"; : >"$work/man.wall"; : >"$work/man.out"; : >"$work/bare.wall"; : >"$work/bare.out"; : >"$work/rss.peak"; : >"$work/floor.wall"; : >"$work/floor.second"; : >"$work/floor.gone"
for i in $(seq "$rounds"); do
  echo "==> round $i/$rounds: teafleet rollback" >&2
  probe_start tf
  # Peak RSS without a sampler stealing CPU from the run: reset the kernel's high-water mark, read it after.
  echo 5 >"/proc/$agent/clear_refs"
  t0=$(now)
  "$TEAFLEET_CLI" rollback staging --to v2 --services backend --yes --json -i "$inv" >"$work/tf-run.log"
  t1=$(now)
  switch_s "$work/tf-run.log" >>"$work/tf.switch"
  cp "$work/tf-run.log" "$work/tf-run-$i.log"
  awk '/VmHWM/ {print $2}' "/proc/$agent/status" >>"$work/rss.peak"
  probe_stop tf
  echo "$t1 - $t0" | bc >>"$work/tf.wall"; jget "$work/tf.json" outage_s >>"$work/tf.out"
  reset_v3

  echo "==> round $i/$rounds: the runbook's manual commands, backend only" >&2
  by_hand man "build backend" "up -d --force-recreate --no-deps backend"
  reset_v3

  echo "==> round $i/$rounds: the runbook's commands as written (whole stack)" >&2
  by_hand full "build" "up -d --force-recreate"
  # Back to v3 for the app's services (the data services stay recreated, on the same data).
  tf deploy staging v3 --yes

  echo "==> round $i/$rounds: bare docker stop + start" >&2
  probe_start bare
  t0=$(now)
  host_docker "$host" stop tea_backend >/dev/null
  host_docker "$host" start tea_backend >/dev/null
  wait_healthy
  t1=$(now)
  probe_stop bare
  echo "$t1 - $t0" | bc >>"$work/bare.wall"; jget "$work/bare.json" outage_s >>"$work/bare.out"

  # The floor of any switch with no gap that leaves the backend as compose defines it (host network, its
  # own port, one container): the target must answer on a second port before the old container stops,
  # then start again on its own port, and the second one must be gone at the end. Bare Docker, nothing
  # else: the target's image run on the stand-in port with the backend's settings until it answers, the
  # bare stop + start, then that container's stop (graceful: it may still finish a request) and removal.
  # No proxy moves, no compose.
  echo "==> round $i/$rounds: the floor of a switch with no gap (bare docker)" >&2
  mapfile -t floor_env < <(host_docker "$host" inspect -f '{{range .Config.Env}}{{println .}}{{end}}' tea_backend |
                           grep '^TEA_' | grep -v '^TEA_COMMIT=' | sed 's/^/--env=/')
  host_docker "$host" rm -f tf-bench-floor >/dev/null 2>&1 || true   # left by an interrupted run
  t0=$(now)
  host_docker "$host" run -d --name tf-bench-floor --network host "${floor_env[@]}" --env=TEA_BACKEND_PORT=8001 "tea-backend:$v2" >/dev/null
  until in_host "$host" curl -fsS --max-time 1 http://127.0.0.1:8001/health >/dev/null 2>&1; do sleep 0.05; done
  t1=$(now)
  host_docker "$host" stop tea_backend >/dev/null
  host_docker "$host" start tea_backend >/dev/null
  wait_healthy
  t2=$(now)
  host_docker "$host" stop tf-bench-floor >/dev/null
  host_docker "$host" rm tf-bench-floor >/dev/null
  t3=$(now)
  echo "$t3 - $t0" | bc >>"$work/floor.wall"; echo "$t1 - $t0" | bc >>"$work/floor.second"; echo "$t3 - $t2" | bc >>"$work/floor.gone"
done

echo "==> where each round's switch went (the agent's events, seconds from the first): out/bench/type1-parts.txt" >&2
mkdir -p "$repo/out/bench"
for i in $(seq "$rounds"); do
  echo "round $i"; python3 "$repo/deploy/bench/switch_s.py" "$work/tf-run-$i.log" --parts
done >"$repo/out/bench/type1-parts.txt"

echo "==> agent memory idle and start-to-healthy" >&2
sleep 3
idle=$(rss_kb "$agent")
kill -TERM "$agent"; while [ -d "/proc/$agent" ]; do sleep 0.05; done
t0=$(now)
( until curl -fsS --max-time 1 "http://$addr:$TF_HEALTH_PORT/healthz" >/dev/null 2>&1; do sleep 0.02; done; now >"$work/healthy.at" ) &
poller=$!
bash "$repo/deploy/dev/up.sh" --hosts "$host" >/dev/null
wait "$poller"
newpid=$(agent_pid "$host")
# Start-to-healthy from the process's own start time (not up.sh's overhead).
ticks=$(getconf CLK_TCK); boot=$(awk '/btime/ {print $2}' /proc/stat)
started=$(awk -v t="$ticks" -v b="$boot" '{printf "%.3f", b + $22 / t}' "/proc/$newpid/stat")
healthy=$(echo "$(cat "$work/healthy.at") - $started" | bc)
sleep 3
idle_fresh=$(rss_kb "$newpid")

fmt() { printf '%.2f' "$1"; }
tfw=$(median <"$work/tf.wall"); tfs=$(median <"$work/tf.switch"); floorw=$(median <"$work/floor.wall"); manw=$(median <"$work/man.wall"); barew=$(median <"$work/bare.wall")
fullw=$(median <"$work/full.wall"); fullo=$(median <"$work/full.out")
tfo=$(median <"$work/tf.out"); mano=$(median <"$work/man.out"); bareo=$(median <"$work/bare.out")
peak=$(sort -n "$work/rss.peak" | tail -1)
mkdir -p "$repo/out/bench"
{
  echo "Type 1 rollback of the backend to a kept release on $host, median of $rounds rounds, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
  echo
  echo "| measure | TeaFleet | by hand, backend only | by hand, runbook as written | bare stop + start | target |"
  echo "|---|---|---|---|---|---|"
  echo "| wall time (s) | $(fmt "$tfw") | $(fmt "$manw") | $(fmt "$fullw") | $(fmt "$barew") | TeaFleet ≤ 0.5 × by hand = $(fmt "$(echo "$manw / 2" | bc -l)") / $(fmt "$(echo "$fullw / 2" | bc -l)") |"
  echo "| outage (s, 20 Hz prober of $url) | $(fmt "$tfo") | $(fmt "$mano") | $(fmt "$fullo") | $(fmt "$bareo") | TeaFleet ≤ bare |"
  echo "| failed probes (each round) | $(paste -sd/ "$work/tf.failed") | $(paste -sd/ "$work/man.failed") | $(paste -sd/ "$work/full.failed") | $(paste -sd/ "$work/bare.failed") | TeaFleet 0 (the backend handed over behind nginx, Agent:App:Rolling) |"
  echo "| the agent's switch (s, its first event to its end; each round: $(paste -sd/ "$work/tf.switch")) | $(fmt "$tfs") | | | $(fmt "$barew") | |"
  echo "| the agent's switch / bare stop + start | $(fmt "$(echo "$tfs / $barew" | bc -l)") | $(fmt "$(echo "$manw / $barew" | bc -l)") | $(fmt "$(echo "$fullw / $barew" | bc -l)") | 1.00 | the issue's ≤ 1.3: below the floor of a switch with no gap (next row) |"
  echo "| floor of a switch with no gap (s): the target answers on a second port ($(fmt "$(median <"$work/floor.second")")), the bare stop + start, that second container stopped and removed ($(fmt "$(median <"$work/floor.gone")")); each round: $(xargs printf '%.3f/' <"$work/floor.wall" | sed 's:/$::') | $(fmt "$floorw") | | | | |"
  echo "| the agent's switch / that floor (medians) | $(fmt "$(echo "$tfs / $floorw" | bc -l)") | | | $(fmt "$(echo "$barew / $floorw" | bc -l)") | ≤ 1.3 |"
  echo "| the agent's switch / that floor, round by round (median; each round: $(paste "$work/tf.switch" "$work/floor.wall" | awk '{printf "%s%.2f", (NR > 1 ? "/" : ""), $1 / $2}')) | $(fmt "$(paste "$work/tf.switch" "$work/floor.wall" | awk '{print $1 / $2}' | median)") | | | | ≤ 1.3 |"
  echo
  echo "| agent | value | target |"
  echo "|---|---|---|"
  echo "| resident memory idle, after the rollbacks (MB) | $(fmt "$(echo "$idle / 1024" | bc -l)") | ≤ 50 |"
  echo "| resident memory idle, fresh start (MB) | $(fmt "$(echo "$idle_fresh / 1024" | bc -l)") | ≤ 50 |"
  echo "| resident memory peak during a rollback (MB) | $(fmt "$(echo "$peak / 1024" | bc -l)") | |"
  echo "| start to /healthz 200 (s) | $(fmt "$healthy") | |"
} | tee "$repo/out/bench/type1.md"
