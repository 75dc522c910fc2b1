"""Alert scenarios over real HTTP: the simulator, the fake Slack, a real database, real threads."""

from __future__ import annotations

import itertools
import json
import time

import pytest

from leadbot import ids
from leadbot.alerts import AlertService, SenderTuning, Tuning
from leadbot.blocks.values import OpenButton
from tests.alerts.rig import ADMIN_CHANNEL, POLL_SECONDS, Rig
from tests.fakes.slack import ALERTS_CHANNEL
from tests.fakes.slack_workspace import Message
from tests.support import wait_until

NASTY_NAME = "Ada <!channel> <http://evil.example|click>"
SLACK_TIMEOUT = 0.5  # leadbot's Slack timeout where a test makes Slack answer after leadbot gave up


def test_first_run_is_silent_with_one_line_then_one_lead_one_alert(rig_any_db: Rig) -> None:
    rig = rig_any_db
    service = rig.service()
    first = service.run_once()
    assert first.ok
    assert first.report is not None
    assert first.report.first_run
    assert rig.alerts() == []
    assert [m.text for m in rig.notices()] == ["leadbot is watching 100 leads; new ones will appear here"]

    lead_id = rig.sandbox.add_lead(customerName=NASTY_NAME, postcode="CB24 6YU")
    second = service.run_once()
    assert second.ok
    assert rig.alerted() == {lead_id: 1}
    card = rig.card_of(lead_id)
    shown = card.text + json.dumps(card.blocks)
    assert "<!channel>" not in shown
    assert "&lt;!channel&gt;" in shown
    assert card.text.startswith("New lead: Ada")
    metadata = card.metadata or {}
    assert metadata["event_type"] == ids.ALERT_EVENT_TYPE
    assert metadata["event_payload"] == {
        "alert": metadata["event_payload"]["alert"],
        "kind": "new",
        "lead_id": lead_id,
    }
    assert service.run_once().ok
    assert rig.alerted() == {lead_id: 1}


def test_thirty_at_once_make_one_digest(rig_any_db: Rig) -> None:
    rig = rig_any_db
    service = rig.service()
    service.run_once()
    added = [rig.sandbox.add_lead() for _ in range(30)]
    assert service.run_once().ok
    digests = rig.alerts()
    assert len(digests) == 1
    assert digests[0].text == "30 new leads in Heatpunk"
    assert sorted(rig.alerted()) == sorted(added)
    views = [  # up to 40 leads: each its own View button, one click to its card
        OpenButton.from_value(b["accessory"]["value"]).lead_id
        for b in digests[0].blocks or []
        if "accessory" in b
    ]
    assert sorted(views) == sorted(added)


def test_restart_repeats_nothing(rig_any_db: Rig) -> None:
    rig = rig_any_db
    first = rig.service()
    first.start()
    wait_until(rig.notices, what="the first-run line")
    one = rig.sandbox.add_lead()
    wait_until(lambda: rig.alerted() == {one: 1}, what="the first alert")
    assert first.stop(timeout=10)
    two = rig.sandbox.add_lead()  # arrives while leadbot is down
    second = rig.service()
    second.start()
    wait_until(lambda: rig.alerted() == {one: 1, two: 1}, what="the lead that arrived while down")
    rig.settled(polls=2)
    assert rig.alerted() == {one: 1, two: 1}
    assert len(rig.notices()) == 1


def _failing(rig: Rig, mode: str) -> None:
    """Slack fails in one of the ways the issue names, for longer than several poll cycles."""
    if mode == "500":
        rig.slack.fail_next("chat.postMessage", count=4, status=500)
        rig.slack.fail_next("conversations.history", count=2, status=500)
    elif mode == "429":
        # one attempt's three tries (the alert client retries a rate limit twice), then Retry-After once more
        rig.slack.rate_limit_next("chat.postMessage", count=3, retry_after=1)
    else:
        rig.slack.go_down()


@pytest.mark.parametrize("mode", ["500", "429", "refused"])
def test_slack_failing_for_several_cycles_then_every_alert_arrives_once(rig: Rig, mode: str) -> None:
    service = rig.service()
    service.start()
    wait_until(rig.notices, what="the first-run line")
    _failing(rig, mode)
    added = [rig.sandbox.add_lead(), rig.sandbox.add_lead()]
    store = rig.store()
    wait_until(lambda: any(a.attempts for a in store.alerts(kind="new")), what="a failed attempt")
    rig.a_later_poll()  # polling goes on while Slack fails
    third = rig.sandbox.add_lead()
    if mode == "refused":
        rig.a_later_poll()  # the third lead is queued behind the failing two
        assert rig.alerted() == {}
        rig.slack.come_back()
    wait_until(lambda: len(rig.alerted()) == 3, timeout=30, what="every alert after recovery")
    rig.settled()
    assert rig.alerted() == {added[0]: 1, added[1]: 1, third: 1}
    order = [(m.metadata or {})["event_payload"]["lead_id"] for m in rig.alerts()]
    assert order == [*added, third]
    assert store.unsent_count() == 0


