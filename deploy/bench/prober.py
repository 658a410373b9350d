#!/usr/bin/env python3
"""A health prober for benchmarks (10 Hz unless a rate is given): GETs one URL at that rate until a stop file appears or a
time limit passes (bounded in count and time), then prints a JSON summary: probes, failed probes,
and the longest outage (from the last good probe before a failure to the first good one after)."""
import json, os, sys, time, urllib.request

url, stop_file = sys.argv[1], sys.argv[2]
limit_s = float(sys.argv[3]) if len(sys.argv) > 3 else 120.0
rate_hz = float(sys.argv[4]) if len(sys.argv) > 4 else 10.0
interval, timeout = 1.0 / rate_hz, 0.25
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
probes = failed = 0
last_ok = None
down_since = None
longest = 0.0
start = time.monotonic()
next_at = start
while time.monotonic() - start < limit_s and probes < int(limit_s / interval) + 10:
    ok = False
    try:
        with opener.open(url, timeout=timeout) as r:
            ok = 200 <= r.status < 300
    except Exception:
        ok = False
    now = time.monotonic()
    probes += 1
    if ok:
        if down_since is not None:
            longest = max(longest, now - down_since)
            down_since = None
        last_ok = now
    else:
        failed += 1
        if down_since is None:
            down_since = last_ok if last_ok is not None else now
    if os.path.exists(stop_file) and down_since is None:
        break
    next_at += interval
    time.sleep(max(0.0, next_at - time.monotonic()))
if down_since is not None:
    longest = max(longest, time.monotonic() - down_since)
print(json.dumps({"probes": probes, "failed": failed, "outage_s": round(longest, 3)}))
