"""Writes a lead's clock, its events and named markers inside a caller's transaction (the poll cycle's
commit and the ownership store share them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from leadbot.store.records import ClockIn
from leadbot.store.tables import LeadClockRow, LeadEventRow, MarkerRow


def add_event(
    session: Session,
    lead_id: str,
    kind: str,
    *,
    actor: str,
    now: datetime,
    before: str | None = None,
    after: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Records what happened to a lead, in the caller's transaction."""
    session.add(
        LeadEventRow(
            lead_id=lead_id,
            at=now,
            actor=actor,
            kind=kind,
            owner_before=before,
            owner_after=after,
            detail=detail,
        )
    )


def add_clock(session: Session, clock: ClockIn, *, timed: bool = True) -> None:
    """Starts a lead's clock (and its first event) in the caller's transaction."""
    session.add(
        LeadClockRow(
            lead_id=clock.lead_id,
            arrived_at=clock.arrived_at,
            out_of_hours=clock.out_of_hours,
            timed=timed,
            owner=clock.owner,
            owner_since=clock.arrived_at if clock.owner else None,
            clock_from=clock.arrived_at,
            ladder_done=0,
            attempts=0,
            asked_to_close=False,
            closed=False,
            version=0,
        )
    )
    add_event(session, clock.lead_id, clock.how, actor=clock.actor, now=clock.arrived_at, after=clock.owner)


def set_marker_in(session: Session, name: str, value: str | None, now: datetime) -> None:
    """Sets a marker unconditionally, in the caller's (fenced) transaction."""
    row = session.get(MarkerRow, name)
    if row is None:
        session.add(MarkerRow(name=name, value=value, at=now))
    else:
        row.value, row.at = value, now
