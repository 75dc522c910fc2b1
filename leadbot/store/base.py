"""What every part of the store shares: the engine, sessions, and the lease fence for poller writes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, case, update
from sqlalchemy.orm import Session, sessionmaker

from leadbot.store.engine import READ_ONLY
from leadbot.store.records import LeaseLost
from leadbot.store.tables import LEASE_POLLER, LeaseRow


class StoreBase:
    """Holds the engine; each public method runs in its own short transaction."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._readers = sessionmaker(engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False)

    @property
    def engine(self) -> Engine:
        return self._engine

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def _read(self) -> Iterator[Session]:
        """A transaction that only reads: on SQLite it never waits for a writer."""
        with self._readers.begin() as session:
            yield session

    @staticmethod
    def _fence(session: Session, holder: str, *, until: datetime | None = None) -> None:
        """Raises LeaseLost unless `holder` still holds the poller lease, which it then keeps till `until` at
        least (a renewal, as acquire_lease allows its holder even past expiry); locks the lease row till commit."""
        held = [LeaseRow.name == LEASE_POLLER, LeaseRow.holder == holder]
        values: dict[str, Any] = {"holder": holder}
        if until is not None:
            values["expires_at"] = case((LeaseRow.expires_at < until, until), else_=LeaseRow.expires_at)
        result = session.execute(
            update(LeaseRow).where(*held).values(**values).execution_options(synchronize_session=False)
        )
        if getattr(result, "rowcount", 0) != 1:
            raise LeaseLost(f"{holder} no longer holds the poller lease")
