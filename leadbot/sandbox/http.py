"""The sandbox's HTTP plumbing: a threading server that stops cleanly, despite keep-alive or hangs."""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol

logger = logging.getLogger(__name__)

JSON_TYPE = "application/json; charset=utf-8"
MAX_BODY_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the sandbox received it, so tests can assert what a client really sent."""

    method: str
    path: str
    headers: Mapping[str, str]  # names lower-cased
    body: Any  # the parsed JSON, or None when the body was empty or not JSON
    raw_body: bytes = field(repr=False)

    def header(self, name: str) -> str | None:
        """A header by name, any case."""
        return self.headers.get(name.lower())


@dataclass(frozen=True)
class Reply:
    """What the sandbox answers; `delay` holds the answer back after the work is done (a hang), and `trickle`
    sends it one byte every `trickle` seconds (from the status line when `trickle_headers`, else the body)."""

    status: int
    body: bytes = b""
    content_type: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    trickle: float = 0.0
    trickle_headers: bool = False

    @classmethod
    def json(cls, status: int, payload: Any, **extra: Any) -> Reply:
        return cls(status, json.dumps(payload).encode(), JSON_TYPE, **extra)

    @classmethod
    def error(cls, status: int, message: str, **extra: Any) -> Reply:
        return cls.json(status, {"error": message}, **extra)


def failure_reply(status: int, body: Any, content_type: str | None) -> Reply:
    """An injected answer: None → a JSON error, str → text (HTML if it starts with "<"), bytes as given."""
    if body is None:
        phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
        body = {"error": phrase}
    if isinstance(body, bytes):
        return Reply(status, body, content_type)
    if isinstance(body, str):
        guessed = "text/html; charset=utf-8" if body.lstrip().startswith("<") else "text/plain; charset=utf-8"
        return Reply(status, body.encode(), content_type or (guessed if body else None))
    return Reply(status, json.dumps(body).encode(), content_type or JSON_TYPE)


@dataclass
class Fault:
    """A queued failure (`reply`, sent instead of handling), hang (`seconds`, added after handling) or trickle
    (the answer sent a byte every `trickle` seconds; from the status line on when `trickle_headers`)."""

    remaining: int
    endpoint: str | None
    reply: Reply | None = None
    seconds: float = 0.0
    trickle: float = 0.0
    trickle_headers: bool = False


class FaultQueue:
    """Failures and hangs for the next matching requests, used in the order they were asked for."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, endpoint: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.endpoint in (None, endpoint):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return fault
        return None


class Responder(Protocol):
    """What the server asks for each request: the answer, and a way to wait that stopping cuts short."""

    def respond(self, method: str, path: str, headers: Mapping[str, str], raw_body: bytes) -> Reply: ...

    def pause(self, seconds: float) -> None: ...


class SandboxServer(ThreadingHTTPServer):
    """Tracks its connections and request threads so `close()` ends them instead of leaking them."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = 128  # a burst of concurrent clients must queue, not wait out a dropped SYN (1 s)

    def __init__(self, address: tuple[str, int], responder: Responder) -> None:
        self.responder = responder
        self._track_lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._request_threads: set[threading.Thread] = set()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self._serve_connection,
            args=(request, client_address),
            name="heatpunk-sandbox-request",
            daemon=True,
        )
        with self._track_lock:
            self._connections.add(request)
            self._request_threads.add(thread)
        thread.start()

    def _serve_connection(self, request: Any, client_address: Any) -> None:
        try:
            self.process_request_thread(request, client_address)
        finally:
            with self._track_lock:
                self._connections.discard(request)
                self._request_threads.discard(threading.current_thread())

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-answer (as leadbot does at its deadline or size bound) is no error."""
        problem = sys.exc_info()[1]
        if isinstance(problem, ConnectionError):
            logger.debug("sandbox: %s hung up", client_address)
            return
        logger.error("Failed to serve %s in the Heatpunk sandbox", client_address, exc_info=problem)

    def close(self, timeout: float = 2.0) -> None:
        """Stops accepting, ends open (keep-alive) connections and waits for request threads."""
        self.shutdown()
        self.server_close()
        with self._track_lock:
            connections, threads = list(self._connections), list(self._request_threads)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        for thread in threads:
            thread.join(timeout)


