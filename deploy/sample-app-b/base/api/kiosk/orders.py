"""Orders as this release sees them (1.0.0: customer, amount_cents, reference text)."""
from typing import Any, Dict, Optional

import sqlalchemy as sa
from pydantic import BaseModel, Field

from .db import metadata

orders = sa.Table(
    "orders", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("customer", sa.Text, nullable=False),
    sa.Column("amount_cents", sa.Integer, nullable=False),
    sa.Column("reference", sa.Text),
)


class OrderIn(BaseModel):
    customer: str = Field(..., min_length=1, max_length=200)
    amount_cents: int = Field(..., ge=0)
    reference: Optional[str] = None


def values(body: OrderIn) -> Dict[str, Any]:
    return {"customer": body.customer, "amount_cents": body.amount_cents, "reference": body.reference}


def as_dict(row) -> Dict[str, Any]:
    return {"id": row.id, "customer": row.customer, "amount_cents": row.amount_cents, "reference": row.reference}


def after_create(order: Dict[str, Any]) -> Dict[str, Any]:
    """Hook run after an order is stored (1.0.0: nothing)."""
    return order
