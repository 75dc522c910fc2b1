"""The HTTP server: health, 404 for anything else, and a stop that lets requests in flight finish."""

import threading

import httpx

from leadbot.process.http import HttpServer, WsgiApp


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
    entered, release = threading.Event(), threading.Event()

    def health_held_until_released() -> dict[str, object]:
        entered.set()
        release.wait(10)
        return {"ok": True}

    server = HttpServer(WsgiApp(None, health_held_until_released), host="127.0.0.1", port=0)
    server.start()
    url = f"http://127.0.0.1:{server.port}/healthz"
    answers: list[int] = []
    request = threading.Thread(target=lambda: answers.append(httpx.get(url, trust_env=False).status_code))
    request.start()
    assert entered.wait(5)
    stopping = threading.Thread(target=server.stop)
    stopping.start()
    stopping.join(0.2)
    assert stopping.is_alive()  # stop() waits for the request in flight
    release.set()
    stopping.join(5)
    request.join(5)
    assert answers == [200]
    try:
        httpx.get(url, trust_env=False, timeout=1)
    except httpx.TransportError:
        pass
    else:
        raise AssertionError("the stopped server still answered")
