"""The App Home tab: what leadbot does, how to use it, and a button to add a lead."""

from __future__ import annotations

from typing import Any

from leadbot import ids, texts
from leadbot.blocks.kit import button, plain
from leadbot.blocks.messages import build_help
from leadbot.limits import HEADER_TEXT


def build_home() -> dict[str, Any]:
    """The Home tab view: help for /leads and a New lead button."""
    blocks = [
        {"type": "header", "text": plain(texts.APP_NAME, HEADER_TEXT)},
        *build_help().blocks,
        {
            "type": "actions",
            "block_id": ids.HOME_BLOCK,
            "elements": [button(texts.ADD_LEAD, ids.NEW_LEAD, "new")],
        },
    ]
    return {"type": "home", "blocks": blocks}
