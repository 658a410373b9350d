#!/usr/bin/env python3
"""Reads the JSON lines of one `teafleet backup|restore ... --json` run (deploy/bench/db.sh) and
appends, one value a line, to files in OUTDIR: PREFIX.KEY for the agent step's result data
(backup_id, size_bytes, safety_backup_id...) and PREFIX.step_NAME for how long each of the agent's
own steps took, in seconds, from its started/succeeded events (a step name seen again, like a
restore's second verify, gets _2; space + dump, the whole of a backup, is also written as
"backup"). Exits 1 when the run did not succeed.
Usage: db_events.py LOG OUTDIR PREFIX"""
import json, os, re, sys
from datetime import datetime

log, outdir, prefix = sys.argv[1:4]


def when(text):
    # .NET writes up to 7 fractional digits; Python's fromisoformat takes 6.
    text = re.sub(r"(\.\d{6})\d+", r"\1", text.replace("Z", "+00:00"))
    return datetime.fromisoformat(text).timestamp()


started, seconds, seen, data, ok = {}, {}, {}, {}, False
for line in open(log, encoding="utf-8"):
    line = line.strip()
    if not line.startswith("{"):
        continue
    event = json.loads(line)
    kind = event.get("type")
    if kind == "event" and event.get("step_name"):
        name, phase = event["step_name"], str(event.get("phase", "")).lower()
        if phase == "started":
            seen[name] = seen.get(name, 0) + 1
            started[name] = (name if seen[name] == 1 else f"{name}_{seen[name]}", when(event["time"]))
        elif phase == "succeeded" and name in started:
            key, t0 = started.pop(name)
            seconds[key] = when(event["time"]) - t0
    elif kind == "step_finished" and event.get("host") != "controller":
        data.update(event.get("data") or {})
        ok = event.get("result") == "succeeded"
if "space" in seconds and "dump" in seconds:
    seconds["backup"] = seconds["space"] + seconds["dump"]


def append(name, value):
    with open(os.path.join(outdir, f"{prefix}.{re.sub(r'[^A-Za-z0-9_]', '_', name)}"), "a", encoding="utf-8") as f:
        f.write(f"{value}\n")


for key, value in data.items():
    append(key, value)
for key, value in seconds.items():
    append("step." + key, f"{value:.3f}")
sys.exit(0 if ok else 1)
