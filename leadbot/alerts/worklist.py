"""What App Home lists for one person: the leads waiting for an owner now, and their own open leads."""

from __future__ import annotations

from dataclasses import dataclass, field

from leadbot.alerts.cards import Timing, lead_of, view_of
from leadbot.heatpunk import Lead
from leadbot.routing.clock import ClockView
from leadbot.store import LeadClock, Store

SHOWN = 10  # per list: App Home holds 100 blocks, and a list longer than this is read in the channel


@dataclass(frozen=True)
class Worklist:
    """Leads with their clocks: nobody's yet (newest first), and this person's (oldest first)."""

    waiting: list[tuple[Lead, ClockView]] = field(default_factory=list)
    mine: list[tuple[Lead, ClockView]] = field(default_factory=list)
    more_waiting: int = 0
    more_mine: int = 0


def worklist(store: Store, user_id: str, timing: Timing) -> Worklist:
    """The person's worklist as it is now (leads Heatpunk deleted are left out)."""
    unowned = [clock for clock in store.running_clocks() if clock.owner is None]
    unowned.sort(key=lambda clock: clock.arrived_at, reverse=True)
    waiting = _with_leads(store, unowned, timing)
    mine = _with_leads(store, store.owned_by(user_id), timing)
    return Worklist(waiting[:SHOWN], mine[:SHOWN], max(0, len(waiting) - SHOWN), max(0, len(mine) - SHOWN))


def _with_leads(store: Store, clocks: list[LeadClock], timing: Timing) -> list[tuple[Lead, ClockView]]:
    found = []
    for clock in clocks:
        seen = store.seen_lead(clock.lead_id)
        lead = lead_of(seen) if seen is not None and not seen.gone else None
        view = view_of(clock, timing)
        if lead is not None and view is not None:
            found.append((lead, view))
    return found
