"""Hostile requests to leadbot's own HTTP server (waitress, in this process): bodies over the limit are refused
with 413 before anything reads them, anything not signed by Slack gets 401 whatever shape it has, a signed but
unreadable body gets a 4xx, and none of them costs a traceback or a request body in the log."""

from __future__ import annotations

import io
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx
import pytest

from leadbot.process.logs import configure_logging
from tests.fakes.slack import SIGNING_SECRET
from tests.fakes.slack_requests import FORM, JSON, SlackSender, sign, slash_command_body, slash_command_fields
from tests.scenarios.conftest import World, running_world
from tests.scenarios.harness import http_sender
from tests.support import root_logging_restored

LIMIT = 64 * 1024
LEADBOT_SETTINGS = {"LEADBOT_MAX_REQUEST_BYTES": str(LIMIT)}
CUSTOMER = "Quattlebaum-Secretname"
NESTED = "[" * 20_000 + "]" * 20_000


@pytest.fixture
def http(world: World, slack: SlackSender) -> Iterator[SlackSender]:
    """Slack's requests over HTTP to leadbot's server (waitress, then Bolt's WSGI adapter)."""
    with http_sender(world.leadbot, world.fake) as sender:
        yield sender


def raw_exchange(url: str, head: str, body_parts: list[bytes]) -> tuple[int, bytes]:
    """Sends a request head and body parts on a plain socket and reads the status line and body that come back."""
    address = httpx.URL(url)
    with socket.create_connection((address.host, address.port), timeout=10) as connection:
        try:
            connection.sendall(head.encode("latin-1"))
            for part in body_parts:
                connection.sendall(part)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and hang up before it has everything: its answer is still there
        answer = b""
        while b"\r\n\r\n" not in answer or len(answer.split(b"\r\n\r\n", 1)[1]) < content_length(answer):
            data = connection.recv(65536)
            if not data:
                break
            answer += data
    status_line, _, _ = answer.partition(b"\r\n")
    return int(status_line.split()[1]), answer.split(b"\r\n\r\n", 1)[1]


def content_length(answer: bytes) -> int:
    for line in answer.split(b"\r\n\r\n", 1)[0].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 1 << 30


def unsigned_command(customer: str = CUSTOMER, response_url: str = "https://hooks.slack.com/x") -> bytes:
    fields = slash_command_fields(
        f"new {customer}", user_id="U0SALES1", response_url=response_url, trigger_id="1"
    )
    return urlencode(fields).encode()


# ---- the body limit (413), before Bolt reads anything


def test_a_declared_body_over_the_limit_is_refused_with_413_unread(world: World, slack: SlackSender) -> None:
    head = (
        "POST /slack/events HTTP/1.1\r\nHost: leadbot\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {100 * 1024 * 1024}\r\n\r\n"
    )
    status, body = raw_exchange(world.leadbot.url, head, [b"token=x&" * 64])
    assert status == 413
    assert len(body) < 300
    assert b"Traceback" not in body
    assert world.sandbox.requests == []


