"""Migrations build the schema from empty, match the models and keep data; the SQLite engine's settings."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from leadbot.store import Store, normalise_url
from leadbot.store.migrate import alembic_config, head_revision
from leadbot.store.tables import Base

TABLES = {
    *("seen_leads", "alerts", "email_overrides", "audit_log", "leases", "poll_state"),
    *("lead_clocks", "lead_events", "rota", "territories", "away", "markers", "shown_cards"),
}


def test_open_migrates_an_empty_database_to_head(database_url: str) -> None:
    store = Store.open(database_url)
    try:
        assert store.revision() == head_revision() == "0005"
        assert store.is_current()
        assert set(inspect(store.engine).get_table_names()) >= TABLES
    finally:
        store.close()


def test_schema_matches_the_models(database_url: str) -> None:
    store = Store.open(database_url)
    try:
        with store.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        store.close()


def test_an_empty_database_is_not_current(database_url: str) -> None:
    engine = create_engine(normalise_url(database_url))
    try:
        with engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_revision() is None
        store = Store(engine)
        assert store.revision() is None
        assert not store.is_current()
    finally:
        engine.dispose()


def test_reopen_keeps_data_and_migrates_nothing(database_url: str) -> None:
    store = Store.open(database_url)
    store.set_email_override("U1", "one@example.com", set_by="UADMIN")
    store.close()
    again = Store.open(database_url)
    try:
        assert again.get_email_override("U1") == "one@example.com"
        assert again.is_current()
    finally:
        again.close()


def test_upgrading_from_the_first_schema_keeps_every_row(database_url: str) -> None:
    """A database left at revision 0001 by an older leadbot is brought to head with its data intact."""
    engine = create_engine(normalise_url(database_url))
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
        connection.execute(
            text(
                "INSERT INTO seen_leads (lead_id, created_at, fingerprint, status, data, first_seen, last_seen, gone)"
                " VALUES ('7', :now, 'f', 'new', '{}', :now, :now, false)"
            ),
            {"now": datetime(2025, 3, 11, 11, 3, tzinfo=UTC)},
        )
        connection.execute(
            text(
                "INSERT INTO email_overrides (user_id, email, set_by, set_at) VALUES ('U1', 'a@b.co', 'U2', :now)"
            ),
            {"now": datetime(2025, 3, 11, tzinfo=UTC)},
        )
        connection.execute(
            text("INSERT INTO claims (lead_id, user_id, claimed_at) VALUES ('7', 'U3', :now)"),
            {"now": datetime(2025, 3, 11, 11, 5, tzinfo=UTC)},
        )
    engine.dispose()
    store = Store.open(database_url)
    try:
        assert store.revision() == "0005"
        clock = store.clock("7")  # the claim became the owner of an untimed clock: no ladder for old leads
        assert clock is not None
        assert (clock.owner, clock.owner_since, clock.timed) == (
            "U3",
            datetime(2025, 3, 11, 11, 5, tzinfo=UTC),
            False,
        )
        seen = store.seen_lead("7")
        assert seen is not None
        assert (seen.status, seen.changed_at, seen.missing_since) == ("new", None, None)
        assert store.poll_state().last_deep_try is None
        assert store.get_email_override("U1") == "a@b.co"
    finally:
        store.close()


def test_sqlite_file_is_created_with_wal(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "leadbot.db"
    store = Store.open(f"sqlite:///{path}")
    try:
        assert path.exists()
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000
    finally:
        store.close()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_postgres_urls_are_normalised_to_psycopg() -> None:
    assert normalise_url("postgres://u:p@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("postgresql://u:p@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("postgresql+psycopg://u@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("sqlite:///leadbot.db").drivername == "sqlite"


def test_store_repr_hides_the_password() -> None:
    store = Store(create_engine(normalise_url("postgres://user:secret@127.0.0.1/db")))
    assert "secret" not in repr(store)


def test_sqlite_reads_never_wait_for_a_writer(tmp_path: Path) -> None:
    path = tmp_path / "leadbot.db"
    store = Store.open(f"sqlite:///{path}")
    try:
        store.set_email_override("U1", "one@example.com", set_by="UADMIN")
        writer = sqlite3.connect(path, isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE email_overrides SET email = 'other@example.com'")
        started = time.monotonic()
        assert store.get_email_override("U1") == "one@example.com"  # the committed value, at once
        assert time.monotonic() - started < 1.0
        writer.execute("ROLLBACK")
        writer.close()
    finally:
        store.close()


def test_opening_a_current_database_never_waits_for_a_writer(tmp_path: Path) -> None:
    """A second instance (or `leadbot check`) starting must not queue behind the poller's writes."""
    path = tmp_path / "leadbot.db"
    Store.open(f"sqlite:///{path}").close()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        store = Store.open(f"sqlite:///{path}")
        assert time.monotonic() - started < 1.0
        assert store.is_current()
        store.close()
    finally:
        writer.execute("ROLLBACK")
        writer.close()
