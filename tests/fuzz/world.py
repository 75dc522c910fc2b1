"""One leadbot for a fuzz module (built once: hypothesis runs many examples against it), and the invariant
every request must keep, checked after each: Slack gets 2xx/4xx, never 5xx; whoever acted gets an answer in
plain words (no traceback, no Python repr); nothing leadbot sends or logs holds a secret; no exception escapes
into the log; and leadbot still answers `/leads help` afterwards."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from slack_bolt import BoltRequest, BoltResponse

from leadbot.process.logs import configure_logging, secrets_of
from tests.fakes.heatpunk_fixtures import SANDBOX_KEY
from tests.fakes.slack import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET
from tests.fakes.slack_requests import FORM, sign
from tests.scenarios.conftest import World, build_world
from tests.support import root_logging_restored

SECRETS = (BOT_TOKEN, APP_TOKEN, SIGNING_SECRET, SANDBOX_KEY)
# What a person must never read: a traceback, an exception's name, a Python repr.
LEAKS = re.compile(r"Traceback|Exception|[A-Za-z]+Error\b|<class '|object at 0x|\{'[^']*': |\bNone\b")
# The last line of a logged traceback ("KeyError: 'user'"): the exception that was raised.
FAILURE = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Exit))\b", re.MULTILINE)
# Failures of the outside world leadbot logs with their traceback and answers in words: not bugs.
EXPECTED_FAILURES = ("slack_sdk.errors.SlackApiError",)
# Web API methods whose parameters a person reads (messages, ephemeral answers, modals, the Home tab).
SHOWN_METHODS = (
    "chat.postMessage",
    "chat.postEphemeral",
    "chat.update",
    "views.open",
    "views.update",
    "views.push",
    "views.publish",
)


@dataclass
class Outcome:
    """What one request led to: the ack, and everything leadbot sent and logged because of it."""

    response: BoltResponse | httpx.Response
    shown: list[str] = field(default_factory=list)  # every text a person may read (ack, answers, modals)
    sent: list[str] = field(default_factory=list)  # everything sent anywhere (Slack calls, answers)
    log: str = ""

    @property
    def status(self) -> int:
        return self.response.status if isinstance(self.response, BoltResponse) else self.response.status_code

    @property
    def ack(self) -> str:
        return self.response.body if isinstance(self.response, BoltResponse) else self.response.text


class FuzzWorld:
    """leadbot (as `leadbot run` builds it) on a fake Slack and the simulator, with its log captured as
    production writes it (leadbot's handler, redaction included, at INFO)."""

    def __init__(self, world: World, log: io.StringIO) -> None:
        self.world = world
        self.fake = world.fake
        self.leadbot = world.leadbot
        self._log = log

    # ---- sending

    def signed(self, body: str, content_type: str = FORM, **headers: str) -> Outcome:
        """A request signed as Slack signs it, POSTed to leadbot's own server (waitress, then Bolt)."""
        raw = body.encode("utf-8", "surrogatepass")
        return self.raw_http(raw, {"Content-Type": content_type, **sign(raw, SIGNING_SECRET), **headers})

    def raw_http(self, body: bytes, headers: dict[str, str]) -> Outcome:
        """Any bytes with any headers (sent as UTF-8 bytes, as a raw client could), over HTTP to leadbot's own
        server (waitress, then Bolt)."""
        raw_headers = {name: value.strip(" \t").encode() for name, value in headers.items()}
        return self._observe(
            lambda: httpx.post(
                f"{self.leadbot.url}/slack/events",
                content=body,
                headers=raw_headers,
                timeout=30,
                trust_env=False,
            )
        )

    def _observe(self, send: Any) -> Outcome:
        self.leadbot.settle()
        self.fake.clear()
        start = self._log.tell()
        response = send()
        self.leadbot.settle()
        outcome = Outcome(response)
        self._log.seek(start)
        outcome.log = self._log.read()
        outcome.shown.append(outcome.ack or "")
        for call in self.fake.calls:
            text = json.dumps(call.params, ensure_ascii=False)
            outcome.sent.append(text)
            if call.method in SHOWN_METHODS:
                outcome.shown.append(text)
        for post in self.fake.responses:
            text = json.dumps(post.body, ensure_ascii=False)
            outcome.sent.append(text)
            outcome.shown.append(text)
        return outcome

    # ---- the invariant

    def check(self, outcome: Outcome, *, sent_text: str = "") -> None:
        """Everything that must hold after any request; `sent_text` is what the request itself said (a reply
        may quote it, so words in it are not held against the reply)."""
        assert outcome.status < 500, f"Slack got {outcome.status}: {outcome.ack[:300]!r}"
        for secret in SECRETS:
            for text in (outcome.ack, *outcome.sent, outcome.log):
                assert secret not in text, f"a secret left leadbot: {text[:300]!r}"
        for text in outcome.shown:
            for leak in LEAKS.finditer(text):
                if leak.group() not in sent_text:
                    raise AssertionError(f"a person was shown {leak.group()!r}: {text[:500]!r}")
        for failure in FAILURE.finditer(outcome.log):
            assert failure.group(1) in EXPECTED_FAILURES, (
                f"a bug raised {failure.group(1)}:\n{outcome.log[-3000:]}"
            )
        self.check_alive()

    def check_alive(self) -> None:
        """leadbot still answers: `/leads help` in the ack, at once."""
        body = "command=%2Fleads&text=help&user_id=U0SALES1&channel_id=C0ALERTS&team_id=T0LEADBOT"
        signed = sign(body.encode(), SIGNING_SECRET)
        response = self.leadbot.app.dispatch(
            BoltRequest(
                body=body, headers={name: [value] for name, value in {"Content-Type": FORM, **signed}.items()}
            )
        )
        assert response.status == 200, response.body[:300]
        assert "/leads list" in response.body, response.body[:300]

    def answered(
        self, outcome: Outcome, *, response_url: str | None = None, trigger_id: str | None = None
    ) -> bool:
        """Whether the person heard back: in the ack, on their response_url, or in a modal or message."""
        if outcome.ack.strip() and outcome.ack.strip() != "{}":
            return True
        if response_url and any(post.url == response_url for post in self.fake.responses):
            return True
        return any(call.method in SHOWN_METHODS for call in self.fake.calls)


@contextmanager
def fuzz_world(workdir: Path) -> Iterator[FuzzWorld]:
    """A started world whose log is written as production writes it, into memory."""
    log = io.StringIO()
    with root_logging_restored():
        world = build_world(workdir)
        secrets = secrets_of(world.leadbot.settings)
        configure_logging("INFO", "text", secrets=secrets, stream=log)
        logging.getLogger("slack_bolt").setLevel(logging.INFO)
        try:
            yield FuzzWorld(world, log)
        finally:
            world.close()
