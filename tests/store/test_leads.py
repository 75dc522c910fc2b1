"""Seen leads, poll state, the cycle commit and health, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError

from leadbot.store import CycleWrite, Health, LeadIn, NewAlert, Store
from leadbot.store.leads import LAST_SEEN_GRAIN

T0 = datetime(2025, 3, 11, 12, 0, tzinfo=UTC)
TTL = timedelta(minutes=1)


def _lead(n: int, *, status: str = "new", created: datetime = T0) -> LeadIn:
    return LeadIn(
        lead_id=str(n),
        created_at=created + timedelta(minutes=n),
        fingerprint=f"fp{n}{status}",
        status=status,
        data={"id": str(n), "status": status, "customer_name": f"Customer {n}"},
    )


def _hold(store: Store) -> None:
    assert store.acquire_lease("me", ttl=TTL, now=T0)


def test_cycle_records_leads_alerts_and_state_together(store: Store) -> None:
    _hold(store)
    leads = [_lead(1), _lead(2), _lead(3)]
    alerts = [NewAlert(kind="new", channel="C1", payload={}, lead_id="1", card_for=["1"])]
    alerts.append(
        NewAlert(kind="digest", channel="C1", payload={"lead_ids": ["2", "3"]}, card_for=["2", "3"])
    )
    ids = store.commit_cycle(
        "me",
        CycleWrite(new=leads, alerts=alerts, newest_created=leads[-1].created_at, deep_sync=True),
        now=T0,
    )
    assert len(ids) == 2
    assert store.seen_count() == 3
    one = store.seen_lead("1")
    assert one is not None
    assert (one.card_alert_id, one.gone, one.first_seen, one.data["customer_name"]) == (
        ids[0],
        False,
        T0,
        "Customer 1",
    )
    assert [lead.lead_id for lead in store.leads_on_card(ids[1])] == ["2", "3"]
    state = store.poll_state()
    assert state.first_run_done
    assert state.newest_created == leads[-1].created_at
    assert state.last_deep_sync == state.last_success == T0


def test_changed_seen_and_gone(store: Store) -> None:
    _hold(store)
    store.commit_cycle("me", CycleWrite(new=[_lead(1), _lead(2), _lead(3)]), now=T0)
    later = T0 + timedelta(minutes=5)
    store.commit_cycle(
        "me", CycleWrite(changed=[_lead(1, status="Quote")], seen=["1", "2"], gone=["3"]), now=later
    )
    one, two, three = (store.seen_lead(n) for n in "123")
    assert one is not None
    assert two is not None
    assert three is not None
    assert (one.status, one.fingerprint, one.data["status"], one.last_seen) == (
        "Quote",
        "fp1Quote",
        "Quote",
        later,
    )
    assert (two.last_seen, two.gone) == (later, False)
    assert three.gone
    assert store.poll_state().last_deep_sync is None


def test_newest_created_never_goes_back(store: Store) -> None:
    _hold(store)
    store.commit_cycle("me", CycleWrite(newest_created=T0), now=T0)
    store.commit_cycle("me", CycleWrite(newest_created=T0 - timedelta(days=3)), now=T0)
    assert store.poll_state().newest_created == T0


def test_known_leads_by_id_and_by_window(store: Store) -> None:
    _hold(store)
    old = _lead(1, created=T0 - timedelta(days=30))
    recent = [_lead(n) for n in range(2, 6)]
    store.commit_cycle("me", CycleWrite(new=[old, *recent], gone=["5"]), now=T0)
    found = store.known_leads({"1", "999"}, created_since=T0)
    assert set(found) == {"1", "2", "3", "4", "5"}  # 1 by its ID, the rest by date; 999 unknown
    assert found["5"].gone
    assert (found["2"].fingerprint, found["2"].card_alert_id) == ("fp2new", None)
    assert set(store.known_leads(["3"], created_since=T0 + timedelta(days=1))) == {"3"}
    many = [str(n) for n in range(2000)]
    assert set(store.known_leads(many, created_since=T0 + timedelta(days=1))) == {"1", "2", "3", "4", "5"}
    assert store.snapshots(["2", "999"]) == {"2": {"id": "2", "status": "new", "customer_name": "Customer 2"}}


def test_a_failed_cycle_writes_nothing(store: Store) -> None:
    _hold(store)
    store.commit_cycle("me", CycleWrite(new=[_lead(1)]), now=T0)
    with pytest.raises(IntegrityError):  # lead 1 again: the whole cycle must roll back
        store.commit_cycle(
            "me",
            CycleWrite(new=[_lead(2), _lead(1)], alerts=[NewAlert(kind="new", channel="C", payload={})]),
            now=T0,
        )
    assert store.seen_count() == 1
    assert store.alerts() == []


def test_health_step_and_notice_in_one_transaction(store: Store) -> None:
    def fail(health: Health) -> tuple[Health, dict[str, Any] | None]:
        posted = health.poll_failures + 1 >= 2
        notice = {"notice": "health", "cause": "down"} if posted and not health.posted else None
        return Health(health.poll_failures + 1, 0, "down", posted), notice

    store.apply_health(fail, channel="CADMIN", now=T0)
    assert store.alerts() == []
    after = store.apply_health(fail, channel="CADMIN", now=T0)
    store.apply_health(fail, channel="CADMIN", now=T0)
    assert after == Health(2, 0, "down", True)
    assert store.poll_state().health == Health(3, 0, "down", True)
    notices = store.alerts(kind="notice")
    assert [(alert.channel, alert.payload) for alert in notices] == [
        ("CADMIN", {"notice": "health", "cause": "down"})
    ]
    store.apply_health(lambda h: (Health(), {"notice": "recovered"}), channel=None, now=T0)
    assert len(store.alerts()) == 1  # no admin channel: state moves, nothing is queued
    assert store.poll_state().health == Health()


def test_a_missing_lead_is_remembered_until_seen_again_or_gone(store: Store) -> None:
    _hold(store)
    store.commit_cycle("me", CycleWrite(new=[_lead(1), _lead(2)]), now=T0)
    later, latest = T0 + timedelta(minutes=1), T0 + timedelta(minutes=2)
    store.commit_cycle("me", CycleWrite(missing=["1", "2"]), now=later)
    known = store.known_leads((), created_since=T0)
    assert (known["1"].missing_since, known["2"].missing_since) == (later, later)
    store.commit_cycle("me", CycleWrite(seen=["1"], gone=["2"]), now=latest)
    known = store.known_leads((), created_since=T0)
    assert (known["1"].missing_since, known["1"].gone) == (None, False)
    assert (known["2"].missing_since, known["2"].gone) == (None, True)


def test_a_deep_sync_try_is_recorded_on_its_own(store: Store) -> None:
    assert store.poll_state().last_deep_try is None
    store.note_deep_sync_try(now=T0)
    assert store.poll_state().last_deep_try == T0


def test_a_cycle_marks_the_windows_leads_seen_by_range_but_not_the_missing_or_gone(store: Store) -> None:
    _hold(store)
    old = _lead(9, created=T0 - timedelta(days=3))
    store.commit_cycle("me", CycleWrite(new=[_lead(1), _lead(2), _lead(3), _lead(4), old]), now=T0)
    store.commit_cycle("me", CycleWrite(missing=["4"]), now=T0 + timedelta(minutes=1))
    store.commit_cycle("me", CycleWrite(seen_since=T0), now=T0 + timedelta(hours=1))  # within the grain
    later = T0 + LAST_SEEN_GRAIN + timedelta(minutes=5)
    store.commit_cycle("me", CycleWrite(seen_since=T0, seen=["4"], missing=["2"], gone=["3"]), now=later)
    seen = {n: store.seen_lead(n) for n in "12349"}
    assert all(lead is not None for lead in seen.values())
    last_seen = {n: lead.last_seen for n, lead in seen.items() if lead is not None}
    assert last_seen == {"1": later, "2": T0, "3": T0, "4": later, "9": T0}  # 9 is older than the range
    four = seen["4"]
    assert four is not None
    assert four.missing_since is None  # back from missing: named in `seen`


def test_an_unchanged_leads_last_seen_is_kept_to_within_the_grain(store: Store) -> None:
    _hold(store)
    store.commit_cycle("me", CycleWrite(new=[_lead(1)]), now=T0)
    soon, late = T0 + LAST_SEEN_GRAIN / 2, T0 + LAST_SEEN_GRAIN * 2
    store.commit_cycle("me", CycleWrite(seen_since=T0), now=soon)
    lead = store.seen_lead("1")
    assert lead is not None
    assert lead.last_seen == T0  # not rewritten: within the grain
    store.commit_cycle("me", CycleWrite(seen_since=T0), now=late)
    lead = store.seen_lead("1")
    assert lead is not None
    assert lead.last_seen == late


def test_a_status_the_poller_sees_move_is_recorded_as_a_lead_event(store: Store) -> None:
    _hold(store)
    store.commit_cycle("me", CycleWrite(new=[_lead(1), _lead(2)]), now=T0)
    later = T0 + timedelta(minutes=5)
    moved, same = _lead(1, status="Quote"), LeadIn("2", T0 + timedelta(minutes=2), "fp2other", "new", {})
    store.commit_cycle("me", CycleWrite(changed=[moved, same]), now=later)
    [event] = store.events("1")
    assert (event.kind, event.actor, event.at, event.detail) == (
        "status",
        "heatpunk",
        later,
        {"from": "new", "to": "Quote"},
    )
    assert store.events("2") == []  # changed, but not its status
