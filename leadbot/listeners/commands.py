"""The `/leads` slash command: parse, answer at once when the answer is known, else ack and work."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App

from leadbot import ids
from leadbot.blocks.messages import build_usage
from leadbot.leads.grammar import UsageError, parse_command
from leadbot.listeners.replies import Invocation
from leadbot.listeners.runner import CommandRunner

logger = logging.getLogger(__name__)


def register(app: App, runner: CommandRunner) -> None:
    def handle_leads_command(ack: Ack, command: dict[str, Any]) -> None:
        """Acks within milliseconds: usage and refusals go in the ack, everything slow after it."""
        user_id = command.get("user_id", "")
        try:
            parsed = parse_command(command.get("text", ""))
        except UsageError as error:
            ack(**build_usage(error.problem, error.subcommand).payload(), response_type="ephemeral")
            return
        refusal = runner.refusal(parsed, user_id)
        if refusal is not None:
            ack(**refusal.payload(), response_type="ephemeral")
            return
        ack()
        logger.info("/leads %s by %s", parsed.name, user_id)
        invocation = Invocation(
            user_id=user_id,
            channel_id=command.get("channel_id"),
            trigger_id=command.get("trigger_id"),
            response_url=command.get("response_url"),
        )
        runner.run(parsed, invocation)

    app.command(ids.COMMAND)(handle_leads_command)
