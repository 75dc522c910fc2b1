"""What App Home shows one person: leads waiting for an owner now, their own open leads and today's reminders,
their week in three figures, and for admins health and the rota (gathered here; drawn by blocks/home.py)."""

from __future__ import annotations

import logging
import statistics
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from leadbot import texts
from leadbot.alerts.cards import Timing, live_lead, timing_of, view_of
from leadbot.blocks.home import HomeData, Row, Week, build_home
from leadbot.blocks.owners import mention
from leadbot.blocks.team import presence_words
from leadbot.blocks.text import safe, uk_time
from leadbot.heatpunk import Lead
from leadbot.leads.availability import Availability
from leadbot.leads.permissions import is_admin
from leadbot.settings import Settings
from leadbot.slack.client import slack_error_code
from leadbot.store import LeadClock, Store

logger = logging.getLogger(__name__)

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
        lead = live_lead(store, clock.lead_id)
        if lead is not None and clock.retry_due_at is not None:
            when = clock.retry_due_at.astimezone(zone).strftime("%H:%M")
            found.append((lead, texts.HOME_DUE_AT.format(when=when)))
    return found


def _with_leads(store: Store, clocks: Sequence[LeadClock], timing: Timing) -> list[Row]:
    found = []
    for clock in clocks:
        lead, view = live_lead(store, clock.lead_id), view_of(clock, timing)
        if lead is not None and view is not None:
            found.append((lead, view))
    return found


class HomePublisher:
    """Publishes a person's Home tab as things are now: on open, after their own changes, and when the ladder or
    routing gives them a lead (the sender, after the DM)."""

    def __init__(
        self, store: Store, slack: WebClient, settings: Settings, clock: Callable[[], datetime]
    ) -> None:
        self._store, self._slack, self._settings, self._clock = store, slack, settings, clock

    def publish_owner_of(self, lead_id: str) -> None:
        """The Home tab of whoever owns the lead now (nobody: nothing)."""
        clock = self._store.clock(lead_id)
        if clock is not None and clock.owner is not None:
            self.publish(clock.owner)

    def publish(
        self,
        user_id: str,
        *,
        search: str | None = None,
        found: Sequence[Lead] = (),
        problem: str | None = None,
    ) -> None:
        try:
            timing = timing_of(self._settings, self._clock())
            availability = Availability(self._store, self._slack, timing.hours, self._clock)

            def presence(person: str) -> str:
                return presence_words(availability.presence(person), timing.now, timing.hours.zone)

            admin = is_admin(self._settings, user_id)
            data = home_data(self._store, user_id, timing, admin=admin, presence=presence)
            data = replace(data, search=search, found=found, search_problem=problem)
            self._slack.views_publish(user_id=user_id, view=build_home(data))
        except SlackApiError as error:
            logger.warning("views.publish failed: %s", slack_error_code(error))
