"""0003: orders.created_at, and customer names normalised in place (irreversible)

Every orders.customer is trimmed, its inner blanks collapsed and lower-cased; the original
spelling is not kept anywhere, so this migration cannot be downgraded: its downgrade raises.
Going back below it means restoring a backup taken before it ran.

Revision ID: c7f04d1a9e36
Revises: 5e9d2b7c4a10
Create Date: 2026-03-09 14:15:00
"""
from alembic import op

revision = 'c7f04d1a9e36'
down_revision = '5e9d2b7c4a10'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE orders ADD COLUMN created_at timestamptz NOT NULL DEFAULT now()")
    op.execute("UPDATE orders SET customer = lower(regexp_replace(btrim(customer), '\\s+', ' ', 'g'))")


def downgrade() -> None:
    raise RuntimeError(
        "0003 (c7f04d1a9e36) cannot be downgraded: it normalised orders.customer in place and "
        "the original spelling is gone; restore a backup taken before 1.2.0 instead")
