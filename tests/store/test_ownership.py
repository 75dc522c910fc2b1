"""Owners and clocks, contact attempts, lead events, the lease holder's steps; rota, territories, away, markers."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from leadbot.store import ClockIn, LeaseLost, NewAlert, Store

T0 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
TTL = timedelta(minutes=1)


def test_a_new_lead_gets_a_running_clock_and_an_event(store: Store) -> None:
    clock = store.start_clock(ClockIn("7", T0, out_of_hours=True))
    assert (clock.owner, clock.clock_from, clock.ladder_done, clock.timed, clock.out_of_hours) == (
        None,
        T0,
        0,
        True,
        True,
    )
    assert [clock.lead_id for clock in store.running_clocks()] == ["7"]
    assert [(event.kind, event.actor) for event in store.events("7")] == [("arrived", "leadbot")]
    again = store.start_clock(ClockIn("7", T0 + timedelta(hours=1), owner="U9"))
    assert again.owner is None  # the first clock stands


def test_a_lead_created_through_leadbot_is_owned_by_its_creator(store: Store) -> None:
    clock = store.start_clock(ClockIn("8", T0, owner="U1", how="created", actor="U1"))
    assert (clock.owner, clock.owner_since) == ("U1", T0)
    assert [(event.kind, event.owner_after) for event in store.events("8")] == [("created", "U1")]


def test_the_first_claim_wins_and_a_lead_without_a_clock_gets_an_untimed_one(store: Store) -> None:
    first = store.claim("42", "U1", now=T0)
    second = store.claim("42", "U2", now=T0 + timedelta(seconds=1))
    assert first.user_id == second.user_id == "U1"
    clock = store.clock("42")
    assert clock is not None
    assert not clock.timed  # alerted before leadbot timed leads: owned, no ladder
    assert store.running_clocks() == []
    assert [event.kind for event in store.events("42")] == ["arrived", "claimed"]


def test_of_many_people_claiming_at_once_exactly_one_owns_the_lead(store: Store) -> None:
    store.start_clock(ClockIn("5", T0))
    owners: list[str] = []
    people = [f"U{n}" for n in range(8)]
    threads = [
        threading.Thread(target=lambda p=person: owners.append(store.claim("5", p, now=T0).user_id))
        for person in people
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(owners)) == 1
    assert [event.kind for event in store.events("5")].count("claimed") == 1


def test_unclaim_and_reassign_only_from_the_owner_they_expect(store: Store) -> None:
    store.start_clock(ClockIn("9", T0))
    store.claim("9", "U1", now=T0)
    later = T0 + timedelta(minutes=3)
    refused = store.change_owner("9", "U3", expected_owner="U2", by="U2", kind="reassigned", now=later)
    assert not refused.done
    assert refused.clock is not None
    assert refused.clock.owner == "U1"
    moved = store.change_owner("9", "U3", expected_owner="U1", by="UMGR", kind="reassigned", now=later)
    assert moved.done
    assert moved.clock is not None
    assert (moved.clock.owner, moved.clock.clock_from, moved.clock.ladder_done) == ("U3", later, 0)
    freed = store.change_owner("9", None, expected_owner="U3", by="U3", kind="unclaimed", now=later)
    assert freed.done
    assert freed.clock is not None
    assert freed.clock.owner is None
    assert [(e.kind, e.owner_before, e.owner_after) for e in store.events("9")][-2:] == [
        ("reassigned", "U1", "U3"),
        ("unclaimed", "U3", None),
    ]


def test_contact_attempts_stop_the_clock_and_schedule_a_retry(store: Store) -> None:
    store.start_clock(ClockIn("3", T0, owner="U1"))
    retry = T0 + timedelta(hours=1)
    first = store.log_contact("3", "no_answer", by="U1", now=T0 + timedelta(minutes=4), retry_at=retry)
    assert first is not None
    assert (first.attempts, first.first_contact_at, first.reached_at, first.retry_due_at) == (
        1,
        T0 + timedelta(minutes=4),
        None,
        retry,
    )
    assert store.running_clocks() == []  # contacted: no ladder
    assert [clock.lead_id for clock in store.retries_due(retry)] == ["3"]
    spoke = store.log_contact("3", "spoke", by="U1", now=T0 + timedelta(minutes=30), retry_at=None)
    assert spoke is not None
    assert (spoke.attempts, spoke.first_contact_at, spoke.reached_at, spoke.retry_due_at) == (
        2,
        T0 + timedelta(minutes=4),
        T0 + timedelta(minutes=30),
        None,
    )
    assert store.retries_due(retry) == []
    assert store.log_contact("nope", "spoke", by="U1", now=T0, retry_at=None) is None


def test_a_step_is_taken_once_and_not_after_the_clock_moved(store: Store) -> None:
    assert store.acquire_lease("me", ttl=TTL, now=T0)
    clock = store.start_clock(ClockIn("4", T0))
    nudge = NewAlert(kind="notice", channel="C1", payload={"notice": "watching", "count": 1})
    assert store.take_step("me", clock, changes={"ladder_done": 1}, event="nudged", alerts=[nudge], now=T0)
    assert not store.take_step(
        "me", clock, changes={"ladder_done": 1}, event="nudged", alerts=[nudge], now=T0
    )
    assert len(store.alerts(kind="notice")) == 1
    moved = store.clock("4")
    assert moved is not None
    assert moved.ladder_done == 1
    store.claim("4", "U1", now=T0)  # a claim between the read and the step: the step is dropped
    assert not store.take_step("me", moved, changes={"ladder_done": 2}, event="escalated", now=T0)
    with pytest.raises(LeaseLost):
        store.take_step("someone else", moved, changes={"ladder_done": 2}, event="escalated", now=T0)


def test_a_marker_moves_once_from_what_was_expected(store: Store) -> None:
    assert store.marker("morning") is None
    assert store.set_marker(None, "morning", "2026-03-10", expected=None, now=T0)
    assert not store.set_marker(None, "morning", "2026-03-10", expected=None, now=T0)
    assert store.set_marker(None, "morning", "2026-03-11", expected="2026-03-10", now=T0)
    assert store.marker("morning") == "2026-03-11"


def test_rota_territories_and_away(store: Store) -> None:
    assert store.add_to_rota("U1", by="UADMIN", now=T0)
    assert store.add_to_rota("U2", by="UADMIN", now=T0)
    assert not store.add_to_rota("U1", by="UADMIN", now=T0)
    assert store.rota() == ["U1", "U2"]
    assert store.remove_from_rota("U1")
    assert store.add_to_rota("U1", by="UADMIN", now=T0)
    assert store.rota() == ["U2", "U1"]  # back at the end
    assert store.set_territory("CB", "U1", by="UADMIN", now=T0) is None
    assert store.set_territory("CB", "U2", by="UADMIN", now=T0) == "U1"
    assert store.set_territory("PE19", "U1", by="UADMIN", now=T0) is None
    assert store.territories() == {"CB": "U2", "PE19": "U1"}
    assert store.remove_territory("CB")
    assert not store.remove_territory("CB")
    store.set_away("U1", until=T0 + timedelta(hours=2), now=T0)
    store.set_away("U2", until=None, now=T0)
    assert store.away(T0 + timedelta(hours=1)) == {"U1": T0 + timedelta(hours=2), "U2": None}
    assert store.away(T0 + timedelta(hours=3)) == {"U2": None}  # U1's time away ended by itself
    assert store.set_back("U2")
    assert not store.set_back("U2")
    assert store.away(T0) == {"U1": T0 + timedelta(hours=2)}
