"""0004: orders.reference becomes an integer (a data migration that can fail)

Transactional: a row whose reference is not a whole number stops the migration with an error
naming the rows, and nothing of it (nor of anything else in the same `alembic upgrade`) stays
applied. Empty references become NULL. See the README for how a test plants such a row.

Revision ID: 19b8e6f2d5c3
Revises: c7f04d1a9e36
Create Date: 2026-04-20 08:45:00
"""
from alembic import op
import sqlalchemy as sa

revision = '19b8e6f2d5c3'
down_revision = 'c7f04d1a9e36'
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    op.execute("UPDATE orders SET reference = NULL WHERE btrim(reference) = ''")
    bad = conn.execute(sa.text(
        "SELECT id, reference FROM orders "
        "WHERE reference IS NOT NULL AND btrim(reference) !~ '^[0-9]{1,9}$' ORDER BY id")).all()
    if bad:
        shown = ", ".join("%d=%r" % (row.id, row.reference) for row in bad[:10])
        raise RuntimeError(
            "0004 (19b8e6f2d5c3): %d order(s) have a reference that is not a whole number "
            "(id=reference: %s%s); fix or clear them, then migrate again"
            % (len(bad), shown, ", ..." if len(bad) > 10 else ""))
    op.execute("ALTER TABLE orders ALTER COLUMN reference TYPE integer USING btrim(reference)::integer")


def downgrade() -> None:
    op.execute("ALTER TABLE orders ALTER COLUMN reference TYPE text USING reference::text")
