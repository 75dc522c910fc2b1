"""The Block Kit pieces every builder shares: the one Message type, sections, context lines, buttons."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from leadbot.blocks.text import plain_words, safe, truncate
from leadbot.limits import BUTTON_TEXT, FALLBACK_TEXT, MESSAGE_BLOCKS, SECTION_TEXT

Block = dict[str, Any]


@dataclass(frozen=True)
class Message:
    """A message leadbot sends: its plain-text fallback (notifications, screen readers) and its blocks."""

    text: str
    blocks: list[Block]

    def payload(self) -> dict[str, Any]:
        """The `text` and `blocks` arguments of chat.postMessage, an ack or a response_url answer."""
        return {"text": self.text, "blocks": self.blocks}


def message(text: str, blocks: Sequence[Block] = ()) -> Message:
    """A message within Slack's limits: the fallback text cut to size, at most 50 blocks. With blocks, the
    text is what notifications show: plain words, no mrkdwn (plain_words); without, it is the message."""
    fallback = plain_words(text) if blocks else text
    return Message(truncate(fallback, FALLBACK_TEXT), list(blocks)[:MESSAGE_BLOCKS])


def section(mrkdwn: str, block_id: str | None = None) -> Block:
    """A mrkdwn section; `mrkdwn` must already be escaped where it holds text from outside leadbot."""
    block: Block = {"type": "section", "text": {"type": "mrkdwn", "text": truncate(mrkdwn, SECTION_TEXT)}}
    if block_id:
        block["block_id"] = block_id
    return block


def context(mrkdwn: str, block_id: str | None = None) -> Block:
    """A small grey line under a message's main blocks."""
    block: Block = {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": truncate(mrkdwn, SECTION_TEXT)}],
    }
    if block_id:
        block["block_id"] = block_id
    return block


def plain(text: str, limit: int) -> dict[str, Any]:
    """A plain_text object, escaped and cut to `limit`."""
    return {"type": "plain_text", "text": safe(text, limit)}


def button(text: str, action_id: str, value: str, *, style: str | None = None) -> Block:
    """A button; `value` comes from a typed value's `to_value()` (blocks/values.py)."""
    element: Block = {
        "type": "button",
        "text": plain(text, BUTTON_TEXT),
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    return element
