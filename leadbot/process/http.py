"""The HTTP side: `POST /slack/events` for Slack and `GET /healthz`, served by waitress (never Bolt's dev server)."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress.server import create_server

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

logger = logging.getLogger(__name__)

SERVER_THREADS = 16
Health = Callable[[], dict[str, Any]]


class WsgiApp:
    """Routes Slack's requests to Bolt (which verifies signatures) and answers health checks."""

    def __init__(self, app: App | None, health: Health) -> None:
        self._slack = SlackRequestHandler(app) if app is not None else None
        self._health = health

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if path == "/healthz" and method in ("GET", "HEAD"):
            report = self._health()
            status = "200 OK" if report.get("ok", True) else "503 Service Unavailable"
            body = json.dumps(report).encode()
            start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        if self._slack is not None and path == "/slack/events":
            return self._slack(environ, start_response)
        body = b"Not Found"
        start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
        return [body]


class HttpServer:
    """waitress on a thread of its own, stopped without cutting off a request in flight."""

    def __init__(self, wsgi: WsgiApp, *, host: str, port: int) -> None:
        self._server: Any = create_server(wsgi, host=host, port=port, threads=SERVER_THREADS, ident="leadbot")
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
