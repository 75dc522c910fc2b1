"""The HTTP server: health, 404 for anything else, and a stop that lets requests in flight finish."""

import threading
import time

import httpx

from leadbot.process.http import HttpServer, WsgiApp


def slow_health() -> dict[str, object]:
    time.sleep(1.0)
    return {"ok": True}


def test_health_and_not_found() -> None:
    server = HttpServer(WsgiApp(None, lambda: {"ok": True}), host="127.0.0.1", port=0)
    server.start()
    try:
        base = f"http://127.0.0.1:{server.port}"
        assert httpx.get(f"{base}/healthz", trust_env=False).json() == {"ok": True}
        assert httpx.post(f"{base}/slack/events", trust_env=False).status_code == 404
    finally:
        server.stop()


def test_unhealthy_is_503() -> None:
    server = HttpServer(WsgiApp(None, lambda: {"ok": False}), host="127.0.0.1", port=0)
    server.start()
    try:
        assert httpx.get(f"http://127.0.0.1:{server.port}/healthz", trust_env=False).status_code == 503
    finally:
        server.stop()


def test_stop_finishes_the_request_in_flight_then_refuses_new_ones() -> None:
    server = HttpServer(WsgiApp(None, slow_health), host="127.0.0.1", port=0)
    server.start()
    url = f"http://127.0.0.1:{server.port}/healthz"
    answers: list[int] = []
    request = threading.Thread(target=lambda: answers.append(httpx.get(url, trust_env=False).status_code))
    request.start()
    time.sleep(0.3)
    server.stop()
    request.join(5)
    assert answers == [200]
    try:
        httpx.get(url, trust_env=False, timeout=1)
    except httpx.TransportError:
        pass
    else:
        raise AssertionError("the stopped server still answered")
