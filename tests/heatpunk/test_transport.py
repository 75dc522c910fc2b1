"""The Heatpunk HTTP client's transport: as many calls in flight as the work pool has threads to make them."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from leadbot.heatpunk.transport import build_http_client
from tests.support import wait_until


class HeldServer(ThreadingHTTPServer):
    """Answers every GET only once released, counting the requests it is holding."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self) -> None:
        self.held = 0
        self.lock = threading.Lock()
        self.release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with server.lock:
                    server.held += 1
                server.release.wait(30)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)


@pytest.fixture
def held_server() -> Iterator[HeldServer]:
    server = HeldServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


def test_as_many_calls_are_in_flight_at_once_as_the_client_is_built_for(held_server: HeldServer) -> None:
    calls = 24
    url = f"http://127.0.0.1:{held_server.server_address[1]}/"
    with build_http_client(10.0, max_connections=calls) as http, ThreadPoolExecutor(calls) as pool:
        answers = [pool.submit(http.get, url) for _ in range(calls)]
        try:
            wait_until(lambda: held_server.held == calls, timeout=10, what=f"{calls} calls in flight")
        finally:
            held_server.release.set()
        assert [answer.result().status_code for answer in answers] == [200] * calls
