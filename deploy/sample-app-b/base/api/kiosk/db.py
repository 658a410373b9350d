"""SQLAlchemy engine and tables (the schema itself belongs to Alembic)."""
import sqlalchemy as sa

from .config import database_url

engine = sa.create_engine(database_url(), pool_pre_ping=True, pool_size=5, max_overflow=5,
                          connect_args={"connect_timeout": 3}, future=True)

metadata = sa.MetaData()

users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.Text, nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
)

# orders: see orders.py (its shape changes from release to release)


def alembic_current(conn):
    """The database's Alembic revision, or None when it was never migrated."""
    if not conn.execute(sa.text("SELECT to_regclass('public.alembic_version') IS NOT NULL")).scalar():
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
