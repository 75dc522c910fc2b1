"""The HTTP side: `POST /slack/events` for Slack and `GET /healthz`, served by waitress (never Bolt's dev server).

Nothing reaches Bolt before it has passed the gate: a body within the size limit, signed by Slack. Bolt reads
and parses whatever it is given (and logs a refused one, body and all), so a stranger's request must end here.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltRequest
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse
from slack_sdk.signature import Clock, SignatureVerifier
from waitress.server import create_server

from leadbot import texts

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

logger = logging.getLogger(__name__)

SERVER_THREADS = 16
Health = Callable[[], dict[str, Any]]
# What Slack sends: whole seconds since the epoch, and "v0=" with a hex HMAC-SHA256. Anything else (`1e3`,
# ` 12`, other scripts' digits, non-ASCII) is refused before it reaches int() or compare_digest, which raise.
TIMESTAMP = re.compile(r"[0-9]{1,12}")
SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")


@dataclass(frozen=True)
class Refusal:
    """A request turned away at the gate: the HTTP status, the words sent back, and why (IDs only, for the log)."""

    status: str
    text: str
    why: str


TOO_LARGE = "413 Request Entity Too Large"
UNAUTHORIZED = "401 Unauthorized"
BAD_REQUEST = "400 Bad Request"


class SlackGate:
    """What a request to /slack/events must pass before Bolt reads it: a body within `max_body_bytes` (read no
    further than that), then Slack's signature: well-formed headers, a fresh timestamp, the HMAC of the body."""

    def __init__(self, signing_secret: str, *, max_body_bytes: int, clock: Clock | None = None) -> None:
        self._verifier = SignatureVerifier(signing_secret, clock or Clock())
        self.max_body_bytes = max_body_bytes

    def admit(self, environ: WSGIEnvironment) -> str | Refusal:
        """The body as text when the request is Slack's; otherwise why not."""
        body = self._read_body(environ)
        if isinstance(body, Refusal):
            return body
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        if not (TIMESTAMP.fullmatch(timestamp) and SIGNATURE.fullmatch(signature)):
            return Refusal(UNAUTHORIZED, texts.HTTP_NOT_FROM_SLACK, "no well-formed signature headers")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return Refusal(UNAUTHORIZED, texts.HTTP_NOT_FROM_SLACK, "a body that is not UTF-8")
        if not self._verifier.is_valid(text, timestamp, signature):
            return Refusal(UNAUTHORIZED, texts.HTTP_NOT_FROM_SLACK, "a wrong or stale signature")
        return text

    def _read_body(self, environ: WSGIEnvironment) -> bytes | Refusal:
        """At most `max_body_bytes` (plus one, to tell), whether the length is declared or the body chunked."""
        too_large = Refusal(TOO_LARGE, texts.HTTP_TOO_LARGE, f"a body over {self.max_body_bytes} bytes")
        declared = str(environ.get("CONTENT_LENGTH") or "").strip()
        if declared:
            if not declared.isascii() or not declared.isdigit():
                return Refusal(BAD_REQUEST, texts.HTTP_UNREADABLE, "a malformed Content-Length")
            if int(declared) > self.max_body_bytes:
                return too_large
            wanted = int(declared)
        elif environ.get("wsgi.input_terminated"):  # chunked: the server ends the input where the body ends
            wanted = self.max_body_bytes + 1
        else:
            wanted = 0
        stream = environ.get("wsgi.input")
        body: bytes = stream.read(wanted) if stream is not None and wanted else b""
        return too_large if len(body) > self.max_body_bytes else body


class SlackEndpoint:
    """/slack/events: the gate, then Bolt (which checks the signature again, harmlessly) with a body it can read."""

    def __init__(self, app: App, gate: SlackGate) -> None:
        self._app = app
        self._gate = gate

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        admitted = self._gate.admit(environ)
        if isinstance(admitted, Refusal):
            logger.info("Refused a request to /slack/events: %s", admitted.why)
            return plain(start_response, admitted.status, admitted.text)
        request = WsgiHttpRequest(environ)
        try:
            bolt_request = BoltRequest(
                body=admitted, query=request.query_string, headers=request.get_headers()
            )
        except Exception as error:  # Bolt parses as it builds: Slack's signature doesn't make a body readable
            logger.info("Refused a signed request to /slack/events: unreadable (%s)", type(error).__name__)
            return plain(start_response, BAD_REQUEST, texts.HTTP_UNREADABLE)
        answer = self._app.dispatch(bolt_request)
        response = WsgiHttpResponse(status=answer.status, headers=answer.headers, body=answer.body)
        start_response(response.status, response.get_headers())
        return response.get_body()


def plain(start_response: StartResponse, status: str, text: str) -> list[bytes]:
    """A short text/plain answer."""
    body = text.encode()
    start_response(
        status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
    )
    return [body]


class WsgiApp:
    """Routes Slack's requests to their endpoint (gate, then Bolt) and answers health checks."""

    def __init__(self, slack: SlackEndpoint | None, health: Health) -> None:
        self._slack = slack
        self._health = health

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if path == "/healthz" and method in ("GET", "HEAD"):
            report = self._health()
            status = "200 OK" if report.get("ok", True) else "503 Service Unavailable"
            body = json.dumps(report).encode()
            start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        if self._slack is not None and path == "/slack/events" and method == "POST":
            return self._slack(environ, start_response)
        return plain(start_response, "404 Not Found", "Not Found")


class HttpServer:
    """waitress on a thread of its own, stopped without cutting off a request in flight."""

    def __init__(self, wsgi: WsgiApp, *, host: str, port: int, max_body_bytes: int = 1024 * 1024) -> None:
        # waitress buffers a whole body before the app sees it: its own limit answers 413 while reading
        self._server: Any = create_server(
            wsgi,
            host=host,
            port=port,
            threads=SERVER_THREADS,
            ident="leadbot",
            max_request_body_size=max_body_bytes,
        )
        self._thread = threading.Thread(target=self._server.run, name="leadbot-http", daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.effective_port)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stops accepting, waits for requests in flight, then closes every connection from waitress's loop.

        The loop's wake-up pipe stays open: a worker finishing late may still signal it, harmlessly.
        """
        server = self._server
        server.accepting = False
        deadline = time.monotonic() + timeout
        while self._busy() and time.monotonic() < deadline:
            time.sleep(0.02)
        closed = threading.Event()

        def close_connections() -> None:
            for channel in list(server._map.values()):
                if channel is not server.trigger:
                    channel.close()
            closed.set()

        server.trigger.pull_trigger(close_connections)
        closed.wait(timeout)
        server.task_dispatcher.shutdown(timeout=timeout)

    def _busy(self) -> bool:
        """Whether any worker is serving a request or one is queued (workers idle only while waiting)."""
        dispatcher = self._server.task_dispatcher
        with dispatcher.lock:
            return bool(dispatcher.active_count or dispatcher.queue)
