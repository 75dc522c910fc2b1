"""What leadbot says where a lead was made from a message: a thread reply under it, or a DM to its creator."""

from __future__ import annotations

from leadbot import ids, texts
from leadbot.blocks.kit import Message, button, message, section
from leadbot.blocks.leads import lead_title
from leadbot.blocks.owners import mention
from leadbot.blocks.text import escape, safe
from leadbot.blocks.values import OpenButton
from leadbot.heatpunk import Lead

TITLE_SHOWN = 150  # enough of a customer's name to know them by


def _with_open(words: str, lead: Lead) -> Message:
    """The words, and Open: the lead's card as `/leads show` gives it, to whoever clicks."""
    open_button = button(texts.OPEN, ids.OPEN_LEAD, OpenButton(lead.id).to_value(), style="primary")
    blocks = [
        section(words, ids.FROM_MESSAGE_BLOCK),
        {
            "type": "actions",
            "block_id": ids.block_id(ids.LEAD_ACTIONS_BLOCK, lead.id),
            "elements": [open_button],
        },
    ]
    return message(words, blocks)


def build_source_reply(lead: Lead, creator: str) -> Message:
    """The thread reply on the message a lead was made from: who made which lead, and Open."""
    words = texts.FROM_MESSAGE_REPLY.format(
        creator=mention(creator), lead_id=escape(lead.id), title=safe(lead_title(lead), TITLE_SHOWN)
    )
    return _with_open(words, lead)


def build_source_dm(lead: Lead, channel_id: str) -> Message:
    """The same, to its creator, when leadbot may not post where the message is."""
    words = texts.FROM_MESSAGE_DM.format(
        lead_id=escape(lead.id), title=safe(lead_title(lead), TITLE_SHOWN), channel=_channel(channel_id)
    )
    return _with_open(words, lead)


def _channel(channel_id: str) -> str:
    """`<#C…>` for what looks like a channel ID (Slack shows its name to those who may see it)."""
    if channel_id[:1] in ("C", "G") and channel_id[1:].isalnum() and channel_id.isupper():
        return f"<#{channel_id}>"
    return texts.FROM_MESSAGE_SOMEWHERE
