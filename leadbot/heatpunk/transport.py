"""The Heatpunk client's HTTP transport: every socket operation ends by the deadline of the call it serves.

httpx's timeouts are per read, so an API sending a byte every few seconds would otherwise hold a call (and the
poller) forever; httpx takes no network backend, so this module builds its connection pool on one.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from contextvars import ContextVar
from typing import Any

import httpcore
import httpx

# When the call running on this thread must end (time.monotonic()), read by every socket operation under it.
CALL_DEADLINE: ContextVar[float | None] = ContextVar("heatpunk_call_deadline", default=None)


def _capped(timeout: float | None, expired: type[Exception]) -> float | None:
    """`timeout`, shortened to what is left of the call's deadline; `expired` once nothing is left."""
    deadline = CALL_DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise expired("the call's deadline passed")
    return left if timeout is None else min(timeout, left)


class DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the call's deadline: httpx's timeouts are per read,
    so an API sending a byte every few seconds would otherwise hold a call (and the poller) forever."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _capped(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _capped(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        secured = self._stream.start_tls(
            ssl_context, server_hostname, _capped(timeout, httpcore.ConnectTimeout)
        )
        return DeadlineStream(secured)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's own sockets, each wrapped in a DeadlineStream."""

    def __init__(self) -> None:
        self._backend = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._backend.connect_tcp(
            host, port, _capped(timeout, httpcore.ConnectTimeout), local_address, socket_options
        )
        return DeadlineStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        stream = self._backend.connect_unix_socket(
            path, _capped(timeout, httpcore.ConnectTimeout), socket_options
        )
        return DeadlineStream(stream)

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


# httpcore's own default is 10: with 32 work threads, 22 calls queued for a connection (replies 5× slower)
MAX_CONNECTIONS = 100


class DeadlineTransport(httpx.HTTPTransport):
    """httpx's transport on a DeadlineBackend. httpx takes no network backend, so its connection pool is
    rebuilt with one (the same pool httpx builds when there is no proxy; leadbot never uses one)."""

    def __init__(self, *, max_connections: int = MAX_CONNECTIONS) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            network_backend=DeadlineBackend(),
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
        )


def build_http_client(
    timeout_seconds: float = 10.0, *, max_connections: int = MAX_CONNECTIONS
) -> httpx.Client:
    """The httpx client the API client runs on: explicit timeouts per read, no environment proxies, every
    socket operation bounded by the deadline of the call it serves (CALL_DEADLINE), and `max_connections`
    calls in flight at once (give it the work pool's size: more threads than connections wait their turn)."""
    timeout = httpx.Timeout(timeout_seconds, connect=min(5.0, timeout_seconds))
    return httpx.Client(
        timeout=timeout,
        trust_env=False,
        headers={"User-Agent": "leadbot"},
        transport=DeadlineTransport(max_connections=max_connections),
    )
