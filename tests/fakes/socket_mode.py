"""A fake Socket Mode endpoint on 127.0.0.1, so slack-sdk's SocketModeClient (and Bolt on it) run end to end."""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve

from tests.fakes.slack import SALES_USER, FakeSlack
from tests.fakes.slack_requests import (
    block_action_payload,
    event_callback,
    slash_command_fields,
    view_submission_payload,
)
from tests.fakes.slack_workspace import APP_ID

# Envelope types whose ack may carry a response payload, as Slack marks them.
_RESPONDS = {"slash_commands", "view_submission", "block_suggestion"}


@dataclass(frozen=True)
class Ack:
    """An acknowledgement the app sent back, and how long after its envelope it arrived."""

    envelope_id: str
    payload: dict[str, Any] | None
    time: float
    elapsed: float


def close_in_background(close: Callable[[], None]) -> None:
    """Runs a slack-sdk Socket Mode client's close() on a daemon thread: it waits up to a second for its
    message queue to time out, and nothing in a test needs to wait for that."""
    threading.Thread(target=close, name="socket-mode-close", daemon=True).start()


class FakeSocketMode:
    """Slack's Socket Mode WebSocket: hello, envelopes, acks, and disconnects that force a reconnect."""

    def __init__(self, fake_slack: FakeSlack | None = None) -> None:
        self.fake = fake_slack
        if fake_slack is not None:
            fake_slack.socket_mode = self
        self.connection_count = 0
        self.envelopes: list[dict[str, Any]] = []
        self.received: list[dict[str, Any]] = []
        self.acks: dict[str, Ack] = {}
        self._sent_at: dict[str, float] = {}
        self._tickets: set[str] = set()
        self._ticket_ids = itertools.count(1)
        self._open: list[ServerConnection] = []
        self._changed = threading.Condition()
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # ---- lifecycle

    def start(self) -> Self:
        """Listen on a free port in a daemon thread."""
        self._server = serve(
            self._handle,
            "127.0.0.1",
            0,
            process_request=self._check_ticket,
            compression=None,
            close_timeout=1,
        )
        self.port = self._server.socket.getsockname()[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="fake-socket-mode", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Close every connection and stop listening."""
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()

    def new_url(self) -> str:
        """A single-use connection URL, as apps.connections.open returns."""
        with self._changed:
            ticket = str(next(self._ticket_ids))
            self._tickets.add(ticket)
        return f"ws://127.0.0.1:{self.port}/link?ticket={ticket}"

    @property
    def open_connections(self) -> int:
        """How many clients are connected now."""
        with self._changed:
            return len(self._open)

    # ---- talking to the app

    def send_envelope(
        self,
        type: str,
        payload: Mapping[str, Any],
        *,
        accepts_response_payload: bool | None = None,
        retry_attempt: int = 0,
        timeout: float = 5.0,
    ) -> str:
        """Send one envelope to the newest connection (waiting for one) and return its envelope_id."""
        self.wait_for_connection(timeout=timeout)
        envelope_id = str(uuid.uuid4())
        if accepts_response_payload is None:
            accepts_response_payload = type in _RESPONDS or payload.get("type") in _RESPONDS
        envelope: dict[str, Any] = {"envelope_id": envelope_id, "type": type, "payload": dict(payload)}
        envelope["accepts_response_payload"] = accepts_response_payload
        if type == "events_api":
            envelope.update(retry_attempt=retry_attempt, retry_reason="timeout" if retry_attempt else "")
        with self._changed:
            connection = self._open[-1]
            self._sent_at[envelope_id] = time.monotonic()
            self.envelopes.append(envelope)
        connection.send(json.dumps(envelope))
        return envelope_id

    def slash_command(self, text: str = "", *, user_id: str = SALES_USER, **kwargs: Any) -> str:
        """Send a slash command (default /leads); keywords as slack_requests.slash_command_fields."""
        trigger_id, response_url = self._issue()
        fields = slash_command_fields(
            text, user_id=user_id, trigger_id=trigger_id, response_url=response_url, **kwargs
        )
        return self.send_envelope("slash_commands", fields)

    def block_action(
        self, action_id: str, value: str | None = None, *, user_id: str = SALES_USER, **kwargs: Any
    ) -> str:
        """Send a block_actions payload; keywords as slack_requests.block_action_payload."""
        trigger_id, response_url = self._issue()
        kwargs.setdefault("response_url", None if kwargs.get("view") is not None else response_url)
        payload = block_action_payload(action_id, value, user_id=user_id, trigger_id=trigger_id, **kwargs)
        return self.send_envelope("interactive", payload)

    def view_submission(
        self,
        callback_id: str,
        values: Mapping[str, Mapping[str, Mapping[str, Any]]],
        *,
        user_id: str = SALES_USER,
        **kwargs: Any,
    ) -> str:
        """Send a view_submission payload; keywords as slack_requests.view_submission_payload."""
        trigger_id, _ = self._issue()
        payload = view_submission_payload(
            callback_id, values, user_id=user_id, trigger_id=trigger_id, **kwargs
        )
        return self.send_envelope("interactive", payload)

    def event(self, event: Mapping[str, Any], *, event_id: str | None = None, retry_attempt: int = 0) -> str:
        """Send an Events API event."""
        return self.send_envelope(
            "events_api", event_callback(event, event_id=event_id), retry_attempt=retry_attempt
        )

    def disconnect(self, reason: str = "refresh_requested", *, grace: float = 5.0) -> None:
        """Ask every client to reconnect, as Slack does, then close the old connections once a new one opens."""
        with self._changed:
            old, before = list(self._open), self.connection_count
        for connection in old:
            self._send_quietly(
                connection, {"type": "disconnect", "reason": reason, "debug_info": {"host": "fake"}}
            )
        self._wait(lambda: self.connection_count > before, grace, None)
        for connection in old:
            connection.close()

    def close_connections(self) -> None:
        """Drop every connection without a disconnect message, like a network failure."""
        with self._changed:
            old = list(self._open)
        for connection in old:
            connection.close()

    # ---- waiting

    def wait_for_ack(self, envelope_id: str, timeout: float = 5.0) -> Ack:
        """Block until the app acks `envelope_id`; the Ack carries its payload and elapsed seconds."""
        self._wait(lambda: envelope_id in self.acks, timeout, f"an ack of envelope {envelope_id}")
        return self.acks[envelope_id]

    def wait_for_connection(self, count: int = 1, timeout: float = 5.0) -> None:
        """Block until at least `count` connections have been made and one is open."""
        self._wait(
            lambda: self.connection_count >= count and bool(self._open), timeout, f"connection #{count}"
        )

    def _wait(self, done: Callable[[], bool], timeout: float, what: str | None) -> None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not done():
                left = deadline - time.monotonic()
                if left <= 0:
                    if what is None:
                        return
                    raise AssertionError(
                        f"waited {timeout}s for {what}; connections: {self.connection_count}"
                    )
                self._changed.wait(left)

    # ---- serving

    def _issue(self) -> tuple[str, str]:
        assert self.fake is not None, (
            "FakeSocketMode needs a FakeSlack to issue trigger ids and response URLs"
        )
        return self.fake.new_trigger_id(), self.fake.new_response_url()

    def _check_ticket(self, connection: ServerConnection, request: Request) -> Response | None:
        """Accept only /link?ticket=N with a ticket issued by new_url() and not used before."""
        url = urlsplit(request.path)
        ticket = dict(parse_qsl(url.query)).get("ticket", "")
        with self._changed:
            valid = url.path == "/link" and ticket in self._tickets
            self._tickets.discard(ticket)
        return None if valid else connection.respond(HTTPStatus.UNAUTHORIZED, "invalid or used ticket\n")

    def _handle(self, connection: ServerConnection) -> None:
        """Greet the client, then record everything it sends until it goes away."""
        try:
            with self._changed:
                count = len(self._open) + 1
            hello = {"type": "hello", "num_connections": count, "connection_info": {"app_id": APP_ID}}
            connection.send(
                json.dumps({**hello, "debug_info": {"host": "fake", "approximate_connection_time": 3600}})
            )
            with self._changed:
                self._open.append(connection)
                self.connection_count += 1
                self._changed.notify_all()
            for raw in connection:
                self._record(json.loads(raw) if isinstance(raw, str) else {"binary": raw.hex()})
        except ConnectionClosed:
            pass  # the client went away; its acks are already recorded
        finally:
            with self._changed:
                if connection in self._open:
                    self._open.remove(connection)
                self._changed.notify_all()

    def _record(self, message: dict[str, Any]) -> None:
        now = time.monotonic()
        with self._changed:
            self.received.append(message)
            envelope_id = message.get("envelope_id")
            if isinstance(envelope_id, str) and envelope_id in self._sent_at:
                elapsed = now - self._sent_at[envelope_id]
                self.acks.setdefault(envelope_id, Ack(envelope_id, message.get("payload"), now, elapsed))
            self._changed.notify_all()

    @staticmethod
    def _send_quietly(connection: ServerConnection, message: dict[str, Any]) -> None:
        """Send unless the connection is already gone."""
        with contextlib.suppress(ConnectionClosed):
            connection.send(json.dumps(message))
