"""envelope_problem: the parts Bolt reads as objects, lists or text are checked before Bolt reads them."""

from __future__ import annotations

from typing import Any

import pytest

from leadbot.slack.envelope import envelope_problem


@pytest.mark.parametrize(
    "body",
    [
        {"command": "/leads", "text": "list", "user_id": "U1"},
        {"type": "block_actions", "user": {"id": "U1"}, "actions": [{"action_id": "a"}], "channel": None},
        {"type": "view_submission", "user": {"id": "U1"}, "view": {"callback_id": "c", "state": {}}},
        {"type": "event_callback", "event": {"type": "app_home_opened", "user": "U1"}},
        {"type": "url_verification", "challenge": "x"},
    ],
)
def test_what_slack_sends_passes(body: dict[str, Any]) -> None:
    assert envelope_problem(body) is None


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ([], "the body is not an object"),
        ({"type": "block_actions", "actions": []}, "actions is not a list of objects"),
        ({"type": "block_actions", "actions": [1]}, "actions is not a list of objects"),
        ({"type": "block_actions", "user": "U1"}, "user is not an object"),
        ({"type": 3}, "type is not text"),
        ({"type": "event_callback", "event": {"type": 1}}, "event.type is not text"),
        (
            {"type": "event_callback", "event": {"type": "m", "message": "x"}},
            "event.message is not an object",
        ),
        ({"type": "view_submission", "view": {"callback_id": []}}, "view.callback_id is not text"),
        ({"type": "block_actions", "user": {"id": "\ud83d"}, "actions": [{}]}, "user.id is not a Slack ID"),
        ({"type": "block_actions", "view": None}, "view is not an object"),
        ({"command": "/leads", "user_id": "U1 <!channel>"}, "user_id is not a Slack ID"),
        ({"command": "/leads", "user_id": "U1", "channel_id": "C" * 65}, "channel_id is not a Slack ID"),
    ],
)
def test_a_part_of_the_wrong_kind_is_named(body: Any, problem: str) -> None:
    assert envelope_problem(body) == problem