def test_an_alert_that_may_have_been_posted_is_found_not_reposted(rig: Rig) -> None:
    service = rig.service(slack_timeout=SLACK_TIMEOUT)
    service.run_once()
    lead_id = rig.sandbox.add_lead()
    rig.slack.set_latency(
        SLACK_TIMEOUT + 0.3, "chat.postMessage"
    )  # Slack posts it, but answers after leadbot gave up
    result = service.run_once()
    assert result.send_error is not None
    store = rig.store()
    (alert,) = store.alerts(kind="new")
    assert alert.state == "posting"
    rig.slack.set_latency(0.0, "chat.postMessage")
    wait_until(lambda: rig.alerted() == {lead_id: 1}, what="Slack to finish the slow post")
    wait_until(lambda: service.run_once().ok, timeout=10, what="the retry")
    assert rig.alerted() == {lead_id: 1}
    assert len(rig.slack.calls_to("chat.postMessage")) == 2  # the first-run line and the slow alert
    assert rig.slack.calls_to("conversations.history")
    (alert,) = store.alerts(kind="new")
    assert (alert.state, alert.message_ts) == ("sent", rig.card_of(lead_id).ts)


def _a_note_slack_posted_after_leadbot_gave_up(rig: Rig) -> tuple[AlertService, str, Message]:
    """A status change whose thread note reached Slack although the post timed out; the note is queued."""
    service = rig.service(slack_timeout=SLACK_TIMEOUT)
    service.run_once()
    lead_id = rig.sandbox.add_lead(status="new")
    assert service.run_once().ok
    card = rig.card_of(lead_id)
    rig.heatpunk().update(lead_id, rig.settings().leadbot_poll_email or "", {"status": "Quote"})
    rig.slack.set_latency(SLACK_TIMEOUT + 0.3, "chat.postMessage")
    assert service.run_once().send_error is not None
    (note,) = rig.store().alerts(kind="changed")
    assert note.state == "posting"
    rig.slack.set_latency(0.0, "chat.postMessage")
    wait_until(lambda: rig.replies(card), what="Slack to finish the slow post")
    return service, lead_id, card


def test_a_thread_note_that_may_have_been_posted_is_found_not_reposted(rig: Rig) -> None:
    service, _, card = _a_note_slack_posted_after_leadbot_gave_up(rig)
    wait_until(lambda: service.run_once().ok, timeout=10, what="the retry")
    (posted,) = rig.replies(card)
    assert rig.slack.calls_to("conversations.replies")
    (note,) = rig.store().alerts(kind="changed")
    assert (note.state, note.message_ts) == ("sent", posted.ts)


def test_a_thread_note_is_posted_again_when_the_thread_cannot_be_read(rig: Rig) -> None:
    """Without a way to look, a repeated note beats a lost one."""
    service, lead_id, card = _a_note_slack_posted_after_leadbot_gave_up(rig)
    rig.slack.error_next("conversations.replies", "missing_scope")
    wait_until(lambda: service.run_once().ok, timeout=10, what="the retry")
    assert len(rig.replies(card)) == 2
    assert rig.alerted() == {lead_id: 1}


def test_changed_and_deleted_leads_update_the_card(rig_any_db: Rig) -> None:
    rig = rig_any_db
    service = rig.service()
    service.run_once()
    lead_id = rig.sandbox.add_lead(customerName="Jane Doe", status="new")
    service.run_once()
    card = rig.card_of(lead_id)
    heatpunk = rig.heatpunk()

    heatpunk.update(lead_id, rig.settings().leadbot_poll_email or "", {"status": "Quote"})
    assert service.run_once().ok
    card = rig.card_of(lead_id)
    assert card.edited
    assert "Updated " in json.dumps(card.blocks)
    assert "New lead" in json.dumps(card.blocks)
    assert "Quote" in json.dumps(card.blocks)
    (note,) = rig.replies(card)
    assert "• Status: new → Quote" in note.text

    heatpunk.delete(lead_id, rig.settings().leadbot_poll_email or "")
    assert service.run_once().ok
    assert len(rig.replies(card)) == 1  # missing once: deleted only when the next poll agrees
    assert service.run_once().ok
    card = rig.card_of(lead_id)
    assert "Deleted in Heatpunk" in card.text
    assert not [b for b in card.blocks or [] if b["type"] == "actions"]
    notes = rig.replies(card)
    assert len(notes) == 2
    assert "was deleted in Heatpunk" in notes[1].text
    assert service.run_once().ok
    assert len(rig.replies(card)) == 2  # nothing repeated
    assert rig.alerted() == {lead_id: 1}


