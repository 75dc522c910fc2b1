"""Email overrides, the audit log and claims, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from leadbot.store import Store

T0 = datetime(2025, 3, 11, 11, 3, tzinfo=UTC)


def test_email_override_set_replace_remove(store: Store) -> None:
    assert store.get_email_override("U1") is None
    store.set_email_override("U1", "old@example.com", set_by="UADMIN")
    store.set_email_override("U1", "new@example.com", set_by="UOTHER")
    assert store.get_email_override("U1") == "new@example.com"
    assert store.get_email_override("U2") is None
    assert store.remove_email_override("U1") is True
    assert store.remove_email_override("U1") is False
    assert store.get_email_override("U1") is None


def test_audit_newest_first_per_lead_with_limit(store: Store) -> None:
    for n in range(5):
        store.record_audit(
            slack_user="U1",
            email="sales@example.com",
            action="update",
            lead_id="42",
            before={"status": f"s{n}"},
            after={"status": f"s{n + 1}"},
        )
    store.record_audit(
        slack_user="U2", email="b@example.com", action="create", lead_id="43", before=None, after={"x": 1}
    )
    entries = store.audit_for("42", limit=3)
    assert [entry.after for entry in entries] == [{"status": "s5"}, {"status": "s4"}, {"status": "s3"}]
    assert all(entry.at.tzinfo is not None for entry in entries)
    other = store.audit_for("43")
    assert len(other) == 1
    assert other[0].before is None
    assert other[0].slack_user == "U2"
    assert store.audit_for("nope") == []


def test_audit_keeps_unicode_and_nested_json(store: Store) -> None:
    before = {"customerName": "Zoë <!channel> & co", "extra": {"list": [1, 2.5, None, True]}}
    store.record_audit(slack_user="U1", email="e@x.io", action="update", lead_id="7", before=before, after={})
    assert store.audit_for("7")[0].before == before


def test_first_claim_wins(store: Store) -> None:
    assert store.claim_for("42") is None
    first = store.claim("42", "U1", now=T0)
    second = store.claim("42", "U2", now=T0 + timedelta(seconds=1))
    assert first.user_id == second.user_id == "U1"
    assert second.claimed_at == T0
    assert store.claim_for("42") == first


def test_an_email_longer_than_any_address_is_refused_before_the_database(store: Store) -> None:
    with pytest.raises(ValueError, match="at most 320"):
        store.set_email_override("U1", "a" * 321, set_by="UADMIN")
    assert store.get_email_override("U1") is None
    store.set_email_override("U1", "a" * 320, set_by="UADMIN")
    assert store.get_email_override("U1") == "a" * 320
