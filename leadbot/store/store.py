"""The state store: one object with small typed methods, on SQLite or PostgreSQL."""

from __future__ import annotations

from leadbot.store import migrate
from leadbot.store.engine import make_engine
from leadbot.store.leads import LeadStore
from leadbot.store.leases import LeaseStore
from leadbot.store.outbox import OutboxStore
from leadbot.store.ownership import OwnershipStore
from leadbot.store.people import PeopleStore


class Store(LeadStore, OutboxStore, LeaseStore, PeopleStore, OwnershipStore):
    """Everything leadbot remembers; thread-safe (each method is its own short transaction)."""

    @classmethod
    def open(cls, database_url: str) -> Store:
        """Connects and migrates to head (creating an SQLite file on first run)."""
        engine = make_engine(database_url)
        try:
            migrate.upgrade(engine)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine)

    def close(self) -> None:
        self._engine.dispose()

    def revision(self) -> str | None:
        """The schema revision the database is at (None before any migration)."""
        return migrate.current_revision(self._engine)

    def is_current(self) -> bool:
        """True when the database is at the newest revision this leadbot ships."""
        return self.revision() == migrate.head_revision()

    def __repr__(self) -> str:
        return f"Store({self._engine.url.render_as_string(hide_password=True)!r})"
