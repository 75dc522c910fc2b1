"""The shape Bolt assumes of a request before any listener runs, checked first: a malformed envelope gets a 400.

Bolt builds every listener argument up front (`body["actions"][0]`, `body["user"].get("id")`, …), so even a
signed request whose parts are the wrong kind would otherwise end in a 500 with a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Parts Bolt (or leadbot's middleware) reads as objects wherever they appear (null allowed: Slack sends it).
OBJECT_PARTS = ("user", "team", "enterprise", "channel")
# Parts Bolt reads as objects once their key is there: present, they must be objects, never null.
PRESENT_OBJECT_PARTS = ("container", "view", "message", "event", "workflow_step")
# Parts inside an event that Bolt's matchers read as objects.
EVENT_OBJECT_PARTS = ("message", "previous_message", "workflow_step")
TEXT_PARTS = ("type", "command", "callback_id", "trigger_id", "response_url", "api_app_id")
# Where Slack puts the IDs of who and where: leadbot stores and looks them up, so they must be IDs.
ID_PARTS = (("user_id",), ("user", "id"), ("channel_id",), ("channel", "id"), ("team_id",), ("team", "id"))
ID_LIMIT = 64


def is_slack_id(value: Any) -> bool:
    """Slack's IDs (U0123ABC, C0…, T0…) are short printable ASCII without spaces; anything else is forged."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= ID_LIMIT
        and value.isascii()
        and value.isprintable()
        and " " not in value
    )


def envelope_problem(body: Any) -> str | None:
    """Why this request body is not a Slack envelope Bolt can take (for the log, in IDs only), or None."""
    if not isinstance(body, Mapping):
        return "the body is not an object"
    for part in OBJECT_PARTS:
        if body.get(part) is not None and not isinstance(body[part], Mapping):
            return f"{part} is not an object"
    for part in PRESENT_OBJECT_PARTS:
        if part in body and not isinstance(body[part], Mapping):
            return f"{part} is not an object"
    for part in TEXT_PARTS:
        if body.get(part) is not None and not isinstance(body[part], str):
            return f"{part} is not text"
    for path in ID_PARTS:
        holder: Any = body if len(path) == 1 else body.get(path[0])
        if (
            isinstance(holder, Mapping)
            and holder.get(path[-1]) is not None
            and not is_slack_id(holder[path[-1]])
        ):
            return f"{'.'.join(path)} is not a Slack ID"
    if "actions" in body:
        actions = body["actions"]
        if not isinstance(actions, list) or not actions or not all(isinstance(a, Mapping) for a in actions):
            return "actions is not a list of objects"
    event = body.get("event")
    if isinstance(event, Mapping):
        if not isinstance(event.get("type", ""), str):
            return "event.type is not text"
        for part in EVENT_OBJECT_PARTS:
            if event.get(part) is not None and not isinstance(event[part], Mapping):
                return f"event.{part} is not an object"
    view = body.get("view")
    if isinstance(view, Mapping) and not isinstance(view.get("callback_id", ""), str):
        return "view.callback_id is not text"
    return None
