"""A lead made from a message is linked where that message is: a thread reply, or else a DM to its creator."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from leadbot.blocks.from_message import build_source_dm, build_source_reply
from leadbot.heatpunk import Lead
from leadbot.leads.context import Deps
from leadbot.slack.client import slack_error_code

logger = logging.getLogger(__name__)


def link_source(deps: Deps, creator: str, lead: Lead, channel_id: str, ts: str) -> None:
    """Replies in the message's thread; where leadbot may not post (not_in_channel, channel_not_found, an
    archived channel, a DM between people…), tells the creator in a DM instead."""
    try:
        reply = build_source_reply(lead, creator)
        deps.slack.chat_postMessage(channel=channel_id, thread_ts=ts, **reply.payload())
        return
    except SlackApiError as error:
        logger.info("No thread reply for lead %s in %s: %s", lead.id, channel_id, slack_error_code(error))
    try:
        deps.slack.chat_postMessage(channel=creator, **build_source_dm(lead, channel_id).payload())
    except SlackApiError as error:
        logger.warning("Failed to tell %s about lead %s: %s", creator, lead.id, slack_error_code(error))
