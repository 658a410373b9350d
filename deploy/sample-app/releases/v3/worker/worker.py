"""Team Evaluatie App worker: BLPOP jobs from Redis list tea:jobs, record results.

Env: TEA_REDIS_HOST (127.0.0.1), TEA_REDIS_PORT (6379), TEA_COMMIT (baked in).
Each handled job gets a result key tea:done:<id> (JSON, expires after a day).
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
COMMIT = os.environ.get("TEA_COMMIT", "dev")
REDIS_HOST = os.environ.get("TEA_REDIS_HOST", "127.0.0.1")
REDIS_PORT = int(os.environ.get("TEA_REDIS_PORT", "6379"))
JOBS_KEY = "tea:jobs"
DONE_PREFIX = "tea:done:"
HEARTBEAT = Path("/tmp/tea-worker.heartbeat")

logging.basicConfig(level=logging.INFO,
                    format="%(asctime)s tea-worker[" + RELEASE + " " + COMMIT[:12] + "] %(levelname)s %(message)s")
log = logging.getLogger("tea-worker")

stopping = False


def _stop(signum, _frame):
    global stopping
    stopping = True
    log.info("signal %d received, stopping", signum)


def beat() -> None:
    HEARTBEAT.touch()


def handle(conn: redis.Redis, raw: str) -> None:
    try:
        job = json.loads(raw)
        if not isinstance(job, dict):
            raise ValueError("job is not an object")
    except ValueError as exc:
        log.warning("dropping malformed job %r: %s", raw[:200], exc)
        return
    job_id = str(job.get("id") or uuid.uuid4().hex[:16])
    started = time.time()
    if job.get("kind") == "export":
        # v3's bug on purpose (runbook scenario 3, "worker processing jobs incorrectly"): exports read the
        # team from a payload that older clients do not send; v2 handles them like any job.
        job["team"] = job["payload"]["team"]
    queued_at = job.get("queued_at")
    latency = (started - float(queued_at)) if isinstance(queued_at, (int, float)) else None
    log.info("job %s kind=%s handled by commit=%s release=%s (queued %s ago)", job_id, job.get("kind"),
             COMMIT, RELEASE, "%.3fs" % latency if latency is not None else "?")
    result = {"id": job_id, "kind": job.get("kind"), "commit": COMMIT, "release": RELEASE,
              "handled_at": started, "latency": latency}
    conn.set(DONE_PREFIX + job_id, json.dumps(result), ex=86400)


def main() -> None:
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    log.info("starting; redis %s:%d", REDIS_HOST, REDIS_PORT)
    delay = 0.5
    while not stopping:
        try:
            conn = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, socket_connect_timeout=2,
                               socket_timeout=5, decode_responses=True)
            conn.ping()
            log.info("connected to redis %s:%d", REDIS_HOST, REDIS_PORT)
            delay = 0.5
            while not stopping:
                beat()
                item = conn.blpop(JOBS_KEY, timeout=2)
                if item is not None:
                    try:
                        handle(conn, item[1])
                    except redis.RedisError:
                        raise
                    except Exception:  # one bad job must not stop the worker: log it and take the next
                        log.exception("job failed: %r", item[1][:200])
        except redis.RedisError as exc:
            log.warning("redis error: %s; reconnecting in %.1fs", exc, delay)
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
    log.info("stopped")


if __name__ == "__main__":
    main()
