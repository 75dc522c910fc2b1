"""Where answers go after `ack()`, the one wrapper that turns every failure into words, and reading clicks."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from slack_sdk import WebClient

from leadbot import texts
from leadbot.blocks.kit import Message
from leadbot.blocks.messages import build_error, build_notice
from leadbot.blocks.modals import build_message_view
from leadbot.blocks.text import escape
from leadbot.blocks.values import BadValue
from leadbot.heatpunk import HeatpunkError, Unavailable
from leadbot.leads.commands import Asker
from leadbot.leads.context import Deps
from leadbot.leads.grammar import Command
from leadbot.leads.identity import NoEmail
from leadbot.slack.respond import Responder

logger = logging.getLogger(__name__)
Value = TypeVar("Value")


@dataclass(frozen=True)
class Invocation:
    """Who asked, where, and how to answer them (a response_url, and a trigger for modals)."""

    user_id: str
    channel_id: str | None
    response_url: str | None = None
    trigger_id: str | None = None
    replace_original: bool = False

    def replacing(self) -> Invocation:
        """The same, answered in place of the message clicked (a list's next page)."""
        return replace(self, replace_original=True)


def invocation_from(body: dict[str, Any]) -> Invocation:
    """Who clicked, where, and how to answer them (a block_actions payload)."""
    return Invocation(
        user_id=(body.get("user") or {}).get("id", ""),
        channel_id=(body.get("channel") or {}).get("id"),
        trigger_id=body.get("trigger_id"),
        response_url=body.get("response_url"),
    )


class Reply:
    """Sends a message to the person who asked: ephemeral, through their response_url."""

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


@dataclass(frozen=True)
class Click(Generic[Value]):
    """A click on a button or menu option: who, where, how to answer them, and the typed value it carried."""

    invocation: Invocation
    reply: Reply
    value: Value


def read_click(
    read: Callable[[str], Value], body: dict[str, Any], action: dict[str, Any], deps: Deps
) -> Click[Value] | None:
    """The click with its typed value; None after telling the person, in words, that the value is one
    leadbot can't read (damaged, or from an older leadbot)."""
    invocation = invocation_from(body)
    reply = Reply(invocation, deps.responder)
    text = str(action.get("value") or (action.get("selected_option") or {}).get("value") or "")
    try:
        return Click(invocation, reply, read(text))
    except BadValue:
        logger.info("Unreadable %s value from %s: %.100s", action.get("action_id"), invocation.user_id, text)
        deps.work.submit(reply.send, build_notice(texts.OLD_BUTTON), replace_original=False)
        return None


Job = Callable[[Asker], None]


def failure_words(error: Exception) -> tuple[str, bool]:
    """(what to tell the person, whether Retry may help) for any failure."""
    if isinstance(error, NoEmail):
        return str(error), False
    if isinstance(error, HeatpunkError):
        return escape(texts.heatpunk_failure(error)), isinstance(error, Unavailable)
    return texts.SOMETHING_BROKE, False


def run_as_user(
    deps: Deps,
    user_id: str,
    what: str,
    job: Job,
    on_failure: Callable[[str, bool], None],
) -> None:
    """Runs `job` as the user (their email) on the work pool; any failure reaches them through `on_failure`."""

    def task() -> None:
        try:
            job(Asker(user_id, deps.identity.email_for(user_id)))
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


def reply_failure(reply: Reply, retry: Command | None) -> Callable[[str, bool], None]:
    """A failure handler that answers with the words and, when it may help, a Retry button for `retry`."""

    def on_failure(words: str, retryable: bool) -> None:
        reply.send(build_error(words, retry=retry if retryable else None), replace_original=False)

    return on_failure
