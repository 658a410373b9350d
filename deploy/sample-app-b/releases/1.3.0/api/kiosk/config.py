"""Kiosk settings, all from the environment."""
import os
from pathlib import Path

RELEASE = (Path(__file__).resolve().parent.parent / "RELEASE").read_text().strip()
COMMIT = os.environ.get("KIOSK_COMMIT", "dev")
# The Alembic revision this release's code expects the database to be at.
ALEMBIC_HEAD_EXPECTED = "19b8e6f2d5c3"

DEFAULT_DATABASE_URL = "postgresql+psycopg2://kiosk:kiosk-sandbox@127.0.0.1:5433/kiosk"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6380/1"
SECRET = os.environ.get("KIOSK_SECRET", "kiosk-sandbox-secret")

JOBS_KEY = "kiosk:jobs"


def database_url() -> str:
    return os.environ.get("KIOSK_DATABASE_URL") or DEFAULT_DATABASE_URL


def redis_url() -> str:
    return os.environ.get("KIOSK_REDIS_URL") or DEFAULT_REDIS_URL
