"""An alert that fails the same way again and again is set aside, so the alerts behind it still go."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from leadbot.alerts import AlertService
from leadbot.store import NewAlert
from tests.alerts.rig import ADMIN_CHANNEL, Rig
from tests.fakes.slack import ALERTS_CHANNEL

POISON_AFTER = 3  # identical failures in a row before an alert is set aside


def _a_poison_note_queued_before_a_good_card(rig: Rig) -> tuple[AlertService, str, str, int]:
    """A change note that can never be rendered (its payload is garbage), and a new lead's card behind it."""
    service = rig.service()
    assert service.run_once().ok
    first = rig.sandbox.add_lead()
    assert service.run_once().ok
    store = rig.store()
    bad = NewAlert(kind="changed", channel=ALERTS_CHANNEL, payload={"changes": 5}, lead_id=first)
    bad_id = store.queue_alert(bad, now=datetime.now(UTC))
    second = rig.sandbox.add_lead()
    return service, first, second, bad_id


@pytest.mark.parametrize("plain_text_works", [True, False], ids=["posted-as-text", "parked"])
def test_a_poison_alert_is_set_aside_and_the_next_alert_arrives(
    rig_any_db: Rig, plain_text_works: bool
) -> None:
    rig = rig_any_db
    service, first, second, bad_id = _a_poison_note_queued_before_a_good_card(rig)
    store = rig.store()
    for _ in range(POISON_AFTER - 1):
        service.run_once()
        assert rig.alerted() == {first: 1}  # the card waits behind the failing note, in order
    if not plain_text_works:
        rig.slack.error_next("chat.postMessage", "invalid_arguments")  # the plain-text post is refused too
    for _ in range(3):
        service.run_once()
        if second in rig.alerted():
            break
    assert rig.alerted() == {first: 1, second: 1}
    bad = store.alert(bad_id)
    assert bad is not None
    card = rig.card_of(first)
    notes = [m.text for m in rig.replies(card)]
    admin = " ".join(m.text for m in rig.messages(ADMIN_CHANNEL))
    if plain_text_works:
        assert bad.state == "sent"
        assert len(notes) == 1
        assert f"Lead {first} was changed in Heatpunk" in notes[0]
        assert "posted as plain text" in admin
    else:
        assert bad.state == "parked"
        assert notes == []
        assert "set aside" in admin
        assert any("set aside" in warning for warning in service.health_warnings())  # /healthz: still 200
        assert not any("set aside" in problem for problem in service.health_problems())
    assert f"lead {first}" in admin
    assert store.unsent_count() == 0
    service.run_once()
    assert rig.alerted() == {first: 1, second: 1}
    assert store.alert(bad_id) == bad  # never tried again


def test_a_transient_failure_never_sets_an_alert_aside(rig: Rig) -> None:
    """Slack down is not the alert's fault: the alert waits, however many tries it takes."""
    service = rig.service()
    assert service.run_once().ok
    lead_id = rig.sandbox.add_lead()
    faults = POISON_AFTER + 1
    rig.slack.fail_next("chat.postMessage", count=faults, status=500)
    rig.slack.fail_next("conversations.history", count=faults, status=500)
    for _ in range(faults):
        service.run_once()
    (alert,) = rig.store().alerts(kind="new")
    assert alert.state != "parked"
    for _ in range(2 * faults):  # each attempt uses up at least one of the injected failures
        if service.run_once().ok and rig.alerted():
            break
    assert rig.alerted() == {lead_id: 1}
