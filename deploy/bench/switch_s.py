"""The agent's switch (services.recreate) in a run's --json lines, first event to its end, in seconds.

Usage: python3 deploy/bench/switch_s.py RUN.log [--parts]
--parts: instead, every event of the switch with its time from the first one (where the time goes).
"""
import json
import re
import sys
from datetime import datetime, timezone

lines = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
events = [e for e in lines if e.get("type") == "event"]
first = events[0]
end = next(e for e in events if e.get("message") == "services.recreate succeeded")


def at(e):
    # The agent's times are UTC with 0-7 fraction digits (.NET's "o" drops none, its JSON trailing zeros).
    m = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?", e["time"])
    t = datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    return t.replace(microsecond=int((m.group(2) or "0")[:6].ljust(6, "0")))


if "--parts" in sys.argv[2:]:
    for e in events[: events.index(end) + 1]:
        print("%7.3f  %s" % ((at(e) - at(first)).total_seconds(), e.get("message", "")))
else:
    print("%.3f" % (at(end) - at(first)).total_seconds())
