"""The shortcuts: "Create lead from message" (on any message) and "New lead" (the ⚡ menu), both opening the
create form at once, the first filled from the message it was used on (leads/from_message.py)."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App

from leadbot import ids, texts
from leadbot.leads.context import Deps
from leadbot.leads.from_message import read_lead
from leadbot.listeners.replies import Invocation
from leadbot.listeners.views import open_create_form

logger = logging.getLogger(__name__)

MAX_TEXT_READ = 20_000  # a message is at most 40,000 characters; a lead is in the first part of any paste


def shortcut_invocation(body: dict[str, Any]) -> Invocation:
    """Who used a shortcut, where (a message shortcut's channel; none for a global one), and how to answer."""
    return Invocation(
        user_id=str((body.get("user") or {}).get("id") or ""),
        channel_id=(body.get("channel") or {}).get("id"),
        trigger_id=body.get("trigger_id"),
        response_url=body.get("response_url"),
    )


def message_text(message: dict[str, Any]) -> str:
    """A message's text, with the text of what it quotes (a shared message or an email's attachment)."""
    parts = [message.get("text")]
    attachments = message.get("attachments")
    for attachment in attachments if isinstance(attachments, list) else []:
        if isinstance(attachment, dict):
            parts.append(attachment.get("text") or attachment.get("fallback"))
    return "\n".join(part for part in parts if isinstance(part, str) and part)[:MAX_TEXT_READ]


def handle_lead_from_message(ack: Ack, body: dict[str, Any], deps: Deps) -> None:
    """Create lead from message: the create form, filled from what the message says, with a note of it."""
    ack()
    message = body.get("message") or {}
    text = message_text(message)
    reading = read_lead(text)
    note = reading.notes if text.strip() else texts.FROM_MESSAGE_EMPTY
    channel = (body.get("channel") or {}).get("id")
    ts = message.get("thread_ts") or message.get("ts") or body.get("message_ts")
    source = (channel, ts) if isinstance(channel, str) and channel and isinstance(ts, str) and ts else None
    logger.info("Lead from a message: %s", ", ".join(reading.form_values()) or "nothing read")
    open_create_form(shortcut_invocation(body), deps, values=reading.form_values(), note=note, source=source)


def handle_new_lead(ack: Ack, body: dict[str, Any], deps: Deps) -> None:
    """New lead (the ⚡ menu, anywhere in Slack): the empty create form, at once."""
    ack()
    open_create_form(shortcut_invocation(body), deps)


def register(app: App, deps: Deps) -> None:
    """The message shortcut and the global shortcut."""
    app.message_shortcut(ids.LEAD_FROM_MESSAGE)(partial(handle_lead_from_message, deps=deps))
    app.global_shortcut(ids.NEW_LEAD_SHORTCUT)(partial(handle_new_lead, deps=deps))
