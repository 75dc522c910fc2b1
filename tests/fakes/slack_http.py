"""The HTTP layer of the fake Slack: a threading server on 127.0.0.1 that decodes requests and writes answers."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

# JSON-valued fields that Slack also accepts as JSON strings inside form bodies.
JSON_FIELDS = ("blocks", "view", "metadata", "attachments")

# Paths whose body is kept as bytes (params["_raw"]): the upload URLs files.getUploadURLExternal hands out.
RAW_PATHS = ("/upload/",)

# An answer: HTTP status, body (a dict is sent as JSON, a str as text) and extra headers.
Answer = tuple[int, dict[str, Any] | str, dict[str, str]]


@dataclass(frozen=True)
class HttpRequest:
    """One decoded request: query, form and JSON parameters merged into params."""

    verb: str
    path: str
    params: dict[str, Any]
    headers: dict[str, str]
    arrived: float


class HttpServer(ThreadingHTTPServer):
    """A threading HTTP server on 127.0.0.1 that hands each decoded request to `answer`."""

    daemon_threads = True
    request_queue_size = 128  # bursts of concurrent clients must queue, not be refused

    def __init__(self, port: int, answer: Callable[[HttpRequest], Answer]) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.answer = answer


class _Handler(BaseHTTPRequestHandler):
    server: HttpServer

    def do_GET(self) -> None:
        arrived = time.monotonic()
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        if url.path.startswith(RAW_PATHS):  # a file's bytes, not form or JSON
            params: dict[str, Any] = {"_raw": raw}
        else:
            params = decode_params(url.query, raw, headers.get("content-type", ""))
        status, body, extra = self.server.answer(
            HttpRequest(self.command, url.path, params, headers, arrived)
        )
        data = json.dumps(body).encode() if isinstance(body, dict) else body.encode()
        content_type = "application/json; charset=utf-8" if isinstance(body, dict) else "text/plain"
        try:
            self.send_response(status)
            for name, value in {
                "Content-Type": content_type,
                "Content-Length": str(len(data)),
                **extra,
            }.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting; the request is recorded all the same

    do_POST = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: the fake records requests instead of logging them."""


def decode_params(query: str, raw: bytes, content_type: str) -> dict[str, Any]:
    """Merge query, form or JSON parameters, decoding the JSON-valued fields Slack accepts as strings."""
    params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    if raw and content_type.startswith("application/json"):
        body = json.loads(raw)
        params.update(body if isinstance(body, dict) else {"_body": body})
    elif raw:
        params.update(parse_qsl(raw.decode(), keep_blank_values=True))
    if isinstance(params.get("payload"), str):  # response_url posts may be form-encoded payload=<json>
        params.update(json.loads(params.pop("payload")))
    for key in JSON_FIELDS:
        if isinstance(params.get(key), str) and params[key]:
            with contextlib.suppress(json.JSONDecodeError):  # else left as a string, which the checks reject
                params[key] = json.loads(params[key])
    return params
