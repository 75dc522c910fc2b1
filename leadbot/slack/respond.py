"""Answers sent to a response_url: ephemeral, retried like Slack's own client, through the Slack egress."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from leadbot.slack.client import slack_retries
from leadbot.slack.egress import Egress, LeadbotWebhookClient

logger = logging.getLogger(__name__)


class Responder:
    """Posts ephemeral answers to response_urls; one per app, built where the Slack clients are built."""

    def __init__(self, egress: Egress, *, timeout: int = 10) -> None:
        self._egress = egress
        self._timeout = timeout

    def send(self, response_url: str, message: Mapping[str, Any], *, replace_original: bool) -> None:
        webhook = LeadbotWebhookClient(
            response_url, egress=self._egress, timeout=self._timeout, retry_handlers=slack_retries()
        )
        response = webhook.send(
            text=message.get("text"),
            blocks=message.get("blocks"),
            response_type="ephemeral",
            replace_original=replace_original,
        )
        if response.status_code != 200:
            logger.warning("Slack refused an answer (%s): %s", response.status_code, response.body[:200])
