"""Speed-to-lead figures over a period, from the store's lead clocks and lead events.

A lead counts in a period when it arrived in it (in the team's time zone). Times are working minutes
(routing/hours.py minutes_between): a lead that arrives on Friday evening and is called on Monday at 08:32
waited 2 minutes. Medians are the usual median; the 90th percentile is the nearest-rank one (the smallest
time that at least 90% of the leads measured were within). Shares are of all the leads in the period.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from leadbot import texts
from leadbot.blocks.reports import DayPoint, ReportFigures, Spread, Tally
from leadbot.blocks.sheet import source_of_url
from leadbot.leads.report_grammar import LastDays, Month, Period, ThisMonth
from leadbot.routing.hours import WorkingHours
from leadbot.store import LeadClock, LeadEvent, Store

QUOTE, SALE = "Quote", "Sale"  # LEADBOT_STATUSES names progress is counted to (matched case-insensitively)
OWNING = ("assigned", "created", "claimed", "reassigned")  # events that give a lead an owner
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class Window:
    """A report's period as UTC instants [start, end), and how the report names it."""

    start: datetime
    end: datetime
    words: str


@dataclass(frozen=True)
class LeadFacts:
    """What the figures need of one lead (built from its clock, events and snapshot)."""

    lead_id: str
    arrived_at: datetime
    owner: str | None
    owned_at: datetime | None
    first_contact_at: datetime | None
    source: str
    quote: bool
    sale: bool


# --- periods ---------------------------------------------------------------------------------------


def _midnight(day: date, hours: WorkingHours) -> datetime:
    return datetime.combine(day, time()).replace(tzinfo=hours.zone).astimezone(UTC)


def window_of(period: Period, now: datetime, hours: WorkingHours) -> Window:
    """The period up to `now`, in the team's time zone."""
    today = now.astimezone(hours.zone).date()
    match period:
        case LastDays(days=days):
            return Window(now - timedelta(days=days), now, texts.REPORT_LAST_DAYS.format(days=days))
        case ThisMonth():
            first = _midnight(today.replace(day=1), hours)
            words = texts.REPORT_THIS_MONTH.format(month=f"{MONTH_NAMES[today.month - 1]} {today.year}")
            return Window(first, now, words)
        case Month(year=year, month=month):
            first = _midnight(date(year, month, 1), hours)
            after = date(year + (month == 12), month % 12 + 1, 1)
            end = min(_midnight(after, hours), now)
            return Window(first, end, texts.REPORT_MONTH.format(month=f"{MONTH_NAMES[month - 1]} {year}"))


def week_before(day: date, hours: WorkingHours) -> Window:
    """The seven local days before `day` (the weekly report sent on Monday `day`)."""
    end = _midnight(day, hours)
    last = day - timedelta(days=1)
    words = texts.REPORT_WEEK.format(day=f"{last.day} {MONTH_NAMES[last.month - 1][:3]}")
    return Window(_midnight(day - timedelta(days=7), hours), end, words)


# --- statistics --------------------------------------------------------------------------------------


