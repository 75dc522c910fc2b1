"""Builds the SQLAlchemy engine: URL normalisation, SQLite pragmas and write-safe transactions."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

SQLITE_BUSY_MS = 15_000
READ_ONLY = "leadbot_read_only"  # execution option: this transaction only reads

_PG_SCHEMES = {"postgres": "postgresql+psycopg", "postgresql": "postgresql+psycopg"}


def normalise_url(database_url: str) -> URL:
    """`postgres://` and `postgresql://` mean psycopg 3; everything else is taken as written."""
    scheme, sep, rest = database_url.partition("://")
    if sep and scheme in _PG_SCHEMES:
        database_url = f"{_PG_SCHEMES[scheme]}://{rest}"
    return make_url(database_url)


def is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def make_engine(database_url: str) -> Engine:
    """An engine; on SQLite every connection gets WAL + busy_timeout and every transaction BEGIN IMMEDIATE."""
    url = normalise_url(database_url)
    if not is_sqlite(url):
        return create_engine(url, pool_pre_ping=True)
    if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_MS / 1000})
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    """WAL lets readers and one writer share the file; busy_timeout makes writers wait their turn."""
    # Let SQLAlchemy's "begin" event start transactions, instead of pysqlite's own deferred BEGIN.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def _sqlite_begin(connection: Any) -> None:
    """Writers BEGIN IMMEDIATE (a read-then-write never fails with SQLITE_BUSY); readers never wait (WAL)."""
    read_only = connection.get_execution_options().get(READ_ONLY, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")
