"""0001: users and orders, plus the seeded admin user (password "admin")

Revision ID: a3c1e5f70b21
Revises:
Create Date: 2026-01-05 09:00:00
"""
import hashlib

from alembic import op
import sqlalchemy as sa

revision = 'a3c1e5f70b21'
down_revision = None
branch_labels = None
depends_on = None


def _sha256_hash(password, salt):
    # the format of 1.0.0's kiosk.security, inlined: a migration must not follow later code
    return "sha256$%s$%s" % (salt, hashlib.sha256((salt + password).encode()).hexdigest())


def upgrade() -> None:
    users = op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.Text, nullable=False, unique=True),
        sa.Column("password_hash", sa.Text, nullable=False),
    )
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer, primary_key=True),  # serial
        sa.Column("customer", sa.Text, nullable=False),
        sa.Column("amount_cents", sa.Integer, nullable=False),
        sa.Column("reference", sa.Text, nullable=True),
    )
    op.bulk_insert(users, [{"username": "admin", "password_hash": _sha256_hash("admin", "kiosk-seed")}])


def downgrade() -> None:
    op.drop_table("orders")
    op.drop_table("users")
