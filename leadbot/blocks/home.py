"""The App Home tab: what leadbot does, how to use it, and a button to add a lead."""

from __future__ import annotations

from typing import Any

from leadbot import ids
from leadbot.blocks.kit import button
from leadbot.blocks.messages import build_help


def build_home() -> dict[str, Any]:
    """The Home tab view: help for /leads and a New lead button."""
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "leadbot"}},
        *build_help().blocks,
        {
            "type": "actions",
            "block_id": ids.HOME_BLOCK,
            "elements": [button("New lead", ids.NEW_LEAD, "new")],
        },
    ]
    return {"type": "home", "blocks": blocks}
