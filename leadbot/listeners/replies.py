"""Where answers go after `ack()`, the one wrapper that turns every failure into words, and reading clicks."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
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
from leadbot.process.arrival import arrived_at
from leadbot.process.work import Busy
from leadbot.slack.respond import Responder

logger = logging.getLogger(__name__)
Value = TypeVar("Value")

# A form submission's outcome goes in its ack when ready this soon after the request arrived (Slack allows 3 s).
ANSWER_IN_ACK_SECONDS = 2.0
# By then Slack has applied a submission's ack or dropped it (3 s, and a second for Slack to apply it).
ACK_APPLIED_BY_SECONDS = 4.0


@dataclass(frozen=True)
class Invocation:
    """Who asked, where, how to answer them (a response_url, and a trigger for modals), and since when."""

    user_id: str
    channel_id: str | None
    response_url: str | None = None
    trigger_id: str | None = None
    replace_original: bool = False
    arrived: float = field(default_factory=arrived_at)  # time.monotonic() when Slack's request came in

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


class Outcome:
    """The view a form submission ends on, shown so that the submission's placeholder can never replace it.

    Slack applies a view_submission's ack whenever it gets it, up to 3 s after the submission, so a
    views.update sent in that time may land *before* the ack's placeholder and be overwritten by it (Slack's
    `hash` cannot help: the ack carries none, so it always wins). So the outcome goes in the ack itself when
    it is ready within ANSWER_IN_ACK_SECONDS of the request's arrival; otherwise the ack is the placeholder
    and the outcome is sent by views.update only after ACK_APPLIED_BY_SECONDS, when Slack has applied that
    ack or dropped it. Nothing the person can submit is shown in between, so nothing newer is overwritten.
    """

    def __init__(self, modal: ViewReply, arrived: float) -> None:
        self._modal = modal
        self._arrived = arrived
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._view: dict[str, Any] | None = None
        self._too_late = False

    def deliver(self, view: dict[str, Any]) -> None:
        """From the work: hands the view to the ack if it still waits, else shows it once the ack can't win."""
        with self._lock:
            if not self._too_late:
                self._view = view
                self._ready.set()
                return
        time.sleep(max(0.0, self._arrived + ACK_APPLIED_BY_SECONDS - time.monotonic()))
        self._modal.show(view)

    def for_ack(self) -> dict[str, Any] | None:
        """From the listener: the outcome if it is ready in time for the ack; None means ack a placeholder."""
        self._ready.wait(max(0.0, self._arrived + ANSWER_IN_ACK_SECONDS - time.monotonic()))
        with self._lock:
            self._too_late = self._view is None
            return self._view


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


def busy_words(busy: Busy) -> str:
    """What to tell a person whose request leadbot refused to queue."""
    return texts.BUSY if busy.mine else texts.OVERLOADED


def run_as_user(
    deps: Deps,
    user_id: str,
    what: str,
    job: Job,
    on_failure: Callable[[str, bool], None],
) -> None:
    """Runs `job` as the user (their email), in their share of the work pool; any failure, and a refusal
    when their share is taken, reaches them through `on_failure`."""
    try:
        submit_as_user(deps, user_id, what, job, on_failure)
    except Busy as busy:
        logger.info("Refused to %s for %s: %s", what, user_id, busy)
        deps.work.submit(on_failure, busy_words(busy), True)


def submit_as_user(
    deps: Deps,
    user_id: str,
    what: str,
    job: Job,
    on_failure: Callable[[str, bool], None],
) -> None:
    """Queues `job` as the user (their email) in their share of the work pool, or raises Busy; any failure
    of the job reaches them through `on_failure`."""

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

    deps.work.submit_for(user_id, task)


def reply_failure(reply: Reply, retry: Command | None) -> Callable[[str, bool], None]:
    """A failure handler that answers with the words and, when it may help, a Retry button for `retry`."""

    def on_failure(words: str, retryable: bool) -> None:
        reply.send(build_error(words, retry=retry if retryable else None), replace_original=False)

    return on_failure


def run_on_store(deps: Deps, reply: Reply, user_id: str, what: str, job: Callable[[], None]) -> None:
    """Runs `job` (work on leadbot's own store: no Heatpunk, so no email) in the person's share of the work
    pool; a failure, or a refusal when their share is taken, is told in words through `reply`."""

    def task() -> None:
        try:
            job()
        except Exception:
            logger.exception("Failed to %s for %s", what, user_id)
            reply.send(build_error(texts.SOMETHING_BROKE), replace_original=False)

    try:
        deps.work.submit_for(user_id, task)
    except Busy as busy:
        logger.info("Refused to %s for %s: %s", what, user_id, busy)
        deps.work.submit(reply.send, build_error(busy_words(busy)), replace_original=False)
