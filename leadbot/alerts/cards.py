"""Renders a message from what the store knows now, so every update of a card shows its latest state."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError

from leadbot import texts
from leadbot.blocks.alerts import CardState, build_alert_card, build_digest
from leadbot.blocks.kit import Message
from leadbot.heatpunk import Lead
from leadbot.routing.clock import ClockView
from leadbot.routing.hours import WorkingHours
from leadbot.routing.sla import Ladder
from leadbot.settings import Settings
from leadbot.store import Alert, LeadClock, SeenLead, Store

logger = logging.getLogger(__name__)


def lead_of(seen: SeenLead) -> Lead | None:
    """The lead from its stored snapshot (None if the snapshot can't be read)."""
    try:
        return Lead.model_validate(seen.data)
    except ValidationError:
        logger.exception("Failed to read the stored snapshot of lead %s", seen.lead_id)
        return None


def card_of(store: Store, lead_id: str) -> Alert | None:
    """The message that shows a lead (its own card or the digest it is in), or None (never alerted)."""
    seen = store.seen_lead(lead_id)
    return store.alert(seen.card_alert_id) if seen is not None and seen.card_alert_id else None


def live_lead(store: Store, lead_id: str) -> Lead | None:
    """The lead as the poller last saw it, unless Heatpunk has deleted it (or it was never seen)."""
    seen = store.seen_lead(lead_id)
    return lead_of(seen) if seen is not None and not seen.gone else None


@dataclass(frozen=True)
class Timing:
    """What a clock is read against: the team's working hours, the ladder, and now."""

    hours: WorkingHours
    ladder: Ladder
    now: datetime


def timing_of(settings: Settings, now: datetime) -> Timing:
    """The team's hours and ladder from the settings, at `now`."""
    return Timing(settings.working_hours(), settings.ladder, now)


def card_clock(store: Store, lead_id: str, timing: Timing) -> ClockView | None:
    """A `/leads show` card's owner and clock: for a lead leadbot alerted (and still sees) only; unowned and
    unclocked is an empty view (Claim offered)."""
    seen = store.seen_lead(lead_id)
    if seen is None or seen.gone:
        return None
    return view_of(store.clock(lead_id), timing) or ClockView()


def creator_of(store: Store, lead: Lead) -> str | None:
    """Who added a lead in Slack (its origin is `api`): the actor of its "created" event, else the audit log's
    "create" entry; None for any other lead, or when leadbot has no record of it."""
    if (lead.origin or "").strip().casefold() != "api":
        return None
    created = next((event.actor for event in store.events(lead.id) if event.kind == "created"), None)
    if created:
        return created
    return next((entry.slack_user for entry in store.audit_for(lead.id) if entry.action == "create"), None)


def clock_view(
    clock: LeadClock | None, *, hours: WorkingHours, ladder: Ladder, now: datetime
) -> ClockView | None:
    """What a card says about a lead's owner and clock (None: leadbot keeps no clock for it).

    Waiting minutes are working minutes since the clock started, until first contact; an out-of-hours lead
    whose clock has not started yet says when it will; the step is the last ladder step taken.
    """
    if clock is None:
        return None
    starts_at = None
    waiting = None
    first_contact = None
    if clock.first_contact_at is not None:
        first_contact = hours.minutes_between(clock.clock_from, clock.first_contact_at)
    elif clock.timed and not clock.closed:
        if not hours.is_open(clock.clock_from) and now < hours.next_opening(clock.clock_from):
            starts_at = hours.opening_words(clock.clock_from)
        else:
            waiting = hours.minutes_between(clock.clock_from, now)
    step = None
    done = ladder.steps[: clock.ladder_done]
    if done:
        step = done[-1].kind
    return ClockView(
        owner=clock.owner,
        waiting_minutes=waiting,
        starts_at=starts_at,
        step=texts.CLOCK_STEPS.get(step) if step else None,
        attempts=clock.attempts,
        first_contact_minutes=first_contact,
        reached=clock.reached_at is not None,
        closed=clock.closed,
    )


def clock_views(store: Store, lead_ids: Sequence[str], timing: Timing | None) -> dict[str, ClockView]:
    """The owner and clock of each of these leads leadbot keeps a clock for."""
    found = store.clocks(lead_ids)
    views = {lead_id: view_of(clock, timing) for lead_id, clock in found.items()}
    return {lead_id: view for lead_id, view in views.items() if view is not None}


def view_of(clock: LeadClock | None, timing: Timing | None) -> ClockView | None:
    """clock_view, or without timing (a caller that has no calendar): the owner, attempts and closed only."""
    if clock is None:
        return None
    if timing is None:
        return ClockView(
            owner=clock.owner,
            attempts=clock.attempts,
            reached=clock.reached_at is not None,
            closed=clock.closed,
        )
    return clock_view(clock, hours=timing.hours, ladder=timing.ladder, now=timing.now)


def render_card(
    store: Store,
    lead_id: str,
    *,
    statuses: Sequence[str],
    updated_at: datetime | None = None,
    timing: Timing | None = None,
) -> Message | None:
    """The one-lead card as it should look now: owned? contacted? changed? deleted? `timing` for the clock's
    minutes (without it the card shows the owner, attempts and whether it is closed)."""
    seen = store.seen_lead(lead_id)
    lead = lead_of(seen) if seen else None
    if seen is None or lead is None:
        return None
    updated_at = updated_at or seen.changed_at
    state: CardState = "deleted" if seen.gone else ("changed" if updated_at else "new")
    return build_alert_card(
        lead,
        statuses=statuses,
        clock=view_of(store.clock(lead_id), timing),
        state=state,
        updated_at=updated_at,
        created_by=creator_of(store, lead),
    )


def render_digest(store: Store, alert: Alert, *, timing: Timing | None = None) -> Message:
    """A digest in its payload's order, deleted leads struck through, each lead's owner and clock."""
    members = {seen.lead_id: seen for seen in store.leads_on_card(alert.id)}
    lines: list[tuple[Lead, bool]] = []
    for lead_id in alert.payload.get("lead_ids", []):
        seen = members.get(str(lead_id))
        lead = lead_of(seen) if seen else None
        if seen is not None and lead is not None:
            lines.append((lead, seen.gone))
    found = clock_views(store, [lead.id for lead, _ in lines], timing)
    # A lead leadbot alerted without a clock yet is simply unowned: its row offers Claim, as its card does.
    clocks: Mapping[str, ClockView] = {lead.id: found.get(lead.id) or ClockView() for lead, _ in lines}
    return build_digest(lines, clocks=clocks)


def render_card_message(
    store: Store,
    card: Alert,
    *,
    statuses: Sequence[str],
    updated_at: datetime | None = None,
    timing: Timing | None = None,
) -> Message | None:
    """Whatever message `card` is (one lead's card or a digest), rendered afresh."""
    if card.kind == "digest":
        return render_digest(store, card, timing=timing)
    if card.lead_id is None:
        return None
    return render_card(store, card.lead_id, statuses=statuses, updated_at=updated_at, timing=timing)
