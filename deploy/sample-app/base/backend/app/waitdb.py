"""Wait until the database accepts connections (TEA_DB_WAIT seconds, default 30)."""
import os
import sys
import time

import psycopg2

from .config import DB_HOST, DB_PASSWORD, DB_PORT


def main() -> int:
    deadline = time.monotonic() + float(os.environ.get("TEA_DB_WAIT", "30"))
    attempt = 0
    while True:
        attempt += 1
        try:
            conn = psycopg2.connect(host=DB_HOST, port=DB_PORT, user="tea", password=DB_PASSWORD,
                                    dbname="tea", connect_timeout=3)
            conn.close()
            print("tea-backend: database %s:%d reachable (attempt %d)" % (DB_HOST, DB_PORT, attempt),
                  flush=True)
            return 0
        except psycopg2.Error as exc:
            msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            if time.monotonic() >= deadline:
                print("tea-backend: database %s:%d not reachable, giving up: %s" % (DB_HOST, DB_PORT, msg),
                      file=sys.stderr, flush=True)
                return 1
            if attempt == 1 or attempt % 5 == 0:
                print("tea-backend: waiting for database %s:%d: %s" % (DB_HOST, DB_PORT, msg),
                      file=sys.stderr, flush=True)
            time.sleep(1)


if __name__ == "__main__":
    sys.exit(main())
