"""The HTTP side: `POST /slack/events` for Slack and `GET /healthz`, served by waitress (never Bolt's dev server)."""

from __future__ import annotations

import json
import logging
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


def build_server(wsgi: WsgiApp, *, host: str, port: int) -> Any:
    """A waitress server (call `.run()`, stop with `.close()`); `.effective_port` is the bound port."""
    return create_server(wsgi, host=host, port=port, threads=SERVER_THREADS, ident="leadbot")
