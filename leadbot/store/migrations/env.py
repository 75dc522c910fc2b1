"""Alembic environment: migrates the connection the store hands over, or `-x url=…` from the alembic CLI."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection

from leadbot.store.engine import make_engine
from leadbot.store.tables import Base


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    given = context.config.attributes.get("connection")
    if given is not None:
        _migrate(given)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or os.environ.get("DATABASE_URL")
    if not url:
        raise SystemExit("Give the database: alembic -x url=sqlite:///leadbot.db … (or set DATABASE_URL)")
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            _migrate(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("leadbot migrations run online only: give a database URL.")
run()
