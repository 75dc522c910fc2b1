"""Runs the Alembic migrations shipped in the package, so `Store.open` brings any database to head."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from leadbot.store.engine import READ_ONLY

MIGRATIONS = Path(__file__).parent / "migrations"
# Any constant: PostgreSQL instances starting together take turns migrating under this advisory lock.
_PG_MIGRATION_LOCK = 0x1EAD_B07


def alembic_config(connection: Connection | None = None) -> Config:
    """A config pointing at the packaged scripts; env.py migrates `connection` when one is given."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine) -> None:
    """Migrates to head in one locked transaction; a database already at head is only read, never locked."""
    if current_revision(engine) == head_revision():
        return
    # SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock. Alembic re-reads the revision inside the lock.
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        command.upgrade(alembic_config(connection), "head")


def current_revision(engine: Engine) -> str | None:
    """Only reads (on SQLite it never waits for a writer)."""
    with engine.execution_options(**{READ_ONLY: True}).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
