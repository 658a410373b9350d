"""Kiosk api: login and orders (port 8081)."""
from typing import Any, Dict

import sqlalchemy as sa
from fastapi import FastAPI, HTTPException, Response
from pydantic import BaseModel

from . import orders as order_model
from .config import ALEMBIC_HEAD_EXPECTED, COMMIT, RELEASE
from .db import engine, users
from .security import login_check, make_token

app = FastAPI(title="Kiosk api", version=RELEASE)
orders = order_model.orders


@app.get("/healthz")
def healthz() -> Dict[str, Any]:
    """Liveness: 200 while the process is up (no database call)."""
    return {"status": "ok", "service": "api", "release": RELEASE, "commit": COMMIT}


@app.get("/version")
def version() -> Dict[str, Any]:
    return {"release": RELEASE, "commit": COMMIT, "alembic_head_expected": ALEMBIC_HEAD_EXPECTED}


class LoginIn(BaseModel):
    username: str
    password: str


@app.post("/login")
def login(body: LoginIn) -> Dict[str, Any]:
    with engine.begin() as conn:
        row = conn.execute(sa.select(users.c.id, users.c.password_hash)
                           .where(users.c.username == body.username)).first()
        # login_check may raise on a hash it does not know: that is a 500, on purpose (see README)
        ok = row is not None and login_check(conn, row.id, body.password, row.password_hash)
    if not ok:
        raise HTTPException(status_code=401, detail="invalid username or password")
    return {"token": make_token(body.username), "username": body.username}


@app.get("/orders")
def list_orders():
    with engine.connect() as conn:
        rows = conn.execute(sa.select(orders).order_by(orders.c.id)).all()
    return [order_model.as_dict(r) for r in rows]


@app.post("/orders", status_code=201)
def create_order(body: order_model.OrderIn):
    with engine.begin() as conn:
        row = conn.execute(orders.insert().values(**order_model.values(body)).returning(*orders.c)).first()
    return order_model.after_create(order_model.as_dict(row))


@app.get("/orders/{order_id}")
def get_order(order_id: int):
    with engine.connect() as conn:
        row = conn.execute(sa.select(orders).where(orders.c.id == order_id)).first()
    if row is None:
        raise HTTPException(status_code=404, detail="order not found")
    return order_model.as_dict(row)


@app.delete("/orders/{order_id}", status_code=204)
def delete_order(order_id: int):
    with engine.begin() as conn:
        result = conn.execute(orders.delete().where(orders.c.id == order_id))
    if result.rowcount == 0:
        raise HTTPException(status_code=404, detail="order not found")
    return Response(status_code=204)
