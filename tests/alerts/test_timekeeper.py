"""The ladder, retries and the working morning, on a real database with an injected clock (no sleeps).

A lead's clock counts the team's working minutes (Mon–Fri 08:30–18:00 Europe/London, England and Wales bank
holidays) from arrival or assignment; each step is taken once, in order, never after contact, and with its
messages in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from leadbot.alerts.timekeeper import Team, Timekeeper
from leadbot.routing.hours import WorkingHours
from leadbot.routing.sla import Ladder
from leadbot.store import Alert, ClockIn, CycleWrite, LeadIn, LeaseLost, NewAlert, Store

LONDON = ZoneInfo("Europe/London")
HOURS = WorkingHours.parse("Mon-Fri 08:30-18:00", timezone="Europe/London", holidays="england-and-wales")
LADDER = Ladder.parse("5m nudge, 15m escalate, 30m reassign")
TTL = timedelta(days=30)  # the injected clock jumps days: the lease must outlast the test


def local(text: str) -> datetime:
    """A London wall time as aware UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=LONDON).astimezone(UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class People:
    """Who is available (everyone but `away`), the rota in order, round-robin after someone."""

    def __init__(self, rota: Sequence[str], managers: Sequence[str] = ("UMGR",)) -> None:
        self.rota, self.managers = list(rota), list(managers)
        self.away: set[str] = set()
        self.on_ask: Callable[[str], None] = lambda person: None

    def available(self, person: str) -> bool:
        self.on_ask(person)
        return person not in self.away

    def next_person(self, after: str | None, skip: Collection[str]) -> str | None:
        start = self.rota.index(after) + 1 if after in self.rota else 0
        for person in self.rota[start:] + self.rota[:start]:
            if person not in skip and self.available(person):
                return person
        return None

    def team(self) -> Team:
        return Team(self.available, self.next_person, lambda: self.rota, self.managers)


def keeper(
    store: Store, clock: Clock, people: People, *, routing: str = "round-robin", holder: str = "me"
) -> Timekeeper:
    return Timekeeper(
        store=store,
        holder=holder,
        hours=HOURS,
        ladder=LADDER,
        team=people.team(),
        routing=routing,
        alert_channel="CALERTS",
        max_attempts=6,
        stale_days=7,
        clock=clock,
    )


def arrive(store: Store, lead_id: str, at: datetime, *, owner: str | None = None) -> None:
    """A lead the poller found at `at`: stored, its card queued, its clock started."""
    snapshot = {"id": lead_id, "date_created": at.isoformat(), "customer_name": f"Customer {lead_id}"}
    lead = LeadIn(lead_id, at, f"fp{lead_id}", "new", snapshot)
    card = NewAlert(kind="new", channel="CALERTS", payload={}, lead_id=lead_id, card_for=[lead_id])
    clock = ClockIn(
        lead_id, at, out_of_hours=not HOURS.is_open(at), owner=owner, how="assigned" if owner else "arrived"
    )
    store.commit_cycle("me", CycleWrite(new=[lead], alerts=[card], clocks=[clock]), now=at)


def queued(store: Store, *kinds: str) -> list[tuple[str, str, str | None, Any]]:
    """The ladder's outbox entries so far: (kind, channel, reason, note)."""
    found: list[Alert] = [alert for kind in kinds for alert in store.alerts(kind=kind)]
    found.sort(key=lambda alert: alert.id)
    return [(a.kind, a.channel, a.payload.get("reason"), a.payload.get("note")) for a in found]


@pytest.fixture
def held(database_url: str) -> Iterator[Store]:
    """A migrated store on each backend whose poller lease "me" holds."""
    store = Store.open(database_url)
    assert store.acquire_lease("me", ttl=TTL, now=local("2026-03-01T00:00"))
    yield store
    store.close()


def test_every_step_once_and_in_order_then_the_new_owners_ladder(held: Store) -> None:
    store, clock, people = held, Clock(local("2026-03-10T10:00")), People(["U1", "U2", "U3"])
    arrive(store, "7", clock.now, owner="U1")
    timekeeper = keeper(store, clock, people)
    for minute in (0, 4, 5, 5, 14, 15, 15, 29, 30, 30):
        clock.now = local("2026-03-10T10:00") + timedelta(minutes=minute)
        timekeeper.tick()
    assert queued(store, "dm", "step") == [
        ("dm", "U1", "nudge", None),
        ("step", "CALERTS", None, None),  # the card shows "nudged"
        ("dm", "UMGR", "escalate", None),
        ("step", "CALERTS", None, ":rotating_light: Waiting 15 min without a call: escalated to <@UMGR>."),
        ("dm", "U2", "reassigned", None),
        (
            "step",
            "CALERTS",
            None,
            ":arrows_counterclockwise: No call within 30 min: passed from <@U1> to <@U2>.",
        ),
    ]
    moved = store.clock("7")
    assert moved is not None
    assert (moved.owner, moved.clock_from, moved.ladder_done) == ("U2", local("2026-03-10T10:30"), 0)
    clock.now = local("2026-03-10T10:35")  # the new owner's own ladder
    timekeeper.tick()
    assert queued(store, "dm")[-1] == ("dm", "U2", "nudge", None)
    kinds = [event.kind for event in store.events("7")]
    assert kinds == ["assigned", "nudged", "escalated", "reassigned", "nudged"]


def test_a_contact_stops_the_ladder(held: Store) -> None:
    store, clock, people = held, Clock(local("2026-03-10T10:00")), People(["U1", "U2"])
    arrive(store, "8", clock.now, owner="U1")
    store.log_contact("8", "spoke", by="U1", now=local("2026-03-10T10:03"), retry_at=None)
    timekeeper = keeper(store, clock, people)
    for minute in (5, 15, 30, 120):
        clock.now = local("2026-03-10T10:00") + timedelta(minutes=minute)
        timekeeper.tick()
    assert queued(store, "dm", "step") == []


@pytest.mark.parametrize(
    ("arrived", "nudge_at"),
    [
        ("2026-03-10T17:58", "2026-03-11T08:33"),  # evening → next morning: 2 working min, then 3
        ("2026-03-13T19:00", "2026-03-16T08:35"),  # Friday night → Monday
        ("2026-05-01T19:00", "2026-05-05T08:35"),  # Friday night before the May Day bank holiday → Tuesday
        ("2026-03-27T17:58", "2026-03-30T08:33"),  # across the spring clock change (GMT → BST)
        ("2026-10-23T17:58", "2026-10-26T08:33"),  # across the autumn clock change (BST → GMT)
    ],
)
def test_clocks_count_working_minutes_only(held: Store, arrived: str, nudge_at: str) -> None:
    store, clock, people = held, Clock(local(arrived)), People(["U1"])
    arrive(store, "9", clock.now, owner="U1")
    timekeeper = keeper(store, clock, people)
    clock.now = local(nudge_at) - timedelta(seconds=1)
    timekeeper.tick()
    assert queued(store, "dm") == []
    clock.now = local(nudge_at)
    timekeeper.tick()
    assert queued(store, "dm") == [("dm", "U1", "nudge", None)]
    assert store.events("9")[-1].at == local(nudge_at)


def test_an_unowned_lead_is_nudged_in_its_thread_naming_who_is_on_duty_and_unclaimed_under_claim(
    held: Store,
) -> None:
    store, clock, people = held, Clock(local("2026-03-10T10:00")), People(["U1", "U2"])
    people.away = {"U2"}
    arrive(store, "10", clock.now)
    timekeeper = keeper(store, clock, people, routing="claim")
    for minute in (5, 15, 30):
        clock.now = local("2026-03-10T10:00") + timedelta(minutes=minute)
        timekeeper.tick()
    notes = [note for _, _, _, note in queued(store, "step")]
    assert notes == [
        ":stopwatch: Nobody has claimed this lead for 5 min. <@U1>: can one of you take it?",
        ":rotating_light: Waiting 15 min without a call: escalated to <@UMGR>.",
        ":arrows_counterclockwise: Still unclaimed after 30 min. Anyone can claim it.",
    ]


def test_under_claim_routing_the_last_step_unclaims_a_silent_owner(held: Store) -> None:
    store, clock, people = held, Clock(local("2026-03-10T10:00")), People([])
    arrive(store, "11", clock.now)
    store.claim("11", "U1", now=clock.now)
    clock.now = local("2026-03-10T10:30")
    keeper(store, clock, people, routing="claim").tick()
    unclaimed = store.clock("11")
    assert unclaimed is not None
    assert unclaimed.owner is None
    assert [event.kind for event in store.events("11")][-1] == "reassigned"


def test_nobody_is_messaged_while_away(held: Store) -> None:
    store, clock, people = held, Clock(local("2026-03-10T10:00")), People(["U1", "U2"], managers=["UMGR"])
    people.away = {"U1", "UMGR"}
    arrive(store, "12", clock.now, owner="U1")
    timekeeper = keeper(store, clock, people)
    for minute in (5, 15, 30):
        clock.now = local("2026-03-10T10:00") + timedelta(minutes=minute)
        timekeeper.tick()
    dms = [(channel, reason) for _, channel, reason, _ in queued(store, "dm")]
    assert dms == [("U2", "reassigned")]  # not U1 (away: nudged in the thread instead), not the manager


def test_a_claim_racing_a_step_wins_and_the_step_is_dropped(held: Store) -> None:
    store, clock, people = held, Clock(local("2026-03-10T10:05")), People(["U1", "U2"])
    arrive(store, "13", local("2026-03-10T10:00"))
    # While the step is being planned (it asks who is on duty), someone claims the lead.
    people.on_ask = lambda person: store.claim("13", "U2", now=clock.now) and None
    keeper(store, clock, people, routing="claim").tick()
    assert queued(store, "dm", "step") == []
    claimed = store.clock("13")
    assert claimed is not None
    assert (claimed.owner, claimed.ladder_done) == ("U2", 0)


def test_a_restart_mid_ladder_repeats_nothing_and_loses_nothing(held: Store) -> None:
    store, clock, people = held, Clock(local("2026-03-10T10:05")), People(["U1", "U2"])
    arrive(store, "14", local("2026-03-10T10:00"), owner="U1")
    keeper(store, clock, people).tick()
    restarted = keeper(store, clock, people)  # a new process: nothing but the database
    restarted.tick()
    assert [reason for _, _, reason, _ in queued(store, "dm")] == ["nudge"]
    clock.now = local("2026-03-10T10:20")  # it was down through the escalation's due time
    restarted.tick()
    assert [reason for _, _, reason, _ in queued(store, "dm")] == ["nudge", "escalate"]


def test_only_the_lease_holder_takes_steps(held: Store) -> None:
    store, clock, people = held, Clock(local("2026-03-10T10:05")), People(["U1"])
    arrive(store, "15", local("2026-03-10T10:00"), owner="U1")
    with pytest.raises(LeaseLost):
        keeper(store, clock, people, holder="another instance").tick()
    keeper(store, clock, people).tick()
    assert [reason for _, _, reason, _ in queued(store, "dm")] == ["nudge"]


def test_no_answer_brings_one_retry_reminder_at_the_working_time_and_a_later_call_drops_it(
    held: Store,
) -> None:
    store, clock, people = held, Clock(local("2026-03-10T17:30")), People(["U1"])
    arrive(store, "16", local("2026-03-10T17:25"), owner="U1")
    retry = HOURS.add(clock.now, 60)  # 30 min today, 30 tomorrow
    assert retry == local("2026-03-11T09:00")
    store.log_contact("16", "no_answer", by="U1", now=clock.now, retry_at=retry)
    timekeeper = keeper(store, clock, people)
    for at in ("2026-03-11T08:59", "2026-03-11T09:00", "2026-03-11T09:01"):
        clock.now = local(at)
        timekeeper.tick()
    assert [(a.payload["reason"], a.payload["attempt"]) for a in store.alerts(kind="dm")] == [("retry", 2)]
    store.log_contact("16", "no_answer", by="U1", now=clock.now, retry_at=HOURS.add(clock.now, 60))
    store.log_contact("16", "spoke", by="U1", now=clock.now, retry_at=None)  # reached meanwhile
    clock.now = local("2026-03-11T11:00")
    timekeeper.tick()
    assert len(store.alerts(kind="dm")) == 1


def test_the_working_morning_lists_overnight_leads_once(held: Store) -> None:
    store, clock, people = held, Clock(local("2026-03-10T10:00")), People(["U1"])
    arrive(store, "20", local("2026-03-10T10:00"))  # in hours: not overnight
    arrive(store, "21", local("2026-03-10T19:00"))
    arrive(store, "22", local("2026-03-11T06:00"), owner="U1")
    arrive(store, "23", local("2026-03-11T07:00"))
    store.claim("23", "U1", now=local("2026-03-11T07:10"))
    store.log_contact("23", "spoke", by="U1", now=local("2026-03-11T07:15"), retry_at=None)  # done already
    timekeeper = keeper(store, clock, people)
    timekeeper.tick()  # 10:00 on the 10th: that morning was long gone when leadbot started
    assert store.alerts(kind="morning") == []
    for at in ("2026-03-11T08:29", "2026-03-11T08:30", "2026-03-11T08:31"):
        clock.now = local(at)
        timekeeper.tick()
    [morning] = store.alerts(kind="morning")
    assert morning.payload == {"lead_ids": ["21", "22"]}
    assert morning.channel == "CALERTS"


def test_each_owner_hears_once_a_morning_of_leads_that_have_not_moved(held: Store) -> None:
    store, clock, people = held, Clock(local("2026-03-02T10:00")), People(["U1"])
    arrive(store, "30", clock.now, owner="U1")
    store.log_contact("30", "spoke", by="U1", now=clock.now, retry_at=None)
    arrive(store, "31", local("2026-03-09T10:00"), owner="U1")  # moved too recently
    timekeeper = keeper(store, clock, people)
    for at in ("2026-03-10T08:30", "2026-03-10T09:00", "2026-03-11T08:30"):
        clock.now = local(at)
        timekeeper.tick()
    stale = [alert for alert in store.alerts(kind="dm") if alert.payload.get("reason") == "stale"]
    assert [(alert.channel, alert.payload["lead_ids"]) for alert in stale] == [("U1", ["30"]), ("U1", ["30"])]
