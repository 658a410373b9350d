"""teams table (seeded) and records.team_id (data migration for existing rows)

Revision ID: 0002_teams
Revises: 0001_initial
Create Date: 2025-01-02 00:00:00

A "Type 2" migration: new table with seed data, a new nullable column and a
data migration. downgrade() removes the column (and its FK) and the table;
the records themselves are kept (they only lose their team).
"""
from alembic import op
import sqlalchemy as sa

revision = "0002_teams"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

TEAMS = ["red", "blue", "green"]


def upgrade() -> None:
    teams = op.create_table(
        "teams",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.UniqueConstraint("name", name="teams_name_key"),
    )
    op.bulk_insert(teams, [{"name": name} for name in TEAMS])

    op.add_column("records", sa.Column("team_id", sa.Integer, nullable=True))
    op.create_foreign_key("records_team_id_fkey", "records", "teams",
                          ["team_id"], ["id"], ondelete="SET NULL")
    # data migration: spread the existing records over the seeded teams
    # (record id 1 -> red, 2 -> blue, 3 -> green, 4 -> red, ...)
    op.execute(
        "UPDATE records AS r SET team_id = t.id FROM teams AS t"
        " WHERE t.name = (ARRAY['red', 'blue', 'green'])[1 + (r.id - 1) % 3]"
    )


def downgrade() -> None:
    op.drop_constraint("records_team_id_fkey", "records", type_="foreignkey")
    op.drop_column("records", "team_id")
    op.drop_table("teams")