def test_a_changed_lead_in_a_digest_updates_the_digest(rig: Rig) -> None:
    service = rig.service()
    service.run_once()
    added = [rig.sandbox.add_lead() for _ in range(7)]
    service.run_once()
    (digest,) = rig.alerts()
    rig.heatpunk().delete(added[3], rig.settings().leadbot_poll_email or "")
    service.run_once()
    service.run_once()  # the second poll lacking it confirms the deletion
    (digest,) = rig.alerts()
    assert digest.edited
    assert "~" in json.dumps(digest.blocks)
    (note,) = rig.replies(digest)
    assert added[3] in note.text


def test_health_one_message_naming_the_cause_and_one_recovered(rig: Rig) -> None:
    service = rig.service()
    service.run_once()
    key = rig.sandbox.api_key
    rig.sandbox.api_key = "a-key-heatpunk-no-longer-accepts"
    results = [service.run_once() for _ in range(6)]
    assert all(result.poll_error for result in results)
    (problem,) = rig.messages(ADMIN_CHANNEL)
    assert "rejected leadbot's API key" in problem.text
    assert "3 times in a row" in problem.text
    rig.sandbox.api_key = key
    assert service.run_once().ok
    assert service.run_once().ok
    texts = [m.text for m in rig.messages(ADMIN_CHANNEL)]
    assert len(texts) == 2
    assert "working again" in texts[1]


def test_health_when_slack_refuses_the_alert_channel(rig: Rig) -> None:
    service = rig.service()
    service.run_once()
    rig.slack.revoke_scope("chat:write.public")
    rig.slack.channels[ALERTS_CHANNEL].is_member = False
    lead_id = rig.sandbox.add_lead()

    def cycle_then_admin_messages() -> object:
        result = service.run_once()
        assert result.poll_error is None
        return rig.messages(ADMIN_CHANNEL)

    wait_until(cycle_then_admin_messages, timeout=20, what="the health message")
    for _ in range(4):
        cycle_then_admin_messages()
    (problem,) = rig.messages(ADMIN_CHANNEL)
    assert "invite leadbot" in problem.text
    rig.slack.channels[ALERTS_CHANNEL].is_member = True
    wait_until(lambda: service.run_once().ok and rig.alerted() == {lead_id: 1}, what="recovery")
    assert "working again" in rig.messages(ADMIN_CHANNEL)[-1].text
    assert len(rig.messages(ADMIN_CHANNEL)) == 2


def test_at_most_one_message_per_second_per_channel(rig: Rig) -> None:
    """One a second by default; paced here at one per 0.25 s, so five posts take one second, not four."""
    assert SenderTuning().min_interval == 1.0
    service = rig.service(
        tuning=Tuning(sender=SenderTuning(min_interval=0.25, retry_base=0.2, retry_max=1.0))
    )
    service.run_once()
    for _ in range(5):
        rig.sandbox.add_lead()
    rig.slack.clear()
    service.run_once()
    posts = [
        call.time
        for call in rig.slack.calls_to("chat.postMessage")
        if call.params["channel"] == ALERTS_CHANNEL
    ]
    assert len(posts) == 5
    gaps = [later - earlier for earlier, later in itertools.pairwise(posts)]
    assert min(gaps) >= 0.25 - 0.01  # the fake's clock and the sender's agree to within timer resolution


def test_sandbox_alerts_are_marked(rig: Rig) -> None:
    service = rig.service(sandbox=True)
    service.run_once()
    rig.sandbox.add_lead()
    service.run_once()
    assert len(rig.messages()) == 2  # the watching line and the card
    for message in rig.messages():
        assert message.text.startswith("[SANDBOX] ")
        assert "SANDBOX" in json.dumps((message.blocks or [])[0])


def test_one_poller_among_services_sharing_a_database_and_takeover(rig_any_db: Rig) -> None:
    rig = rig_any_db
    first, second = rig.service(), rig.service()
    first.start()
    wait_until(rig.notices, what="the first-run line")
    second.start()
    added = []
    for _ in range(4):  # one at a time, each alerted before the next arrives
        added.append(rig.sandbox.add_lead())
        wait_until(lambda: len(rig.alerted()) == len(added), what="the alert")
    holder = first if first.keeper.held else second
    other = second if holder is first else first
    assert not other.keeper.held
    fetches_by = rig.store().lease().holder
    assert fetches_by == holder.keeper.holder
    holder.stop(timeout=10)
    stopped_at = time.monotonic()
    wait_until(lambda: other.keeper.held, timeout=5, what="takeover")
    assert time.monotonic() - stopped_at < 2 * POLL_SECONDS + 0.5  # two poll intervals, and some slack
    added.append(rig.sandbox.add_lead())
    wait_until(lambda: len(rig.alerted()) == 5, what="an alert from the new poller")
    rig.settled(polls=2)
    assert rig.alerted() == dict.fromkeys(added, 1)
