"""Where answers go after `ack()`, and the one wrapper that turns every failure into words."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from slack_sdk import WebClient

from leadbot import texts
from leadbot.blocks.kit import Message
from leadbot.blocks.messages import build_error
from leadbot.blocks.modals import build_message_view
from leadbot.blocks.text import escape
from leadbot.deps import Deps
from leadbot.heatpunk import HeatpunkError, Unavailable
from leadbot.leads.identity import ActingEmail, NoEmail
from leadbot.slack.respond import Responder

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Invocation:
    """Who asked, where, and how to answer them (a response_url, and a trigger for modals)."""

    user_id: str
    channel_id: str | None
    response_url: str | None = None
    trigger_id: str | None = None
    page: int = 1
    replace_original: bool = False

    def with_page(self, page: int) -> Invocation:
        return replace(self, page=page, replace_original=True)


class Reply:
    """Sends a message to the person who asked: ephemeral through their response_url."""

    def __init__(self, invocation: Invocation, responder: Responder) -> None:
        self._invocation = invocation
        self._responder = responder

    def send(self, message: Message, *, replace_original: bool | None = None) -> None:
        url = self._invocation.response_url
        if url is None:
            logger.warning("No way to answer %s: no response_url", self._invocation.user_id)
            return
        again = self._invocation.replace_original if replace_original is None else replace_original
        self._responder.send(url, message.payload(), replace_original=again)


class ViewReply:
    """Updates an open modal in place (for answers that belong inside it)."""

    def __init__(self, client: WebClient, view_id: str) -> None:
        self._client = client
        self.view_id = view_id

    def show(self, view: dict[str, Any]) -> None:
        self._client.views_update(view_id=self.view_id, view=view)

    def message(self, title: str, mrkdwn: str) -> None:
        self.show(build_message_view(title, mrkdwn))


Job = Callable[[ActingEmail], None]


def failure_words(error: Exception) -> tuple[str, bool]:
    """(what to tell the person, whether Retry may help) for any failure."""
    if isinstance(error, NoEmail):
        return str(error), False
    if isinstance(error, HeatpunkError):
        return escape(error.message), isinstance(error, Unavailable)
    return texts.SOMETHING_BROKE, False


def run_as_user(
    deps: Deps,
    user_id: str,
    what: str,
    job: Job,
    on_failure: Callable[[str, bool], None],
) -> None:
    """Runs `job` as the user's email on the work pool; any failure reaches them through `on_failure`."""

    def task() -> None:
        try:
            job(deps.identity.email_for(user_id))
        except Exception as error:
            if not isinstance(error, NoEmail | HeatpunkError):
                logger.exception("Failed to %s for %s", what, user_id)
            else:
                logger.info("Could not %s for %s: %s", what, user_id, type(error).__name__)
            words, retryable = failure_words(error)
            try:
                on_failure(words, retryable)
            except Exception:
                logger.exception("Failed to tell %s that %s failed", user_id, what)

    deps.work.submit(task)


def reply_failure(reply: Reply, retry_value: str | None) -> Callable[[str, bool], None]:
    """A failure handler that answers with the words and, when it may help, a Retry button."""

    def on_failure(words: str, retryable: bool) -> None:
        reply.send(build_error(words, retry_value=retry_value if retryable else None), replace_original=False)

    return on_failure
