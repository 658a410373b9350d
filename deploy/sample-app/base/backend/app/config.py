"""Settings from the environment (see the repository README)."""
import os
from pathlib import Path
from urllib.parse import quote

COMMIT = os.environ.get("TEA_COMMIT", "dev")
RELEASE = (Path(__file__).resolve().parent.parent / "RELEASE").read_text().strip()

DB_HOST = os.environ.get("TEA_DB_HOST", "127.0.0.1")
DB_PORT = int(os.environ.get("TEA_DB_PORT", "5432"))
DB_PASSWORD = os.environ.get("TEA_DB_PASSWORD", "tea-sandbox")
REDIS_HOST = os.environ.get("TEA_REDIS_HOST", "127.0.0.1")
REDIS_PORT = int(os.environ.get("TEA_REDIS_PORT", "6379"))
SECRET = os.environ.get("TEA_SECRET", "tea-sandbox-secret")

JOBS_KEY = "tea:jobs"
DONE_PREFIX = "tea:done:"


def database_url() -> str:
    url = os.environ.get("TEA_DATABASE_URL")
    if url:
        return url
    return "postgresql+psycopg2://tea:%s@%s:%d/tea" % (
        quote(DB_PASSWORD, safe=""), DB_HOST, DB_PORT)
