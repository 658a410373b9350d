"""Kiosk worker: BLPOP jobs from the Redis list kiosk:jobs (database 1 by default), record results.

Env: KIOSK_REDIS_URL (redis://127.0.0.1:6380/1), KIOSK_COMMIT (baked in).
Each handled job gets a result key kiosk:done:<order id or job id> (JSON, expires after a day);
the loop touches /tmp/kiosk-worker.heartbeat (the container's health check).
"""
import json
import logging
import os
import signal
import time
import uuid
from pathlib import Path

import redis

RELEASE = (Path(__file__).resolve().parent / "RELEASE").read_text().strip()
COMMIT = os.environ.get("KIOSK_COMMIT", "dev")
REDIS_URL = os.environ.get("KIOSK_REDIS_URL") or "redis://127.0.0.1:6380/1"
JOBS_KEY = "kiosk:jobs"
DONE_PREFIX = "kiosk:done:"
HEARTBEAT = Path(os.environ.get("KIOSK_WORKER_HEARTBEAT", "/tmp/kiosk-worker.heartbeat"))

logging.basicConfig(level=logging.INFO,
                    format="%(asctime)s kiosk-worker[" + RELEASE + " " + COMMIT[:12] + "] %(levelname)s %(message)s")
log = logging.getLogger("kiosk-worker")
stopping = False


def _stop(signum, _frame):
    global stopping
    stopping = True
    log.info("signal %d received, stopping", signum)


def handle(conn: redis.Redis, raw: str) -> None:
    try:
        job = json.loads(raw)
        if not isinstance(job, dict):
            raise ValueError("job is not an object")
    except ValueError as exc:
        log.warning("dropping malformed job %r: %s", raw[:200], exc)
        return
    key = str(job.get("order_id") or job.get("id") or uuid.uuid4().hex[:16])
    log.info("job %s kind=%s", key, job.get("kind"))
    result = {"job": job, "release": RELEASE, "commit": COMMIT, "handled_at": time.time()}
    conn.set(DONE_PREFIX + key, json.dumps(result), ex=86400)


def main() -> None:
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    log.info("starting; queue %s on %s", JOBS_KEY, REDIS_URL)
    delay = 0.5
    while not stopping:
        try:
            conn = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=5,
                                        decode_responses=True)
            conn.ping()
            log.info("connected")
            delay = 0.5
            while not stopping:
                HEARTBEAT.touch()
                item = conn.blpop(JOBS_KEY, timeout=2)
                if item is not None:
                    handle(conn, item[1])
        except redis.RedisError as exc:
            log.warning("redis error: %s; reconnecting in %.1fs", exc, delay)
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
    log.info("stopped")


if __name__ == "__main__":
    main()
