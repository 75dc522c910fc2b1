"""Where a new lead starts: its clock (in or out of hours), and under round-robin or territory routing its owner,
who is told by DM; decided in the poll cycle and committed with it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from leadbot.heatpunk import Lead
from leadbot.routing.hours import WorkingHours
from leadbot.routing.rota import Choice
from leadbot.routing.sla import Ladder, minutes_words
from leadbot.store import ClockIn, NewAlert, Store

CURSOR = "round-robin"  # the marker holding who took the last round-robin lead


Chooser = Callable[[Lead, str | None], Choice]  # (lead, cursor) → choice


@dataclass(frozen=True)
class Arrivals:
    """What a poll cycle writes for its new leads."""

    clocks: list[ClockIn] = field(default_factory=list)
    alerts: list[NewAlert] = field(default_factory=list)
    markers: Mapping[str, str | None] = field(default_factory=dict)


class Desk:
    """Starts new leads' clocks and routes them (LEADBOT_ROUTING)."""

    def __init__(
        self, *, store: Store, hours: WorkingHours, ladder: Ladder, routing: str, choose: Chooser
    ) -> None:
        self._store, self._hours, self._ladder = store, hours, ladder
        self._routing, self._choose = routing, choose

    def arrivals(self, leads: Sequence[Lead], now: datetime) -> Arrivals:
        if not leads:
            return Arrivals()
        out_of_hours = not self._hours.is_open(now)
        cursor = self._store.marker(CURSOR)
        clocks: list[ClockIn] = []
        alerts: list[NewAlert] = []
        first = self._ladder.next_step(0)
        minutes = minutes_words(first.minutes) if first else None
        for lead in leads:
            owner = None
            if self._routing != "claim":
                choice = self._choose(lead, cursor)
                owner, cursor = choice.owner, choice.cursor
                if owner is not None:
                    payload = {"reason": "assigned", "why": choice.reason, "minutes": minutes}
                    alerts.append(NewAlert(kind="dm", channel=owner, payload=payload, lead_id=lead.id))
            how = "assigned" if owner else "arrived"
            clocks.append(ClockIn(lead.id, now, out_of_hours=out_of_hours, owner=owner, how=how))
        return Arrivals(clocks, alerts, {CURSOR: cursor} if self._routing != "claim" else {})