def median(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def percentile_90(values: Sequence[float]) -> float | None:
    """Nearest rank: the smallest value at least 90% of `values` are at or below."""
    if not values:
        return None
    ordered = sorted(values)
    return float(ordered[max(1, math.ceil(0.9 * len(ordered))) - 1])


def spread(values: Sequence[float]) -> Spread:
    return Spread(median(values), percentile_90(values))


# --- sources -----------------------------------------------------------------------------------------


def source_name(origin: object) -> str:
    """A lead's origin in words: a web form's site and campaign as the call sheet says them, `api` as Unknown,
    other text as given."""
    text = str(origin or "").strip()
    if not text or text.lower() == "api":
        return texts.REPORT_SOURCE_UNKNOWN
    return (source_of_url(text) or text)[:80]  # the same words as the call sheet's


def _is(status: object, name: str) -> bool:
    return isinstance(status, str) and status.strip().casefold() == name.casefold()


# --- one lead -----------------------------------------------------------------------------------------


def facts_of(
    clock: LeadClock, events: Sequence[LeadEvent], snapshot: Mapping[str, object] | None
) -> LeadFacts:
    """A lead's facts: when it was first owned, first contacted, where it came from, how far it got."""
    owned_at = next((event.at for event in events if event.kind in OWNING and event.owner_after), None)
    if owned_at is None and clock.owner_since is not None:
        owned_at = clock.owner_since
    created = any(event.kind == "created" for event in events)
    moves = [event.detail.get("to") for event in events if event.kind == "status" and event.detail]
    sale = any(_is(status, SALE) for status in moves)
    quote = sale or any(_is(status, QUOTE) for status in moves)
    source = texts.REPORT_SOURCE_SLACK if created else source_name((snapshot or {}).get("origin"))
    return LeadFacts(
        clock.lead_id, clock.arrived_at, clock.owner, owned_at, clock.first_contact_at, source, quote, sale
    )


# --- the figures ------------------------------------------------------------------------------------------


def tally(name: str, leads: Iterable[LeadFacts], hours: WorkingHours) -> Tally:
    """The figures of some leads."""
    leads = list(leads)
    claims = [hours.minutes_between(lead.arrived_at, lead.owned_at) for lead in leads if lead.owned_at]
    contacts = [
        hours.minutes_between(lead.arrived_at, lead.first_contact_at)
        for lead in leads
        if lead.first_contact_at
    ]
    return Tally(
        name=name,
        leads=len(leads),
        owned=sum(1 for lead in leads if lead.owned_at is not None),
        contacted=len(contacts),
        claim=spread(claims),
        contact=spread(contacts),
        within_5=sum(1 for minutes in contacts if minutes <= 5),
        within_60=sum(1 for minutes in contacts if minutes <= 60),
        quote=sum(1 for lead in leads if lead.quote),
        sale=sum(1 for lead in leads if lead.sale),
    )


def _grouped(
    leads: Sequence[LeadFacts], key: Callable[[LeadFacts], str], hours: WorkingHours
) -> tuple[Tally, ...]:
    groups: dict[str, list[LeadFacts]] = defaultdict(list)
    for lead in leads:
        groups[key(lead)].append(lead)
    tallies = [tally(name, members, hours) for name, members in groups.items()]
    return tuple(sorted(tallies, key=lambda each: (-each.leads, each.name)))


def figures_of(leads: Sequence[LeadFacts], window: Window, hours: WorkingHours) -> ReportFigures:
    """The report of these leads (all arrived in `window`)."""
    zone = hours.zone
    first_day = window.start.astimezone(zone).date()
    last_day = (window.end - timedelta(microseconds=1)).astimezone(zone).date()
    per_day: dict[date, list[LeadFacts]] = defaultdict(list)
    for lead in leads:
        per_day[lead.arrived_at.astimezone(zone).date()].append(lead)
    days = []
    day = first_day
    while day <= last_day:
        members = per_day.get(day, [])
        contacts = [
            hours.minutes_between(lead.arrived_at, lead.first_contact_at)
            for lead in members
            if lead.first_contact_at
        ]
        days.append(DayPoint(day, len(members), median(contacts)))
        day += timedelta(days=1)
    return ReportFigures(
        period=window.words,
        first_day=first_day,
        last_day=last_day,
        zone=zone.key,
        team=tally("", leads, hours),
        people=_grouped(leads, lambda lead: lead.owner or "", hours),
        sources=_grouped(leads, lambda lead: lead.source, hours),
        days=tuple(days),
    )


def compute(store: Store, window: Window, hours: WorkingHours) -> ReportFigures:
    """The figures of the leads that arrived in `window`, from the store."""
    clocks = store.clocks_arrived_between(window.start, window.end)
    lead_ids = [clock.lead_id for clock in clocks]
    events = store.events_for(lead_ids)
    snapshots = store.snapshots(lead_ids)
    leads = [facts_of(clock, events.get(clock.lead_id, []), snapshots.get(clock.lead_id)) for clock in clocks]
    return figures_of(leads, window, hours)