class _Handler(BaseHTTPRequestHandler):
    """Reads the request, asks the responder, writes the reply; every method goes the same way."""

    protocol_version = "HTTP/1.1"
    server_version = "HeatpunkSandbox/1"
    timeout = 60  # an idle keep-alive connection is closed after this
    server: SandboxServer

    def do_POST(self) -> None:
        self._serve()

    do_DELETE = do_GET = do_PUT = do_PATCH = do_POST

    def _serve(self) -> None:
        try:
            raw_body = self._read_body()
        except ValueError as problem:
            self.close_connection = True
            self._write(Reply.error(400, str(problem)))
            return
        headers = {name.lower(): value for name, value in self.headers.items()}
        try:
            reply = self.server.responder.respond(self.command, self.path, headers, raw_body)
        except Exception:
            logger.exception("Failed to answer %s %s in the Heatpunk sandbox", self.command, self.path)
            reply = Reply.error(500, "The sandbox failed: see its log.")
        if reply.delay > 0:
            self.server.responder.pause(reply.delay)
        self._write(reply)

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunks()
        length_text = self.headers.get("Content-Length") or "0"
        try:
            length = int(length_text)
        except ValueError:
            raise ValueError(f"Content-Length {length_text!r} is not a number") from None
        if length < 0 or length > MAX_BODY_BYTES:
            raise ValueError(f"Content-Length must be between 0 and {MAX_BODY_BYTES}")
        return self.rfile.read(length)

    def _read_chunks(self) -> bytes:
        body = bytearray()
        while True:
            size_line = self.rfile.readline(1024).split(b";")[0].strip()
            try:
                size = int(size_line, 16)
            except ValueError:
                raise ValueError("malformed chunked body") from None
            if size == 0 or len(body) + size > MAX_BODY_BYTES:
                break
            body += self.rfile.read(size)
            self.rfile.readline(1024)
        while self.rfile.readline(1024).strip():  # trailers
            pass
        return bytes(body)

    def _write(self, reply: Reply) -> None:
        if reply.trickle > 0:
            self._trickle(reply)
            return
        try:
            self.send_response(reply.status)
            if reply.content_type:
                self.send_header("Content-Type", reply.content_type)
            if reply.status not in (204, 304):
                self.send_header("Content-Length", str(len(reply.body)))
            for name, value in reply.headers:
                self.send_header(name, value)
            self.end_headers()
            if reply.body and reply.status not in (204, 304):
                self.wfile.write(reply.body)
            self.wfile.flush()
        except OSError:  # the client gave up (e.g. timed out during a hang)
            self.close_connection = True

    def _trickle(self, reply: Reply) -> None:
        """The whole answer, a byte at a time: what a broken proxy or a hostile API does to a client."""
        phrase = HTTPStatus(reply.status).phrase if reply.status in HTTPStatus._value2member_map_ else "Error"
        lines = [f"{self.protocol_version} {reply.status} {phrase}", f"Content-Length: {len(reply.body)}"]
        lines += [f"Content-Type: {reply.content_type}"] if reply.content_type else []
        lines += [f"{name}: {value}" for name, value in reply.headers]
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        answer, start = head + reply.body, 0 if reply.trickle_headers else len(head)
        self.close_connection = True
        try:
            self.wfile.write(answer[:start])
            for index in range(start, len(answer)):
                self.server.responder.pause(reply.trickle)
                self.wfile.write(answer[index : index + 1])
        except OSError:  # the client gave up, as it should
            pass

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("sandbox %s - " + format, self.address_string(), *args)
