"""audit_log table, then records.audited; can be made to fail half-way

Revision ID: 0003_audit
Revises: 0002_teams
Create Date: 2025-01-03 00:00:00

The runbook's "migration failed mid-way" scenario. The upgrade has two parts:

  part 1  CREATE TABLE IF NOT EXISTS audit_log, in an autocommit block: it is
          committed on its own (together with everything alembic did before
          in this run, e.g. 0002_teams and alembic_version = '0002_teams')
          and survives a failure later on.
  part 2  records.audited + index ix_records_audited, in the normal
          migration transaction together with alembic_version = '0003_audit'.

Between the two, if the PostgreSQL setting tea.fail_migration is 'on' for
the session, the upgrade raises. Turn it on/off for new sessions with

    ALTER DATABASE tea SET tea.fail_migration = 'on';
    ALTER DATABASE tea RESET tea.fail_migration;

After such a failure alembic_version is still '0002_teams', audit_log exists
and records.audited does not. Part 1 is idempotent, so `alembic upgrade head`
completes the migration once the flag is cleared. downgrade() drops whatever
exists (index, column, table), so it also cleans up a half-applied state if
the database is stamped 0003_audit first.
"""
from alembic import op
import sqlalchemy as sa

revision = "0003_audit"
down_revision = "0002_teams"
branch_labels = None
depends_on = None

FAIL_MESSAGE = "0003_audit: failing half-way on purpose (tea.fail_migration=on)"


def _fail_flag_on() -> bool:
    if op.get_context().as_sql:  # offline (--sql): no session to ask
        return False
    value = op.get_bind().execute(
        sa.text("SELECT current_setting('tea.fail_migration', true)")).scalar()
    return (value or "").strip().lower() in ("on", "true", "1", "yes")


def upgrade() -> None:
    # part 1: committed on its own (commits the run's transaction so far too)
    with op.get_context().autocommit_block():
        op.execute(
            "CREATE TABLE IF NOT EXISTS audit_log ("
            " id serial PRIMARY KEY,"
            " at timestamptz NOT NULL DEFAULT now(),"
            " what text)"
        )

    # back in a transaction (opened by autocommit_block on exit)
    if _fail_flag_on():
        raise RuntimeError(FAIL_MESSAGE)

    # part 2
    op.add_column("records", sa.Column("audited", sa.Boolean, nullable=False,
                                       server_default=sa.false()))
    op.create_index("ix_records_audited", "records", ["audited"])
    op.execute("INSERT INTO audit_log (what) VALUES ('migration 0003_audit applied')")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_records_audited")
    op.execute("ALTER TABLE records DROP COLUMN IF EXISTS audited")
    op.execute("DROP TABLE IF EXISTS audit_log")
