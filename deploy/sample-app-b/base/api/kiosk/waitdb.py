"""Wait until PostgreSQL accepts connections (KIOSK_DB_WAIT seconds, default 30); exit 1 if it never does."""
import os
import sys
import time

import sqlalchemy as sa

from .config import database_url


def main() -> int:
    deadline = time.monotonic() + float(os.environ.get("KIOSK_DB_WAIT", "30"))
    engine = sa.create_engine(database_url(), poolclass=sa.pool.NullPool, connect_args={"connect_timeout": 3})
    attempt = 0
    while True:
        attempt += 1
        try:
            with engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
            print("kiosk: database reachable (attempt %d)" % attempt, flush=True)
            return 0
        except sa.exc.OperationalError as exc:
            msg = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc).__name__
            if time.monotonic() >= deadline:
                print("kiosk: database not reachable, giving up: %s" % msg, file=sys.stderr, flush=True)
                return 1
            if attempt == 1 or attempt % 5 == 0:
                print("kiosk: waiting for database: %s" % msg, file=sys.stderr, flush=True)
            time.sleep(1)


if __name__ == "__main__":
    sys.exit(main())
