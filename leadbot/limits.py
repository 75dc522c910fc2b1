"""Slack's hard limits on what leadbot sends (../shared/slack-facts.md): Block Kit sizes and modal memory."""

from __future__ import annotations

SECTION_TEXT = 3000
FIELD_TEXT = 2000
HEADER_TEXT = 150
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
OPTION_TEXT = 75
OPTION_VALUE = 150
PLACEHOLDER = 150
CONFIRM_TITLE, CONFIRM_TEXT, CONFIRM_BUTTON = 100, 300, 30
MODAL_TITLE = 24
PRIVATE_METADATA = 3000
MESSAGE_BLOCKS = 50
# All the text in one message's blocks: Slack answers msg_blocks_too_long from about 13,200 characters though
# each block is within its own limit (undocumented; measured in slackapi/bolt-js#2509). Kept well under.
MESSAGE_TEXT_BUDGET = 12_000
VIEW_BLOCKS = 100
FALLBACK_TEXT = 3000
