"""What a card, list row or digest row says about a lead's owner and clock: a plain view, built by the alerts
side (which has the store and the calendar) and rendered by the block builders."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ClockView:
    """A lead's owner and clock as people read them.

    `waiting_minutes`: working minutes since the clock started, while nobody has contacted the lead (None once
    someone has, or while the clock waits for opening time). `starts_at`: "Tue 08:30" when the lead arrived out
    of hours and the clock has not started yet. `step`: the last ladder step taken since the clock started
    ("nudged", "escalated", "reassigned"). `first_contact_minutes`: working minutes from arrival (or the last
    assignment) to the first attempt.
    """

    owner: str | None = None
    waiting_minutes: float | None = None
    starts_at: str | None = None
    step: str | None = None
    attempts: int = 0
    first_contact_minutes: float | None = None
    reached: bool = False
    closed: bool = False
