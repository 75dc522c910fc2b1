"""The poller's side of the store: leads seen, its state between cycles, health, and the cycle commit."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from leadbot.store.base import StoreBase
from leadbot.store.clocks import add_clock, add_event, set_marker_in
from leadbot.store.records import (
    HEATPUNK_ACTOR,
    PENDING,
    CycleWrite,
    Health,
    KnownLead,
    LeadIn,
    NewAlert,
    PollState,
    SeenLead,
    from_row,
)
from leadbot.store.tables import STATE_ROW, AlertRow, LeadClockRow, PollStateRow, SeenLeadRow

CHUNK = 500  # ids per IN (…) query: far below SQLite's and PostgreSQL's parameter limits
HealthStep = Callable[[Health], tuple[Health, dict[str, Any] | None]]
T = TypeVar("T")


# `last_seen` of an unchanged lead is kept to within this: rewriting 10k rows' last_seen was most of a deep
# sync's commit (45 of 50 ms on SQLite), and nothing needs it finer than "seen today".
LAST_SEEN_GRAIN = timedelta(hours=12)


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _health(row: PollStateRow) -> Health:
    return Health(row.poll_failures, row.slack_failures, row.health_cause, row.health_posted)


def _update_seen(session: Session, lead_ids: Sequence[str], **values: Any) -> None:
    """Sets `values` on these seen leads, in chunks that stay under the database's parameter limit."""
    for chunk in _chunks(list(lead_ids)):
        session.execute(
            update(SeenLeadRow)
            .where(SeenLeadRow.lead_id.in_(chunk))
            .values(**values)
            .execution_options(synchronize_session=False)
        )


def _record_status_moves(session: Session, changed: Sequence[LeadIn], now: datetime) -> None:
    """A "status" lead event for each changed lead whose status moved (what reports count progress from)."""
    ids = [lead.lead_id for lead in changed]
    before: dict[str, str | None] = {}
    for chunk in _chunks(ids):
        query = select(SeenLeadRow.lead_id, SeenLeadRow.status).where(SeenLeadRow.lead_id.in_(chunk))
        before.update((lead_id, status) for lead_id, status in session.execute(query))
    for lead in changed:
        if lead.lead_id in before and before[lead.lead_id] != lead.status:
            detail = {"from": before[lead.lead_id], "to": lead.status}
            add_event(session, lead.lead_id, "status", actor=HEATPUNK_ACTOR, now=now, detail=detail)


