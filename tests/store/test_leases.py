"""The poller lease: one holder, renewals, expiry, release — on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from leadbot.store import CycleWrite, LeaseLost, Store
from leadbot.store.tables import LeaseRow

T0 = datetime(2025, 3, 11, 12, 0, tzinfo=UTC)
TTL = timedelta(seconds=60)


def test_one_holder_until_it_expires(store: Store) -> None:
    assert store.acquire_lease("a", ttl=TTL, now=T0)
    assert not store.acquire_lease("b", ttl=TTL, now=T0 + timedelta(seconds=30))
    assert store.acquire_lease("a", ttl=TTL, now=T0 + timedelta(seconds=50))  # renewal
    assert not store.acquire_lease("b", ttl=TTL, now=T0 + timedelta(seconds=100))
    assert store.acquire_lease("b", ttl=TTL, now=T0 + timedelta(seconds=111))
    assert store.lease().holder == "b"
    assert not store.acquire_lease("a", ttl=TTL, now=T0 + timedelta(seconds=112))


def test_release_lets_another_take_over_at_once(store: Store) -> None:
    assert store.acquire_lease("a", ttl=TTL, now=T0)
    store.release_lease("b")  # not b's to release
    assert store.lease().holder == "a"
    store.release_lease("a")
    assert store.acquire_lease("b", ttl=TTL, now=T0 + timedelta(seconds=1))


def test_a_superseded_holder_cannot_commit(store: Store) -> None:
    assert store.acquire_lease("a", ttl=TTL, now=T0)
    assert store.acquire_lease("b", ttl=TTL, now=T0 + timedelta(minutes=5))
    with pytest.raises(LeaseLost):
        store.commit_cycle("a", CycleWrite(), now=T0 + timedelta(minutes=5))
    with pytest.raises(LeaseLost):
        store.mark_posting(1, holder="a")
    store.commit_cycle("b", CycleWrite(), now=T0 + timedelta(minutes=5))


def test_a_post_may_start_only_while_the_lease_is_ours_and_keeps_it_past_its_flight(store: Store) -> None:
    """An instance taking over at expiry looks for a post in flight; it must have landed by then."""
    assert store.acquire_lease("a", ttl=TTL, now=T0)
    flight = timedelta(seconds=10)
    late = T0 + TTL - timedelta(seconds=1)  # ours, but the post could land after expiry
    store.mark_posting(1, holder="a", until=late + flight)
    assert store.lease().expires_at.replace(tzinfo=UTC) == late + flight  # kept till the post has landed
    assert not store.acquire_lease("b", ttl=TTL, now=T0 + TTL + timedelta(seconds=1))
    assert store.acquire_lease("b", ttl=TTL, now=late + flight + timedelta(seconds=1))
    with pytest.raises(LeaseLost):  # taken over: the old holder may not start a post
        store.mark_posting(1, holder="a", until=late + 2 * flight)


def test_acquired_at_says_since_when_the_holder_has_held_it(store: Store) -> None:
    def acquired_at() -> datetime:
        with store.engine.connect() as connection:
            value = connection.execute(select(LeaseRow.acquired_at)).scalar_one()
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value

    assert store.acquire_lease("a", ttl=TTL, now=T0)
    assert store.acquire_lease("a", ttl=TTL, now=T0 + timedelta(seconds=50))  # a renewal keeps it
    assert acquired_at() == T0
    assert store.acquire_lease("b", ttl=TTL, now=T0 + timedelta(minutes=5))  # a takeover resets it
    assert acquired_at() == T0 + timedelta(minutes=5)
