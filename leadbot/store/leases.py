"""The poller lease: one conditional UPDATE takes or renews it, so it works the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, or_, update

from leadbot.store.base import StoreBase
from leadbot.store.records import Lease, from_row
from leadbot.store.tables import LEASE_POLLER, LeaseRow


class LeaseStore(StoreBase):
    """Take, renew, release and read the poller lease."""

    def acquire_lease(self, holder: str, *, ttl: timedelta, now: datetime) -> bool:
        """Takes the lease if free, expired or already ours (renewing it); True when we hold it after."""
        kept_if_ours = case((LeaseRow.holder == holder, LeaseRow.acquired_at), else_=now)
        with self._tx() as session:
            result = session.execute(
                update(LeaseRow)
                .where(
                    LeaseRow.name == LEASE_POLLER,
                    or_(LeaseRow.holder == holder, LeaseRow.holder.is_(None), LeaseRow.expires_at < now),
                )
                .values(holder=holder, expires_at=now + ttl, acquired_at=kept_if_ours)
                .execution_options(synchronize_session=False)
            )
            return getattr(result, "rowcount", 0) == 1

    def release_lease(self, holder: str) -> None:
        """Gives the lease up (if still ours) so another instance can take over at once."""
        with self._tx() as session:
            session.execute(
                update(LeaseRow)
                .where(LeaseRow.name == LEASE_POLLER, LeaseRow.holder == holder)
                .values(holder=None, acquired_at=None)
                .execution_options(synchronize_session=False)
            )

    def lease(self) -> Lease:
        with self._read() as session:
            row = session.get_one(LeaseRow, LEASE_POLLER)
            return from_row(Lease, row)
