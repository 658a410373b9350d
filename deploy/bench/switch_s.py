"""The agent's switch (services.recreate) in a run's --json lines, first event to its end, in seconds.

Usage: python3 deploy/bench/switch_s.py RUN.log
"""
import json
import sys
from datetime import datetime

lines = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
first = next(e for e in lines if e.get("type") == "event")
end = next(e for e in lines if e.get("type") == "event" and e.get("message") == "services.recreate succeeded")


def at(e):
    return datetime.fromisoformat(e["time"][:26] + "+00:00")


print("%.3f" % (at(end) - at(first)).total_seconds())
