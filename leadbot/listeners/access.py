"""Who may use leadbot at all (LEADBOT_ALLOWED_USERS / _CHANNELS), checked before any listener runs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltResponse

from leadbot import texts
from leadbot.blocks.messages import build_notice
from leadbot.blocks.modals import build_message_view
from leadbot.leads.context import Deps
from leadbot.settings import Settings

logger = logging.getLogger(__name__)


def denial(
    settings: Settings, user_id: str | None, channel_id: str | None, *, is_command: bool
) -> str | None:
    """Why this person may not use leadbot here, or None. Admins are always allowed."""
    if not user_id or user_id in settings.leadbot_admins:
        return None
    if settings.leadbot_allowed_users and user_id not in settings.leadbot_allowed_users:
        return texts.NOT_ALLOWED_USER
    allowed_channels = settings.leadbot_allowed_channels
    is_dm = bool(channel_id) and str(channel_id).startswith("D")
    if is_command and allowed_channels and channel_id not in allowed_channels and not is_dm:
        channels = ", ".join(f"<#{channel}>" for channel in allowed_channels)
        return texts.NOT_ALLOWED_CHANNEL.format(channels=channels)
    return None


def check_access(
    body: dict[str, Any], ack: Ack, next: Callable[[], BoltResponse], deps: Deps
) -> BoltResponse | None:
    """Stops commands, buttons and forms from people leadbot is not for, with a reason.

    Not calling next() ends the request; Bolt then sends the response this returns (the ack's).
    """
    kind = body.get("type") or ("command" if "command" in body else None)
    if kind not in ("command", "block_actions", "view_submission"):
        return next()
    user_id = body.get("user_id") or (body.get("user") or {}).get("id")
    channel_id = body.get("channel_id") or (body.get("channel") or {}).get("id")
    reason = denial(deps.settings, user_id, channel_id, is_command=kind == "command")
    if reason is None:
        return next()
    logger.info("Refused %s from %s: not allowed", kind, user_id)
    if kind == "view_submission":
        return ack(response_action="update", view=build_message_view(texts.APP_NAME, reason))
    if kind == "command":
        return ack(**build_notice(reason).payload(), response_type="ephemeral")
    if body.get("response_url"):
        notice = build_notice(reason).payload()
        deps.work.submit(deps.responder.send, body["response_url"], notice, replace_original=False)
    return ack()


def register(app: App, deps: Deps) -> None:
    """Runs before every listener."""
    app.middleware(partial(check_access, deps=deps))
