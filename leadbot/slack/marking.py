"""SANDBOX marking at the egress: every message, ephemeral, modal and Home view leadbot sends is marked here.

`leadbot run --sandbox` builds its Slack clients and its Bolt app with a sandbox Egress (egress.py), which
applies these functions to what leaves, so no builder or listener needs to know it is in a sandbox.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from leadbot import ids, texts

BANNER_BLOCK_ID = "sandbox_banner"
TEXT_LIMIT = 40_000  # chat.postMessage's `text` limit
# Web API methods whose `blocks`/`text` (messages) or `view` (modals, Home) people see.
MESSAGE_METHODS = frozenset({"chat.postMessage", "chat.postEphemeral", "chat.update", "chat.scheduleMessage"})
VIEW_METHODS = frozenset({"views.open", "views.update", "views.push", "views.publish"})
FILE_SHARE_METHOD = "files.completeUploadExternal"  # shares an uploaded file with `initial_comment`
# A Workflow Builder step's result: its error, and the outputs people read (IDs and counts stay as they are,
# for the steps after it to use).
STEP_FAILED_METHOD = "functions.completeError"
STEP_DONE_METHOD = "functions.completeSuccess"
READ_OUTPUTS = (ids.STEP_SUMMARY, ids.STEP_MATCHES)

Payload = dict[str, Any]


def banner() -> Payload:
    """The context block on top of everything shown from demo data."""
    text = texts.SANDBOX_BANNER
    return {"type": "context", "block_id": BANNER_BLOCK_ID, "elements": [{"type": "mrkdwn", "text": text}]}


def _in_json(mark: Callable[[Any], Any], value: str) -> str:
    """`mark` applied to JSON sent as a string (slack-sdk sends some arguments so); unreadable JSON as it was."""
    try:
        return json.dumps(mark(json.loads(value)))
    except ValueError:
        return value


def mark_blocks(blocks: Any) -> Any:
    """The blocks with the banner on top (once); anything that isn't a list of blocks is left alone."""
    if isinstance(blocks, str):
        return _in_json(mark_blocks, blocks)
    if not isinstance(blocks, list):
        return blocks
    if blocks and isinstance(blocks[0], Mapping) and blocks[0].get("block_id") == BANNER_BLOCK_ID:
        return blocks
    return [banner(), *blocks]


def mark_text(text: Any) -> Any:
    """The plain-text fallback marked too: notifications show no banner."""
    if not isinstance(text, str):
        return text
    prefix = f"[{texts.SANDBOX_MARK}] "
    return text if text.startswith(prefix) else (prefix + text)[:TEXT_LIMIT]


def mark_message(payload: Mapping[str, Any]) -> Payload:
    """A message payload (chat.*, a response_url body, an ack) with its text and blocks marked."""
    marked = dict(payload)
    if "text" in marked or "blocks" in marked:
        marked["text"] = mark_text(marked.get("text") or "")
    if marked.get("blocks") is not None:
        marked["blocks"] = mark_blocks(marked["blocks"])
    return marked


def mark_view(view: Any) -> Any:
    """A modal or Home view with the banner on top of its blocks."""
    if isinstance(view, str):
        return _in_json(mark_view, view)
    if not isinstance(view, Mapping) or not isinstance(view.get("blocks"), list):
        return view
    return {**view, "blocks": mark_blocks(view["blocks"])}


def mark_outputs(outputs: Any) -> Any:
    """A step's outputs with the text people read marked (a JSON string, as slack-sdk sends them, or a dict)."""
    if isinstance(outputs, str):
        return _in_json(mark_outputs, outputs)
    if not isinstance(outputs, Mapping):
        return outputs
    return {name: mark_text(value) if name in READ_OUTPUTS else value for name, value in outputs.items()}


def mark_api_payload(method: str, payload: Mapping[str, Any]) -> Payload:
    """What a Web API call sends, marked when people will see it."""
    if method in MESSAGE_METHODS:
        return mark_message(payload)
    if method in VIEW_METHODS and "view" in payload:
        return {**payload, "view": mark_view(payload["view"])}
    if method == FILE_SHARE_METHOD and payload.get("initial_comment"):  # the message a shared file comes with
        return {**payload, "initial_comment": mark_text(payload["initial_comment"])}
    if method == STEP_FAILED_METHOD and payload.get("error"):
        return {**payload, "error": mark_text(payload["error"])}
    if method == STEP_DONE_METHOD and payload.get("outputs") is not None:
        return {**payload, "outputs": mark_outputs(payload["outputs"])}
    return dict(payload)


def mark_ack_body(body: Any) -> Any:
    """An ack's body (a message, or a modal's `response_action` with a view) marked; others as they were."""
    if not isinstance(body, str) or not body.startswith("{"):
        return body
    try:
        data = json.loads(body)
    except ValueError:
        return body
    if not isinstance(data, dict):
        return body
    if "view" in data:
        data["view"] = mark_view(data["view"])
    elif "text" in data or "blocks" in data:
        data = mark_message(data)
    else:
        return body
    return json.dumps(data)
