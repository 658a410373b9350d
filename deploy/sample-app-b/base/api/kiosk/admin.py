"""Kiosk admin: a second web service (port 8082) that lists orders."""
import html
from typing import Any, Dict

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.responses import HTMLResponse, JSONResponse

from . import orders as order_model
from .config import ALEMBIC_HEAD_EXPECTED, COMMIT, RELEASE
from .db import alembic_current, engine

app = FastAPI(title="Kiosk admin", version=RELEASE)
orders = order_model.orders


@app.get("/status")
def status():
    """Health: 200 when the database answers, else 503."""
    body: Dict[str, Any] = {"status": "ok", "service": "admin", "release": RELEASE, "commit": COMMIT}
    try:
        with engine.connect() as conn:
            body["alembic_current"] = alembic_current(conn)
        body["db"] = "ok"
        return body
    except Exception as exc:  # noqa: BLE001 - any database failure
        body["status"] = "error"
        body["db"] = "error: %s" % (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return JSONResponse(body, status_code=503)


@app.get("/version")
def version() -> Dict[str, Any]:
    return {"release": RELEASE, "commit": COMMIT, "alembic_head_expected": ALEMBIC_HEAD_EXPECTED}


@app.get("/orders")
def list_orders():
    with engine.connect() as conn:
        rows = conn.execute(sa.select(orders).order_by(orders.c.id)).all()
    return [order_model.as_dict(r) for r in rows]


@app.get("/", response_class=HTMLResponse)
def index():
    rows = list_orders()
    cells = "".join(
        "<tr>%s</tr>" % "".join("<td>%s</td>" % html.escape(str(v)) for v in r.values()) for r in rows)
    head = "".join("<th>%s</th>" % html.escape(k) for k in (rows[0].keys() if rows else ["orders"]))
    return ("<!doctype html><title>Kiosk admin %s</title><h1>Kiosk admin %s</h1>"
            "<table border=1><tr>%s</tr>%s</table>" % (RELEASE, RELEASE, head, cells))
