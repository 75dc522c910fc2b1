"""What App Home shows one person: leads waiting for an owner now, their own open leads and today's reminders,
their week in three figures, and for admins health and the rota (gathered here; drawn by blocks/home.py)."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from datetime import timedelta

from leadbot import texts
from leadbot.alerts.cards import Timing, lead_of, view_of
from leadbot.blocks.home import HomeData, Row, Week
from leadbot.blocks.owners import mention
from leadbot.blocks.text import safe, uk_time
from leadbot.heatpunk import Lead
from leadbot.store import LeadClock, Store

SHOWN = 10  # per list: App Home holds 100 blocks, and a longer list is read in the channel
WEEK = timedelta(days=7)
FIVE_MINUTES = 5.0


def home_data(
    store: Store,
    user_id: str,
    timing: Timing,
    *,
    admin: bool = False,
    presence: Callable[[str], str] | None = None,
) -> HomeData:
    """The person's Home tab as things are now (leads Heatpunk deleted are left out); `presence` words a rota
    member's availability for admins."""
    unowned = [clock for clock in store.running_clocks() if clock.owner is None]
    unowned.sort(key=lambda clock: clock.arrived_at, reverse=True)
    waiting = _with_leads(store, unowned, timing)
    owned = store.owned_by(user_id)
    mine = _with_leads(store, owned, timing)
    return HomeData(
        waiting=waiting[:SHOWN],
        mine=mine[:SHOWN],
        due=_due_today(store, owned, timing),
        more_waiting=max(0, len(waiting) - SHOWN),
        more_mine=max(0, len(mine) - SHOWN),
        week=week_of(store, user_id, timing),
        admin=admin,
        health=health_lines(store) if admin else (),
        rota=[f"{mention(user)} — {presence(user)}" for user in store.rota()] if admin and presence else (),
    )


def week_of(store: Store, user_id: str, timing: Timing) -> Week:
    """Their leads that arrived in the last 7 days: how many, median working minutes to first contact, and
    the share contacted within 5 working minutes (of those owned)."""
    since = timing.now - WEEK
    clocks = [
        clock
        for clock in store.clocks_arrived_between(since, timing.now + timedelta(seconds=1))
        if clock.owner == user_id
    ]
    minutes = [
        timing.hours.minutes_between(clock.clock_from, clock.first_contact_at)
        for clock in clocks
        if clock.first_contact_at is not None
    ]
    if not clocks:
        return Week()
    within = sum(1 for value in minutes if value <= FIVE_MINUTES) / len(clocks)
    return Week(len(clocks), statistics.median(minutes) if minutes else None, within)


def health_lines(store: Store) -> list[str]:
    """For admins: the last successful poll, failures in a row, messages waiting for Slack."""
    state = store.poll_state()
    last = state.last_success
    lines = [texts.HOME_LAST_POLL.format(when=uk_time(last)) if last else texts.HOME_NEVER_POLLED]
    if state.health.poll_failures:
        cause = safe(state.health.cause or "—", 200)
        lines.append(texts.HOME_POLL_FAILURES.format(count=state.health.poll_failures, cause=cause))
    lines.append(texts.HOME_QUEUE.format(count=store.unsent_count()))
    return lines


def _due_today(store: Store, owned: Sequence[LeadClock], timing: Timing) -> list[tuple[Lead, str]]:
    zone = timing.hours.zone
    today = timing.now.astimezone(zone).date()
    due = [
        clock
        for clock in owned
        if clock.retry_due_at is not None and clock.retry_due_at.astimezone(zone).date() <= today
    ]
    found = []
    for clock in sorted(due, key=lambda clock: clock.retry_due_at or timing.now):
        lead = _lead(store, clock.lead_id)
        if lead is not None and clock.retry_due_at is not None:
            when = clock.retry_due_at.astimezone(zone).strftime("%H:%M")
            found.append((lead, texts.HOME_DUE_AT.format(when=when)))
    return found


def _lead(store: Store, lead_id: str) -> Lead | None:
    seen = store.seen_lead(lead_id)
    return lead_of(seen) if seen is not None and not seen.gone else None


def _with_leads(store: Store, clocks: Sequence[LeadClock], timing: Timing) -> list[Row]:
    found = []
    for clock in clocks:
        lead, view = _lead(store, clock.lead_id), view_of(clock, timing)
        if lead is not None and view is not None:
            found.append((lead, view))
    return found
