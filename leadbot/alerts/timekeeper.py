"""The ladder, retry reminders and the working morning, carried out by the lease holder after each poll cycle.

Every step is decided from the database (a clock, a marker) and written in one fenced transaction together with
its Slack messages in the outbox: a restart or a kill -9 loses none and repeats none, and a lead contacted or
claimed meanwhile makes the step's write miss (the clock's version moved), so its message is never queued.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from leadbot import texts
from leadbot.alerts.cards import card_of
from leadbot.blocks.owners import mention
from leadbot.blocks.reminders import mentions
from leadbot.routing.hours import WorkingHours
from leadbot.routing.sla import Ladder, LadderStep, minutes_words
from leadbot.store import LeadClock, LeaseLost, NewAlert, Store

logger = logging.getLogger(__name__)

MORNING = "morning"  # the marker naming the last local day whose morning messages were queued
MORNING_LOOKBACK = timedelta(days=4)  # a long weekend's out-of-hours leads
MORNING_LATE = timedelta(hours=2)  # started later than this after opening: the day's morning is let go


@dataclass(frozen=True)
class Team:
    """Who the ladder may turn to: available now? who is next for a lead? the managers and rota."""

    available: Callable[[str], bool]
    next_person: Callable[[str | None, Collection[str]], str | None]  # (after, skip) → who takes it next
    rota: Callable[[], Sequence[str]]
    managers: Sequence[str]


class Timekeeper:
    """Climbs each running clock's ladder, reminds owners to retry, and opens the working day."""

    def __init__(
        self,
        *,
        store: Store,
        holder: str,
        hours: WorkingHours,
        ladder: Ladder,
        team: Team,
        routing: str,
        alert_channel: str | None,
        max_attempts: int,
        stale_days: int,
        clock: Callable[[], datetime],
        report_channel: str | None = None,
    ) -> None:
        self._store, self._holder, self._hours, self._ladder = store, holder, hours, ladder
        self._team, self._routing, self._alert_channel, self._clock = team, routing, alert_channel, clock
        self._max_attempts, self._stale_days = max_attempts, stale_days
        self._report_channel = report_channel

    def tick(self) -> None:
        """One pass; a lead that fails is logged and skipped (LeaseLost propagates: stop)."""
        now = self._clock()
        for clock in self._store.running_clocks(below_step=len(self._ladder.steps)):
            self._safely(self._catch_up, clock, now)
        for clock in self._store.retries_due(now):
            self._safely(self._remind, clock, now)
        self._morning(now)

    def _safely(self, step: Callable[[LeadClock, datetime], None], clock: LeadClock, now: datetime) -> None:
        try:
            step(clock, now)
        except LeaseLost:
            raise
        except Exception:
            logger.exception("Failed to carry out the ladder for lead %s", clock.lead_id)

    # --- the ladder ------------------------------------------------------------------------------

    def due(self, clock: LeadClock) -> tuple[LadderStep, datetime] | None:
        """The clock's next step and when it is due (working minutes from clock_from), or None."""
        step = self._ladder.next_step(clock.ladder_done)
        if step is None:
            return None
        return step, self._hours.add(clock.clock_from, step.minutes)

    def _catch_up(self, clock: LeadClock, now: datetime) -> None:
        """Every step now due, in order, each in its own transaction (after downtime several may be)."""
        for _ in self._ladder.steps:
            if not self._climb(clock, now):
                return
            after = self._store.clock(clock.lead_id)
            if after is None or after.contacted or after.closed or after.ladder_done == 0:
                return  # contacted, closed, or reassigned: a new owner's ladder starts from now
            clock = after

    def _climb(self, clock: LeadClock, now: datetime) -> bool:
        """Takes the clock's next step if it is due; True when it did."""
        found = self.due(clock)
        if found is None or now < found[1]:
            return False
        step = found[0]
        seen = self._store.seen_lead(clock.lead_id)
        if seen is not None and seen.gone:  # deleted in Heatpunk: nothing to chase
            self._store.take_step(self._holder, clock, changes={"closed": True}, event="closed", now=now)
            return False
        minutes = minutes_words(step.minutes)
        changes: dict[str, Any] = {"ladder_done": clock.ladder_done + 1}
        plan = {"nudge": self._nudge, "escalate": self._escalate, "reassign": self._reassign}[step.kind]
        alerts = plan(clock, minutes, changes, now)
        event = {"nudge": "nudged", "escalate": "escalated", "reassign": "reassigned"}[step.kind]
        detail = {"after": minutes}
        taken = self._store.take_step(
            self._holder, clock, changes=changes, event=event, alerts=alerts, now=now, detail=detail
        )
        if taken:
            logger.info("Lead %s: %s after %s", clock.lead_id, event, minutes)
        return taken

    def _nudge(
        self, clock: LeadClock, minutes: str, changes: dict[str, Any], now: datetime
    ) -> list[NewAlert]:
        owner = clock.owner
        if owner is not None and self._team.available(owner):
            return [self._dm(owner, clock, reason="nudge", minutes=minutes), *self._card(clock)]
        people = [person for person in self._on_duty() if person != owner]
        if owner is not None:
            text = texts.NUDGE_NOTE_AWAY.format(
                owner=owner, minutes=minutes, people=mentions(people) or texts.NOBODY
            )
        elif people:
            text = texts.NUDGE_NOTE_NAMED.format(minutes=minutes, people=mentions(people))
        else:
            text = texts.NUDGE_NOTE.format(minutes=minutes)
        return self._card(clock, note=text)

    def _escalate(
        self, clock: LeadClock, minutes: str, changes: dict[str, Any], now: datetime
    ) -> list[NewAlert]:
        managers = [person for person in self._team.managers if self._team.available(person)]
        alerts = [self._dm(person, clock, reason="escalate", minutes=minutes) for person in managers]
        if managers:
            text = texts.ESCALATE_NOTE.format(minutes=minutes, people=mentions(managers))
        else:
            text = texts.ESCALATE_NOTE_NOBODY.format(minutes=minutes)
        return [*alerts, *self._card(clock, note=text)]

    def _reassign(
        self, clock: LeadClock, minutes: str, changes: dict[str, Any], now: datetime
    ) -> list[NewAlert]:
        owner = clock.owner
        if self._routing == "claim":
            if owner is None:
                return self._card(clock, note=texts.STILL_UNCLAIMED_NOTE.format(minutes=minutes))
            changes |= {"owner": None, "owner_since": None}
            return self._card(clock, note=texts.UNCLAIM_NOTE.format(minutes=minutes, before=owner))
        after = self._team.next_person(owner, {owner} if owner else set())
        if after is None:
            return self._card(clock, note=texts.REASSIGN_NOTE_NOBODY.format(minutes=minutes))
        changes |= {"owner": after, "owner_since": now, "clock_from": now, "ladder_done": 0}
        before = mention(owner) if owner else texts.NOBODY
        note = texts.REASSIGN_NOTE.format(minutes=minutes, before=before, after=after)
        why = texts.REASSIGN_WHY.format(minutes=minutes, before=before)
        dm = self._dm(after, clock, reason="reassigned", minutes=self._first_step(), why=why)
        return [dm, *self._card(clock, note=note)]

    # --- retries ---------------------------------------------------------------------------------

    def _remind(self, clock: LeadClock, now: datetime) -> None:
        owner = clock.owner
        changes = {"retry_due_at": None}
        if owner is None or not self._team.available(owner):
            self._store.take_step(self._holder, clock, changes=changes, event="retry_skipped", now=now)
            return
        reminder = self._dm(owner, clock, reason="retry", attempt=clock.attempts + 1, most=self._max_attempts)
        self._store.take_step(
            self._holder, clock, changes=changes, event="retry_reminded", alerts=[reminder], now=now
        )

    # --- the working morning ----------------------------------------------------------------------

    def _morning(self, now: datetime) -> None:
        """Once per working day, at opening: the overnight leads still needing someone, and each owner's stale
        leads; a leadbot started long after opening lets that day's morning go (marks it, sends nothing).
        On the week's first working morning the weekly report is queued too (late or not: figures are worth
        having at any hour; on a bank-holiday Monday, Tuesday's morning sends it)."""
        if not self._hours.is_open(now):
            return
        today = now.astimezone(self._hours.zone).date().isoformat()
        done = self._store.marker(MORNING)
        if done == today:
            return
        midnight = datetime.fromisoformat(today).replace(tzinfo=self._hours.zone)
        opened = self._hours.next_opening(midnight)
        alerts = [] if now - opened > MORNING_LATE else [*self._overnight(now), *self._stale(now)]
        alerts.extend(self._weekly_report(today, done))
        if self._store.set_marker(self._holder, MORNING, today, expected=done, now=now, alerts=alerts):
            logger.info("Working morning %s: %d message(s) queued", today, len(alerts))

    def _weekly_report(self, today: str, last_morning: str | None) -> list[NewAlert]:
        """The week's first working morning, when LEADBOT_REPORT_CHANNEL is set: the report of the seven days
        before its Monday (a first start mid-week waits for next week)."""
        if self._report_channel is None:
            return []
        day = date.fromisoformat(today)
        monday = day - timedelta(days=day.weekday())
        first = day == monday if last_morning is None else date.fromisoformat(last_morning) < monday
        if not first:
            return []
        payload = {"period": "7d", "until": monday.isoformat()}
        return [NewAlert(kind="report", channel=self._report_channel, payload=payload)]

    def _overnight(self, now: datetime) -> list[NewAlert]:
        waiting = [
            clock.lead_id
            for clock in self._store.clocks_arrived_between(now - MORNING_LOOKBACK, now)
            if clock.out_of_hours
            and clock.timed
            and not clock.closed
            and (clock.owner is None or not clock.contacted)
        ]
        if not waiting or self._alert_channel is None:
            return []
        return [NewAlert(kind="morning", channel=self._alert_channel, payload={"lead_ids": waiting})]

    def _stale(self, now: datetime) -> list[NewAlert]:
        since = now - timedelta(days=self._stale_days)
        per_owner: dict[str, list[str]] = defaultdict(list)
        clocks = self._store.owned_clocks()
        seen = {
            lead.lead_id: lead for lead in map(self._store.seen_lead, (c.lead_id for c in clocks)) if lead
        }
        for clock in clocks:
            lead = seen.get(clock.lead_id)
            if (
                clock.owner
                and lead is not None
                and not lead.gone
                and (lead.changed_at or lead.first_seen) <= since
            ):
                per_owner[clock.owner].append(clock.lead_id)
        days = self._stale_days  # the list waits in their DMs even if they are away today
        return [
            NewAlert(kind="dm", channel=owner, payload={"reason": "stale", "lead_ids": ids, "days": days})
            for owner, ids in per_owner.items()
        ]

    # --- messages -----------------------------------------------------------------------------

    def _on_duty(self) -> list[str]:
        return [person for person in self._team.rota() if self._team.available(person)]

    def _first_step(self) -> str | None:
        first = self._ladder.next_step(0)
        return minutes_words(first.minutes) if first else None

    @staticmethod
    def _dm(user_id: str, clock: LeadClock, *, reason: str, **details: Any) -> NewAlert:
        payload = {"reason": reason, **{key: value for key, value in details.items() if value is not None}}
        return NewAlert(kind="dm", channel=user_id, payload=payload, lead_id=clock.lead_id)

    def _card(self, clock: LeadClock, *, note: str | None = None) -> list[NewAlert]:
        """Re-renders the lead's card (its owner and clock line) and posts `note` in its thread; nothing for a
        lead without a card (DMs still go)."""
        card = card_of(self._store, clock.lead_id)
        if card is None:
            return []
        return [NewAlert(kind="step", channel=card.channel, payload={"note": note}, lead_id=clock.lead_id)]
