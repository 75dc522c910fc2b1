"""What happened to a post that failed: was it posted anyway (find it by its metadata), when to retry."""

from __future__ import annotations

import logging
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from leadbot.slack.client import slack_error_code
from leadbot.store import Alert

logger = logging.getLogger(__name__)

# The history can't be read: post again rather than never (a duplicate beats a lost alert).
CANT_CHECK = frozenset(
    {"missing_scope", "unknown_method", "not_allowed_token_type", "method_not_supported_for_channel_type"}
)
MAX_PAGES = 50


def find_posted(slack: WebClient, alert: Alert, thread_ts: str | None, *, lookback: float) -> str | None:
    """The ts of this entry's message if an earlier attempt posted it (matched by the key in its metadata)."""
    oldest = f"{alert.created_at.timestamp() - lookback:.6f}"
    cursor = None
    try:
        channel = conversation_of(slack, alert.channel)
        for _ in range(MAX_PAGES):
            args: dict[str, Any] = {"channel": channel, "oldest": oldest, "limit": 200}
            args.update(include_all_metadata=True, cursor=cursor)
            if thread_ts:
                page = slack.conversations_replies(ts=thread_ts, **args)
            else:
                page = slack.conversations_history(**args)
            for message in page.get("messages") or []:
                metadata = message.get("metadata") or {}
                if (metadata.get("event_payload") or {}).get("alert") == alert.key:
                    return str(message["ts"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not page.get("has_more") or not cursor:
                return None
    except SlackApiError as error:
        if slack_error_code(error) not in CANT_CHECK:
            raise
        logger.warning(
            "Can't check whether alert %d was already posted (%s): posting it (grant channels:history, im:history)",
            alert.id,
            slack_error_code(error),
        )
    return None


def conversation_of(slack: WebClient, channel: str) -> str:
    """The conversation whose history holds a post: a DM is posted to a user ID but read as its D… channel."""
    if channel[:1] not in ("U", "W"):
        return channel
    opened = slack.conversations_open(users=channel)
    return str((opened.get("channel") or {}).get("id") or channel)


def may_have_posted(error: Exception) -> bool:
    """Could Slack have posted the message although the call failed? Only a clear refusal says no."""
    if isinstance(error, SlackApiError):
        return bool(error.response.status_code >= 500)
    if isinstance(error, URLError):
        return not isinstance(error.reason, ConnectionRefusedError)
    return not isinstance(error, ConnectionRefusedError)


def retry_after(error: Exception) -> float:
    """Seconds Slack asked us to wait (429 Retry-After), else 0."""
    if isinstance(error, SlackApiError) and error.response.status_code == 429:
        value = error.response.headers.get("Retry-After") or error.response.headers.get("retry-after")
        try:
            return float(value[0] if isinstance(value, list) else value or 1)
        except (TypeError, ValueError):
            return 1.0
    return 0.0
