"""Answers sent to a response_url: ephemeral, retried like Slack's own client, marked in sandbox mode."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from slack_sdk.webhook import WebhookClient

from leadbot.slack.client import slack_retries
from leadbot.slack.marking import SandboxWebhookClient

logger = logging.getLogger(__name__)


class Responder:
    """Posts ephemeral answers to response_urls; one per app, built where the Slack clients are built."""

    def __init__(self, *, sandbox: bool = False, timeout: int = 10) -> None:
        self._webhook = SandboxWebhookClient if sandbox else WebhookClient
        self._timeout = timeout

    def send(self, response_url: str, message: Mapping[str, Any], *, replace_original: bool) -> None:
        webhook = self._webhook(response_url, timeout=self._timeout, retry_handlers=slack_retries())
        response = webhook.send(
            text=message.get("text"),
            blocks=message.get("blocks"),
            response_type="ephemeral",
            replace_original=replace_original,
        )
        if response.status_code != 200:
            logger.warning("Slack refused an answer (%s): %s", response.status_code, response.body[:200])