def add_alert(session: Session, alert: NewAlert, now: datetime) -> AlertRow:
    """Queues one outbox entry (pending, due now) in the caller's transaction."""
    row = AlertRow(
        key=uuid.uuid4().hex,
        lead_id=alert.lead_id,
        channel=alert.channel,
        kind=alert.kind,
        payload=alert.payload,
        state=PENDING,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


class LeadStore(StoreBase):
    """Seen leads and poll state."""

    def seen_count(self) -> int:
        with self._read() as session:
            return int(session.scalar(select(func.count()).select_from(SeenLeadRow)) or 0)

    def seen_lead(self, lead_id: str) -> SeenLead | None:
        with self._read() as session:
            row = session.get(SeenLeadRow, lead_id)
            return from_row(SeenLead, row) if row else None

    def known_leads(self, ids: Collection[str], *, created_since: datetime) -> dict[str, KnownLead]:
        """Every lead created since `created_since` (gone ones too), plus any of `ids` created earlier."""
        columns = select(
            SeenLeadRow.lead_id,
            SeenLeadRow.created_at,
            SeenLeadRow.fingerprint,
            SeenLeadRow.gone,
            SeenLeadRow.card_alert_id,
            SeenLeadRow.missing_since,
        )
        found: dict[str, KnownLead] = {}
        with self._read() as session:
            connection = (
                session.connection()
            )  # plain rows: the ORM's per-row loading costs more than the query
            for row in connection.execute(columns.where(SeenLeadRow.created_at >= created_since)):
                found[row[0]] = KnownLead(*row)
            for chunk in _chunks(sorted(set(ids) - found.keys())):
                for row in connection.execute(columns.where(SeenLeadRow.lead_id.in_(chunk))):
                    found[row[0]] = KnownLead(*row)
        return found

    def snapshots(self, ids: Collection[str]) -> dict[str, dict[str, Any]]:
        """The stored JSON snapshots of these leads (to say what changed)."""
        found: dict[str, dict[str, Any]] = {}
        with self._read() as session:
            for chunk in _chunks(sorted(ids)):
                query = select(SeenLeadRow.lead_id, SeenLeadRow.data).where(SeenLeadRow.lead_id.in_(chunk))
                found.update((lead_id, data) for lead_id, data in session.execute(query))
        return found

    def leads_on_card(self, alert_id: int) -> list[SeenLead]:
        """The leads a message (a digest, or one card) shows, oldest first."""
        query = (
            select(SeenLeadRow)
            .where(SeenLeadRow.card_alert_id == alert_id)
            .order_by(SeenLeadRow.created_at, SeenLeadRow.lead_id)
        )
        with self._read() as session:
            return [from_row(SeenLead, row) for row in session.scalars(query)]

    def poll_state(self) -> PollState:
        with self._read() as session:
            row = session.get_one(PollStateRow, STATE_ROW)
            return PollState(
                first_run_done=row.first_run_done,
                newest_created=row.newest_created,
                last_deep_sync=row.last_deep_sync,
                last_success=row.last_success,
                health=_health(row),
                last_deep_try=row.last_deep_try,
            )

    def note_deep_sync_try(self, *, now: datetime) -> None:
        """Written before a deep sync's fetch: a failing one is then retried only after a delay."""
        with self._tx() as session:
            session.get_one(PollStateRow, STATE_ROW).last_deep_try = now

    def commit_cycle(self, holder: str, write: CycleWrite, *, now: datetime) -> list[int]:
        """Records a cycle's findings and queues its alerts atomically; raises LeaseLost if superseded."""
        with self._tx() as session:
            self._fence(session, holder)
            for lead in write.new:
                session.add(
                    SeenLeadRow(
                        lead_id=lead.lead_id,
                        created_at=lead.created_at,
                        fingerprint=lead.fingerprint,
                        status=lead.status,
                        data=lead.data,
                        first_seen=now,
                        last_seen=now,
                        gone=False,
                    )
                )
            session.flush()
            if write.changed:
                changes = [
                    {
                        "lead_id": lead.lead_id,
                        "created_at": lead.created_at,
                        "fingerprint": lead.fingerprint,
                        "status": lead.status,
                        "data": lead.data,
                        "gone": False,
                        "last_seen": now,
                        "changed_at": now,
                        "missing_since": None,
                    }
                    for lead in write.changed
                ]
                _record_status_moves(session, write.changed, now)
                session.execute(update(SeenLeadRow), changes)
            _update_seen(session, write.missing, missing_since=now)
            _update_seen(session, write.gone, gone=True, missing_since=None)
            if write.seen_since is not None:  # after missing and gone are marked, which it leaves alone
                session.execute(
                    update(SeenLeadRow)
                    .where(
                        SeenLeadRow.created_at >= write.seen_since,
                        SeenLeadRow.gone.is_(False),
                        SeenLeadRow.missing_since.is_(None),
                        SeenLeadRow.last_seen < now - LAST_SEEN_GRAIN,
                    )
                    .values(last_seen=now)
                    .execution_options(synchronize_session=False)
                )
            _update_seen(session, write.seen, last_seen=now, missing_since=None)
            for clock in write.clocks:
                if session.get(LeadClockRow, clock.lead_id) is None:
                    add_clock(session, clock)
            for name, value in write.markers.items():
                set_marker_in(session, name, value, now)
            alert_ids = []
            for alert in write.alerts:
                row = add_alert(session, alert, now)
                alert_ids.append(row.id)
                _update_seen(session, alert.card_for, card_alert_id=row.id)
            state = session.get_one(PollStateRow, STATE_ROW)
            if write.newest_created and (
                state.newest_created is None or write.newest_created > state.newest_created
            ):
                state.newest_created = write.newest_created
            if write.deep_sync:
                state.last_deep_sync = now
            state.first_run_done = state.first_run_done or write.first_run_done
            state.last_success = now
            return alert_ids

    def apply_health(self, step: HealthStep, *, channel: str | None, now: datetime) -> Health:
        """Moves the health state by `step`; a notice it returns is queued in the same transaction."""
        with self._tx() as session:
            row = session.get_one(PollStateRow, STATE_ROW)
            before = _health(row)
            after, notice = step(before)
            if after != before:
                row.poll_failures, row.slack_failures = after.poll_failures, after.slack_failures
                row.health_cause, row.health_posted = after.cause, after.posted
            if notice is not None and channel:
                add_alert(session, NewAlert(kind="notice", channel=channel, payload=notice), now)
            return after
