"""The outbox: heads per channel in order, and the pending → posting → sent protocol."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from leadbot.store import NewAlert, Store

T0 = datetime(2025, 3, 11, 12, 0, tzinfo=UTC)


def _queue(store: Store, channel: str, n: int) -> int:
    return store.queue_alert(NewAlert(kind="notice", channel=channel, payload={"n": n}), now=T0)


def test_heads_are_the_oldest_unsent_per_channel(store: Store) -> None:
    a1, a2, b1 = _queue(store, "CA", 1), _queue(store, "CA", 2), _queue(store, "CB", 1)
    assert [alert.id for alert in store.outbox_heads()] == [a1, b1]
    store.acquire_lease("me", ttl=timedelta(minutes=1), now=T0)
    store.mark_posting(a1, holder="me")
    assert store.alert(a1).state == "posting"  # type: ignore[union-attr]
    assert [alert.id for alert in store.outbox_heads()] == [a1, b1]  # posting still blocks its channel
    store.mark_sent(a1, ts="1741690000.000100", now=T0)
    assert [alert.id for alert in store.outbox_heads()] == [a2, b1]
    sent = store.alert(a1)
    assert sent is not None
    assert (sent.state, sent.message_ts, sent.sent_at) == ("sent", "1741690000.000100", T0)
    assert store.unsent_count() == 2


def test_retry_counts_attempts_and_remembers_maybe_posted(store: Store) -> None:
    alert_id = _queue(store, "CA", 1)
    later = T0 + timedelta(seconds=30)
    store.mark_retry(alert_id, maybe_posted=True, next_attempt_at=later, error="timeout " * 100)
    alert = store.alert(alert_id)
    assert alert is not None
    assert (alert.state, alert.attempts, alert.next_attempt_at) == ("posting", 1, later)
    assert alert.last_error is not None
    assert len(alert.last_error) == 300
    store.mark_retry(alert_id, maybe_posted=False, next_attempt_at=later, error="ratelimited")
    alert = store.alert(alert_id)
    assert alert is not None
    assert (alert.state, alert.attempts) == ("pending", 2)


def test_sent_alerts_are_never_moved_back(store: Store) -> None:
    alert_id = _queue(store, "CA", 1)
    store.mark_sent(alert_id, ts="1.2", now=T0)
    store.mark_retry(alert_id, maybe_posted=True, next_attempt_at=T0, error="late failure")
    alert = store.alert(alert_id)
    assert alert is not None
    assert (alert.state, alert.message_ts, alert.attempts) == ("sent", "1.2", 0)


def test_alert_keys_are_unique_and_filters_work(store: Store) -> None:
    ids = [
        store.queue_alert(NewAlert(kind="new", channel="CA", payload={}, lead_id=str(n)), now=T0)
        for n in range(3)
    ]
    alerts = store.alerts()
    assert [alert.id for alert in alerts] == ids
    assert len({alert.key for alert in alerts}) == 3
    assert [alert.lead_id for alert in store.alerts(lead_id="1")] == ["1"]
    assert store.alerts(kind="digest") == []


def test_a_parked_entry_no_longer_blocks_its_channel_and_is_never_sent(store: Store) -> None:
    a1, a2 = _queue(store, "CA", 1), _queue(store, "CA", 2)
    store.acquire_lease("me", ttl=timedelta(minutes=1), now=T0)
    store.mark_retry(a1, maybe_posted=False, next_attempt_at=T0, error="refused", repeats=3)
    assert store.alert(a1).repeats == 3  # type: ignore[union-attr]
    store.mark_parked(a1, holder="me", error="refused", now=T0)
    assert [alert.id for alert in store.outbox_heads()] == [a2]
    assert store.unsent_count() == 1
    assert [alert.id for alert in store.parked_since(T0)] == [a1]
    assert store.parked_since(T0 + timedelta(seconds=1)) == []
    store.mark_posting(a1, holder="me")  # a late writer can't bring it back
    assert store.alert(a1).state == "parked"  # type: ignore[union-attr]
