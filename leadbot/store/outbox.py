"""The alert outbox: queue heads per channel, and each step of the post-then-record protocol."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update

from leadbot.store.base import StoreBase
from leadbot.store.leads import add_alert
from leadbot.store.records import DONE, PARKED, PENDING, POSTING, SENT, Alert, NewAlert, from_row
from leadbot.store.tables import AlertRow

ERROR_LIMIT = 300


class OutboxStore(StoreBase):
    """Alerts waiting to reach Slack, in order per channel."""

    def queue_alert(self, alert: NewAlert, *, now: datetime) -> int:
        """Queues one entry outside a poll cycle (e.g. a notice); returns its id."""
        with self._tx() as session:
            return add_alert(session, alert, now).id

    def outbox_heads(self) -> list[Alert]:
        """The oldest unsent entry of each channel: only these may be sent, so each channel stays in order."""
        heads = (
            select(func.min(AlertRow.id))
            .where(AlertRow.state.not_in(DONE))
            .group_by(AlertRow.channel)
            .scalar_subquery()
        )
        with self._read() as session:
            rows = session.scalars(select(AlertRow).where(AlertRow.id.in_(heads)).order_by(AlertRow.id))
            return [from_row(Alert, row) for row in rows]

    def alert(self, alert_id: int) -> Alert | None:
        with self._read() as session:
            row = session.get(AlertRow, alert_id)
            return from_row(Alert, row) if row else None

    def alerts(self, *, lead_id: str | None = None, kind: str | None = None) -> list[Alert]:
        """Every entry (optionally for one lead or of one kind), oldest first: for checks and tests."""
        query = select(AlertRow).order_by(AlertRow.id)
        if lead_id is not None:
            query = query.where(AlertRow.lead_id == lead_id)
        if kind is not None:
            query = query.where(AlertRow.kind == kind)
        with self._read() as session:
            return [from_row(Alert, row) for row in session.scalars(query)]

    def unsent_count(self) -> int:
        """Entries still to send (parked ones are not: they will never be tried again)."""
        with self._read() as session:
            query = select(func.count()).select_from(AlertRow).where(AlertRow.state.not_in(DONE))
            return int(session.scalar(query) or 0)

    def parked_since(self, since: datetime) -> list[Alert]:
        """Entries set aside since `since`, oldest first: for /healthz."""
        query = (
            select(AlertRow).where(AlertRow.state == PARKED, AlertRow.sent_at >= since).order_by(AlertRow.id)
        )
        with self._read() as session:
            return [from_row(Alert, row) for row in session.scalars(query)]

    def mark_parked(self, alert_id: int, *, holder: str, error: str, now: datetime) -> None:
        """Sets an entry aside for good (it was surely never posted): its channel's next entry may go."""
        with self._tx() as session:
            self._fence(session, holder)
            session.execute(
                update(AlertRow)
                .where(AlertRow.id == alert_id, AlertRow.state.not_in(DONE))
                .values(state=PARKED, sent_at=now, last_error=error[:ERROR_LIMIT])
                .execution_options(synchronize_session=False)
            )

    def mark_posting(self, alert_id: int, *, holder: str, until: datetime | None = None) -> None:
        """Written before the post: from here on a crash means "maybe posted", to reconcile, not repost.

        The lease must still be `holder`'s, and is kept till `until` (when the post may still be in flight): an
        instance taking over at expiry could otherwise look for the post before it lands, miss it, and post again.
        """
        with self._tx() as session:
            self._fence(session, holder, until=until)
            session.execute(
                update(AlertRow)
                .where(AlertRow.id == alert_id, AlertRow.state.not_in(DONE))
                .values(state=POSTING)
                .execution_options(synchronize_session=False)
            )

    def mark_sent(self, alert_id: int, *, ts: str | None, now: datetime) -> None:
        with self._tx() as session:
            session.execute(
                update(AlertRow)
                .where(AlertRow.id == alert_id)
                .values(state=SENT, message_ts=ts, sent_at=now, last_error=None)
                .execution_options(synchronize_session=False)
            )

    def mark_retry(
        self, alert_id: int, *, maybe_posted: bool, next_attempt_at: datetime, error: str, repeats: int = 1
    ) -> None:
        """Counts a failed attempt; `maybe_posted` keeps it `posting` so the retry reconciles first;
        `repeats` is how many failures in a row had this same cause."""
        with self._tx() as session:
            session.execute(
                update(AlertRow)
                .where(AlertRow.id == alert_id, AlertRow.state.not_in(DONE))
                .values(
                    state=POSTING if maybe_posted else PENDING,
                    attempts=AlertRow.attempts + 1,
                    next_attempt_at=next_attempt_at,
                    last_error=error[:ERROR_LIMIT],
                    repeats=repeats,
                )
                .execution_options(synchronize_session=False)
            )
