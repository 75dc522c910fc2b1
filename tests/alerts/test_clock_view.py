"""alerts/cards.py clock_view: what a card says about a clock, read against working hours and the ladder."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from leadbot.alerts.cards import clock_view
from leadbot.routing.clock import ClockView
from leadbot.routing.hours import WorkingHours
from leadbot.routing.sla import Ladder
from leadbot.store import LeadClock

HOURS = WorkingHours.parse("Mon-Fri 08:30-18:00", holidays="none")
LADDER = Ladder.parse("5m nudge, 15m escalate, 30m reassign")
MONDAY_10 = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # London is on GMT: UTC is the wall clock
FRIDAY_19 = datetime(2026, 11, 27, 19, 0, tzinfo=UTC)


def clock(arrived: datetime, **changes: object) -> LeadClock:
    base = LeadClock(
        lead_id="1042",
        arrived_at=arrived,
        out_of_hours=False,
        timed=True,
        owner=None,
        owner_since=None,
        clock_from=arrived,
        ladder_done=0,
        first_contact_at=None,
        reached_at=None,
        attempts=0,
        retry_due_at=None,
        asked_to_close=False,
        closed=False,
        version=0,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def view(of: LeadClock | None, now: datetime) -> ClockView | None:
    return clock_view(of, hours=HOURS, ladder=LADDER, now=now)


def test_no_clock_no_view() -> None:
    assert view(None, MONDAY_10) is None


def test_waiting_in_working_minutes_with_the_last_step() -> None:
    waiting = clock(MONDAY_10, owner="U1", ladder_done=2)
    assert view(waiting, MONDAY_10.replace(minute=12)) == ClockView(
        owner="U1", waiting_minutes=12.0, step="escalated"
    )
    assert view(replace(waiting, ladder_done=1), MONDAY_10.replace(minute=6)).step == "nudged"  # type: ignore[union-attr]
    assert view(replace(waiting, ladder_done=3), MONDAY_10.replace(minute=40)).step == "reassigned"  # type: ignore[union-attr]
    assert view(replace(waiting, ladder_done=0), MONDAY_10.replace(minute=4)).step is None  # type: ignore[union-attr]


def test_out_of_hours_says_when_the_clock_starts_then_counts_from_opening() -> None:
    night = clock(FRIDAY_19, out_of_hours=True)
    assert view(night, FRIDAY_19.replace(hour=20)) == ClockView(starts_at="Mon 08:30")
    monday = datetime(2026, 11, 30, 8, 34, tzinfo=UTC)
    assert view(night, monday) == ClockView(waiting_minutes=4.0)


def test_contacted_shows_attempts_and_time_to_first_contact() -> None:
    contacted = clock(
        FRIDAY_19,
        owner="U1",
        first_contact_at=datetime(2026, 11, 30, 8, 37, tzinfo=UTC),
        reached_at=datetime(2026, 11, 30, 9, 0, tzinfo=UTC),
        attempts=2,
        ladder_done=1,
    )
    assert view(contacted, MONDAY_10) == ClockView(
        owner="U1", attempts=2, first_contact_minutes=7.0, reached=True, step="nudged"
    )


def test_closed_and_untimed_clocks_do_not_count() -> None:
    assert view(
        clock(MONDAY_10, owner="U1", closed=True, attempts=6), MONDAY_10.replace(hour=12)
    ) == ClockView(owner="U1", attempts=6, closed=True)
    assert view(clock(MONDAY_10, owner="U1", timed=False), MONDAY_10.replace(hour=12)) == ClockView(
        owner="U1"
    )
