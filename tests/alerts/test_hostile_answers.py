"""Odd answers from Heatpunk: an empty or null 200 deletes nothing, and a failing deep sync backs off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from leadbot.alerts.poller import Poller, PollFailed
from tests.alerts.rig import Rig
from tests.fakes.heatpunk_fixtures import TEAM_EMAIL
from tests.fakes.slack import ALERTS_CHANNEL


def _alerted_lead(rig: Rig) -> tuple[Any, str]:
    service = rig.service()
    assert service.run_once().ok
    lead_id = rig.sandbox.add_lead()
    assert service.run_once().ok
    assert rig.alerted() == {lead_id: 1}
    return service, lead_id


@pytest.mark.parametrize("body", [{"rows": {}}, {}, {"rows": []}, []])
def test_one_empty_answer_marks_nothing_deleted(rig: Rig, body: Any) -> None:
    service, lead_id = _alerted_lead(rig)
    rig.sandbox.fail_next(status=200, body=body if body != [] else b"[]", endpoint="fetch")
    assert service.run_once().ok
    assert service.run_once().ok  # the lead is there again
    card = rig.card_of(lead_id)
    assert "Deleted in Heatpunk" not in card.text
    assert rig.replies(card) == []  # no "deleted", no "is back"
    assert rig.store().alerts(kind="deleted") == []


@pytest.mark.parametrize("body", [b"null", {"rows": None}, {"leads": None}])
def test_a_null_answer_is_a_failed_poll_not_an_empty_one(rig: Rig, body: Any) -> None:
    service, lead_id = _alerted_lead(rig)
    rig.sandbox.fail_next(status=200, body=body, content_type="application/json", endpoint="fetch")
    result = service.run_once()
    assert result.poll_error is not None
    assert "answer" in result.poll_error
    assert service.run_once().ok
    assert rig.replies(rig.card_of(lead_id)) == []


def test_a_deleted_lead_is_marked_once_a_second_poll_confirms_it(rig: Rig) -> None:
    service, lead_id = _alerted_lead(rig)
    rig.heatpunk().delete(lead_id, TEAM_EMAIL)
    assert service.run_once().ok
    assert rig.replies(rig.card_of(lead_id)) == []  # missing once: maybe a bad answer
    assert service.run_once().ok
    card = rig.card_of(lead_id)
    assert "Deleted in Heatpunk" in card.text
    (note,) = rig.replies(card)
    assert "was deleted in Heatpunk" in note.text


def test_a_failed_deep_sync_is_retried_later_and_polls_stay_narrow_meanwhile(rig: Rig) -> None:
    settings = rig.settings(leadbot_deep_sync_hours=6, leadbot_search_days=90)
    root = rig.root(settings)
    now = [datetime.now(UTC)]
    root.store.acquire_lease("tester", ttl=timedelta(days=1), now=now[0])
    poller = Poller(
        settings=settings,
        store=root.store,
        heatpunk=root.heatpunk,
        poll_email=TEAM_EMAIL,
        alert_channel=ALERTS_CHANNEL,
        holder="tester",
        clock=lambda: now[0],
    )
    assert poller.cycle().deep  # the first run looks back over the whole search period

    now[0] += timedelta(hours=7)  # a deep sync is due, and fails
    rig.sandbox.fail_next(status=200, body="<html>Maintenance</html>", endpoint="fetch")
    with pytest.raises(PollFailed):
        poller.cycle()
    kinds = []
    for _ in range(3):
        now[0] += timedelta(seconds=settings.leadbot_poll_seconds)
        kinds.append(poller.cycle().deep)
    assert kinds == [False, False, False]  # polls go on, narrow, while the deep sync waits to be retried

    now[0] += timedelta(hours=1)  # a bounded delay later it is tried again, and recorded when it works
    assert poller.cycle().deep
    now[0] += timedelta(seconds=settings.leadbot_poll_seconds)
    assert not poller.cycle().deep