def test_a_chunked_body_over_the_limit_is_refused_with_413(world: World, slack: SlackSender) -> None:
    head = (
        "POST /slack/events HTTP/1.1\r\nHost: leadbot\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"a" * 8192
    chunks = [b"%x\r\n%s\r\n" % (len(chunk), chunk)] * (LIMIT // len(chunk) + 2) + [b"0\r\n\r\n"]
    status, body = raw_exchange(world.leadbot.url, head, chunks)
    assert status == 413
    assert len(body) < 300
    assert b"Traceback" not in body


def test_a_signed_command_just_under_the_limit_is_still_served(world: World, http: SlackSender) -> None:
    fields = slash_command_fields(
        "help", user_id="U0SALES1", response_url=world.fake.new_response_url(), trigger_id="1"
    )
    body = urlencode(fields).encode()
    body += b"&padding=" + b"p" * (LIMIT - len(body) - len(b"&padding=") - 10)
    assert LIMIT - 20 < len(body) < LIMIT
    response = http.post(body)
    assert response.status_code == 200
    assert "/leads" in response.text


# ---- anything not signed by Slack: 401, whatever its shape


MALFORMED = {
    "garbled timestamp": (
        {"X-Slack-Request-Timestamp": "yesterday", "X-Slack-Signature": "v0=ab"},
        b"a=b",
        FORM,
    ),
    "1e3 timestamp": ({"X-Slack-Request-Timestamp": "1e3", "X-Slack-Signature": "v0=ab"}, b"a=b", FORM),
    "float timestamp": ({"X-Slack-Request-Timestamp": "1.5e9", "X-Slack-Signature": "v0=ab"}, b"a=b", FORM),
    "huge timestamp": ({"X-Slack-Request-Timestamp": "9" * 400, "X-Slack-Signature": "v0=ab"}, b"a=b", FORM),
    "non-ASCII signature": (
        {"X-Slack-Request-Timestamp": "now", "X-Slack-Signature": "v0=\u00e9\u00e9"},
        b"a=b",
        FORM,
    ),
    "no headers": ({}, b"payload=%7B%7D", FORM),
    "no signature": ({"X-Slack-Request-Timestamp": "now"}, b"a=b", FORM),
    "non-UTF-8 body": ({}, b"payload=\xff\xfe\xfd", FORM),
    "non-UTF-8 body, timestamp now": ({"X-Slack-Request-Timestamp": "now"}, b"text=\xff\xfe", FORM),
    "deeply nested JSON payload": ({}, b"payload=" + NESTED.encode(), FORM),
    "deeply nested JSON body": ({}, NESTED.encode(), JSON),
    "wrong content type": ({}, b"<xml/>", "text/xml"),
    "no body": ({}, b"", FORM),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_unsigned_requests_get_401_without_a_traceback(
    world: World, http: SlackSender, case: str
) -> None:
    headers, body, content_type = MALFORMED[case]
    if headers.get("X-Slack-Request-Timestamp") == "now":
        headers = headers | {"X-Slack-Request-Timestamp": str(int(time.time()))}
    sent = {name: value.encode("latin-1") for name, value in headers.items()}  # as bytes: any octet goes
    response = httpx.post(
        http.url, content=body, headers={"Content-Type": content_type, **sent}, trust_env=False
    )
    assert response.status_code == 401
    assert "Traceback" not in response.text
    assert len(response.text) < 300
    world.leadbot.settle()
    assert world.fake.responses == []


SIGNED_GARBAGE = {
    "non-UTF-8 body": (b"payload=\xff\xfe\xfd", FORM),
    "deeply nested JSON payload": (b"payload=" + NESTED.encode(), FORM),
    "deeply nested JSON body": (NESTED.encode(), JSON),
    "a JSON list": (b"[1, 2, 3]", JSON),
    "JSON that isn't": (b"{not json", JSON),
    "a payload that isn't JSON": (b"payload=%7Bnot", FORM),
    "a payload that is a list": (b"payload=%5B1%5D", FORM),
    "a form body sent as JSON": (
        slash_command_body("help", user_id="U0SALES1", response_url="x", trigger_id="1"),
        JSON,
    ),
    "a JSON body sent as text": (json.dumps({"type": "event_callback"}).encode(), "text/plain"),
}


@pytest.mark.parametrize("case", list(SIGNED_GARBAGE))
def test_signed_but_unreadable_requests_get_a_4xx_without_a_traceback(
    world: World, http: SlackSender, case: str
) -> None:
    body, content_type = SIGNED_GARBAGE[case]
    response = httpx.post(
        http.url,
        content=body,
        headers={"Content-Type": content_type, **sign(body, SIGNING_SECRET)},
        trust_env=False,
    )
    assert 400 <= response.status_code < 500
    assert "Traceback" not in response.text


# ---- no request body in the log


def test_a_request_that_fails_verification_leaves_no_body_in_the_log(tmp_path: Path) -> None:
    out = io.StringIO()
    with root_logging_restored():
        configure_logging("INFO", "text", stream=out)  # as `leadbot run` does, before it builds the app
        with running_world(tmp_path) as world:
            response_url = world.fake.new_response_url()
            for signing in ("none", "bad", "stale"):
                body = unsigned_command(response_url=response_url)
                with http_sender(world.leadbot, world.fake) as sender:
                    assert sender.post(body, signing=signing).status_code == 401
    written = out.getvalue()
    assert CUSTOMER not in written
    assert quote(response_url, safe="") not in written
    assert response_url not in written
