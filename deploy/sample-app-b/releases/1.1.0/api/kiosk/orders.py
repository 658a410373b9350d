"""Orders as this release sees them (1.1.0: + status, an enum; new orders are queued for the worker)."""
import json
import time
from typing import Any, Dict, Optional

import redis
import sqlalchemy as sa
from pydantic import BaseModel, Field

from .config import JOBS_KEY, redis_url
from .db import metadata

STATUSES = ("new", "paid", "shipped", "cancelled")

orders = sa.Table(
    "orders", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("customer", sa.Text, nullable=False),
    sa.Column("amount_cents", sa.Integer, nullable=False),
    sa.Column("reference", sa.Text),
    # the type exists in the database (migration 0002); never created from here
    sa.Column("status", sa.Enum(*STATUSES, name="order_status", create_type=False)),
)

_redis: Optional[redis.Redis] = None


def _queue() -> redis.Redis:
    global _redis
    if _redis is None:
        _redis = redis.Redis.from_url(redis_url(), socket_connect_timeout=2, socket_timeout=3,
                                      decode_responses=True)
    return _redis


class OrderIn(BaseModel):
    customer: str = Field(..., min_length=1, max_length=200)
    amount_cents: int = Field(..., ge=0)
    reference: Optional[str] = None


def values(body: OrderIn) -> Dict[str, Any]:
    return {"customer": body.customer, "amount_cents": body.amount_cents, "reference": body.reference}


def as_dict(row) -> Dict[str, Any]:
    return {"id": row.id, "customer": row.customer, "amount_cents": row.amount_cents,
            "reference": row.reference, "status": row.status}


def after_create(order: Dict[str, Any]) -> Dict[str, Any]:
    """Queue the new order for the worker (Redis list kiosk:jobs); the order stands even if Redis is down."""
    job = {"kind": "order.created", "order_id": order["id"], "queued_at": time.time()}
    try:
        _queue().rpush(JOBS_KEY, json.dumps(job))
        order["queued"] = True
    except redis.RedisError:
        order["queued"] = False
    return order
