"""The smallest odd requests tests/fuzz found, one test each: leadbot takes them calmly (a 2xx/4xx, an answer in
words, nothing raised)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from leadbot import ids
from tests.fakes.slack import SALES_USER
from tests.fakes.slack_requests import SlackSender, block_action_body, view_submission_payload
from tests.scenarios.conftest import World
from tests.scenarios.harness import http_sender


def test_a_home_opened_event_without_a_user_publishes_nothing(world: World, slack: SlackSender) -> None:
    assert slack.event({"type": "app_home_opened"}).status_code == 200
    world.leadbot.settle()
    assert world.fake.calls_to("views.publish") == []


def test_a_home_opened_event_with_a_user_that_is_not_an_id_publishes_nothing(
    world: World, slack: SlackSender
) -> None:
    assert slack.event({"type": "app_home_opened", "user": {"id": SALES_USER}}).status_code == 200
    world.leadbot.settle()
    assert world.fake.calls_to("views.publish") == []


@pytest.mark.parametrize(
    "state", [True, [], {"customer_name": True}, {"customer_name": {"customer_name": []}}]
)
def test_a_form_whose_state_is_not_input_values_is_answered_on_its_blocks(
    world: World, slack: SlackSender, state: object
) -> None:
    payload = view_submission_payload(
        ids.CREATE_VIEW, {}, user_id=SALES_USER, trigger_id=world.fake.new_trigger_id()
    )
    payload["view"]["state"] = {"values": state}
    response = slack.post(urlencode({"payload": json.dumps(payload)}).encode())
    assert response.status_code == 200
    assert response.json()["response_action"] == "errors"


def test_a_typed_value_that_is_not_text_counts_as_nothing_typed(world: World, slack: SlackSender) -> None:
    state = {"customer_name": {"customer_name": {"type": "plain_text_input", "value": {"a": 1}}}}
    payload = view_submission_payload(
        ids.CREATE_VIEW, state, user_id=SALES_USER, trigger_id=world.fake.new_trigger_id()
    )
    response = slack.post(urlencode({"payload": json.dumps(payload)}).encode())
    assert response.json()["errors"].get(ids.NAME_INPUT)  # no name typed, rather than "{'a': 1}" as a name


def test_a_click_from_an_unknown_control_is_refused_calmly(world: World, slack: SlackSender) -> None:
    body = block_action_body("not_an_action_of_leadbots", "x", user_id=SALES_USER, trigger_id="t")
    assert slack.post(body).status_code < 500


# ---- found here, fixed elsewhere in issue 9 (last in this file: the tracebacks they log stay in the world's log)


def test_a_claim_on_a_lead_without_an_alert_card_is_answered(world: World, slack: SlackSender) -> None:
    slack.action(ids.CLAIM_LEAD, '{"l":"1001"}', channel_id=None)
    world.leadbot.settle()
    assert world.fake.responses or world.fake.calls_to("chat.postEphemeral")


def test_an_unsigned_body_bolt_cannot_parse_gets_a_4xx(world: World, slack: SlackSender) -> None:
    with http_sender(world.leadbot, world.fake) as http:
        assert http.post(b"{", signing="none").status_code == 401


def test_a_signature_that_is_not_ascii_gets_a_4xx(world: World, slack: SlackSender) -> None:
    with http_sender(world.leadbot, world.fake) as http:
        response = http._http.post(
            http.url, content=b"command=%2Fleads", headers={"X-Slack-Signature": b"\x80"}
        )
        assert response.status_code == 401


def test_a_signed_payload_that_is_not_an_object_gets_a_4xx(world: World, slack: SlackSender) -> None:
    with http_sender(world.leadbot, world.fake) as http:
        assert http.post(urlencode({"payload": "[[]]"}).encode()).status_code == 400


@pytest.mark.parametrize(
    "payload",
    [
        {"type": "block_actions", "actions": []},
        {"type": "block_actions", "user": False, "actions": [{"action_id": "x"}]},
        {"type": "view_submission", "view": "form"},
        {"type": "event_callback", "event": {"type": "message", "message": []}},
        {"type": ["block_actions"]},
    ],
    ids=["no actions", "user not an object", "view not an object", "event message a list", "type a list"],
)
def test_a_signed_envelope_whose_parts_are_the_wrong_kind_gets_400(
    world: World, slack: SlackSender, payload: dict[str, object]
) -> None:
    with http_sender(world.leadbot, world.fake) as http:
        assert http.post(urlencode({"payload": json.dumps(payload)}).encode()).status_code == 400


def test_a_click_from_a_user_id_that_is_half_an_emoji_gets_400(world: World, slack: SlackSender) -> None:
    """Found by the fuzzer: such an ID reached the email lookup and SQLite refused to encode it (a traceback)."""
    payload = {"type": "block_actions", "user": {"id": "\ud83d"}, "actions": [{"action_id": ids.OPEN_LEAD}]}
    body = urlencode({"payload": json.dumps(payload)}).encode()
    with http_sender(world.leadbot, world.fake) as http:
        assert http.post(body).status_code == 400
