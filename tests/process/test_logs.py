"""Log lines: the two formats, a request ID per Slack request, and no secret ever written."""

from __future__ import annotations

import io
import json
import logging
import queue
from collections.abc import Iterator
from contextvars import copy_context
from typing import Any

import pytest
from slack_bolt import Ack, App, BoltContext, BoltRequest
from slack_bolt.authorization import AuthorizeResult

from leadbot.process.logs import (
    REQUEST_ID,
    ContextThreadPoolExecutor,
    configure_logging,
    describe_request,
    request_id_middleware,
    secrets_of,
)
from leadbot.redaction import REDACTED, redact
from leadbot.settings import Settings
from tests.support import root_logging_restored

log = logging.getLogger("tests.logs")
BOT_TOKEN = "xoxb-1234-5678-abcdefABCDEF"
APP_TOKEN = "xapp-1-A0123-4567-deadbeef"
API_KEY = "hp-key-0123456789"


@pytest.fixture
def out() -> Iterator[io.StringIO]:
    """Where configure_logging writes in a test; the root logger is put back as it was afterwards."""
    with root_logging_restored():
        yield io.StringIO()


def lines(out: io.StringIO) -> list[str]:
    return out.getvalue().splitlines()


def in_request(request_id: str, message: str) -> None:
    def emit() -> None:
        REQUEST_ID.set(request_id)
        log.info(message)

    copy_context().run(emit)


def test_text_is_one_line_per_event(out: io.StringIO) -> None:
    configure_logging("INFO", "text", stream=out)
    log.info("lead %s seen", "123")
    in_request("abc123", "polled")
    log.info("name: Eve\nERROR forged line")
    first, second, third = lines(out)
    assert first.endswith(" INFO tests.logs: lead 123 seen")
    assert second.endswith(" INFO tests.logs [abc123]: polled")
    assert third.endswith("name: Eve\\nERROR forged line")


def test_json_has_the_fields_and_one_line_per_event(out: io.StringIO) -> None:
    configure_logging("DEBUG", "json", stream=out)
    log.debug("plain")
    in_request("abc123", "in a request")
    try:
        raise ValueError("boom")
    except ValueError:
        log.exception("Failed to poll")
    plain, request, failure = (json.loads(line) for line in lines(out))
    assert set(plain) == {"time", "level", "logger", "message"}
    assert (plain["level"], plain["logger"], plain["message"]) == ("DEBUG", "tests.logs", "plain")
    assert plain["time"].endswith("+00:00")
    assert request["request_id"] == "abc123"
    assert failure["message"] == "Failed to poll"
    assert failure["exc_info"].startswith("Traceback")
    assert "ValueError: boom" in failure["exc_info"]


def test_level_is_respected(out: io.StringIO) -> None:
    configure_logging("warning", "text", stream=out)
    log.info("hidden")
    log.warning("shown")
    assert [line.split(": ", 1)[1] for line in lines(out)] == ["shown"]


def test_httpx_is_quiet_below_warning(out: io.StringIO) -> None:
    configure_logging("DEBUG", "text", stream=out)
    logging.getLogger("httpx").info("HTTP Request: POST https://heatpunk.example/leads/fetch")
    logging.getLogger("httpcore.connection").debug("connect_tcp.started")
    assert lines(out) == []


def test_alembic_steps_show_only_at_debug(out: io.StringIO) -> None:
    migration = logging.getLogger("alembic.runtime.migration")
    configure_logging("INFO", "text", stream=out)
    migration.info("Running upgrade  -> 0001")
    migration.warning("a warning still shows")
    configure_logging("DEBUG", "text", stream=out)
    migration.info("Context impl SQLiteImpl.")
    assert [line.split(": ", 1)[1] for line in lines(out)] == [
        "a warning still shows",
        "Context impl SQLiteImpl.",
    ]


def test_reconfiguring_replaces_the_handler(out: io.StringIO) -> None:
    configure_logging("INFO", "text", stream=io.StringIO())
    configure_logging("INFO", "json", stream=out)
    log.info("once")
    assert len(lines(out)) == 1


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_no_secret_is_written(out: io.StringIO, fmt: Any) -> None:
    configure_logging("DEBUG", fmt, secrets=[API_KEY, ""], stream=out)
    log.info("headers %s", {"Authorization": f"Bearer {BOT_TOKEN}", "X-API-KEY": API_KEY})
    log.warning(f"socket token {APP_TOKEN}, user token xoxp-99-88-77, rotated xoxe.xoxb-1-abc")
    try:
        raise RuntimeError(f"refused key {API_KEY}")
    except RuntimeError:
        log.exception("Failed with %s", BOT_TOKEN)
    log.info("stack", stack_info=True, extra={"unused": API_KEY})
    written = out.getvalue()
    for secret in (BOT_TOKEN, APP_TOKEN, API_KEY, "xoxp-99", "1-abc"):
        assert secret not in written
    assert f"xoxb-{REDACTED}" in written
    assert f"xapp-{REDACTED}" in written
    assert "RuntimeError: refused key [redacted]" in written.replace("\\n", "\n")


def test_redact_keeps_ordinary_words() -> None:
    assert redact("xoxo-hugs, box-b and xapp without a dash") == "xoxo-hugs, box-b and xapp without a dash"
    assert redact("key abcdefabcdef", ["abcdef", "abcdefabcdef"]) == f"key {REDACTED}"
    assert redact("a fix for x", ["x", ""]) == "a fix for x"  # too short to be a real secret


def test_secrets_of_settings() -> None:
    settings = Settings(
        _env_file=None,
        slack_bot_token=BOT_TOKEN,
        slack_app_token=APP_TOKEN,
        heatpunk_api_key=API_KEY,
        database_url="postgresql+psycopg://leadbot:s3cret-pw@db:5432/leadbot",
    )
    assert sorted(secrets_of(settings)) == sorted([BOT_TOKEN, APP_TOKEN, API_KEY, "s3cret-pw"])
    assert secrets_of(Settings(_env_file=None, database_url="sqlite:///leadbot.db")) == []


def test_describe_request_names_ids_not_words() -> None:
    assert describe_request({"command": "/leads", "text": "find Eve Smith"}) == "slash command /leads"
    event = {"type": "event_callback", "event_id": "Ev1", "event": {"type": "app_home_opened"}}
    assert describe_request(event) == "event app_home_opened Ev1"
    assert describe_request({"type": "block_actions", "actions": [{"action_id": "lead_open"}]}) == (
        "block_actions lead_open"
    )
    assert describe_request({"type": "view_submission", "view": {"callback_id": "lead_create"}}) == (
        "view_submission lead_create"
    )


def command_body(n: int) -> dict[str, Any]:
    return {
        "command": "/leads",
        "text": "list",
        "user_id": f"U{n}",
        "team_id": "T1",
        "channel_id": "C1",
        "trigger_id": f"trigger-{n}",
        "response_url": "https://hooks.slack.invalid/commands/1",
    }


def test_every_line_of_a_slack_request_carries_its_id(out: io.StringIO) -> None:
    configure_logging("INFO", "json", stream=out)
    done: queue.Queue[str] = queue.Queue()

    def authorize(enterprise_id: str | None, team_id: str | None, user_id: str | None) -> AuthorizeResult:
        return AuthorizeResult(enterprise_id=None, team_id=team_id, bot_token=BOT_TOKEN, bot_user_id="UBOT")

    executor = ContextThreadPoolExecutor(max_workers=2)
    app = App(signing_secret="not-used-in-socket-mode", authorize=authorize, listener_executor=executor)
    app.use(request_id_middleware)

    @app.command("/leads")
    def handle(ack: Ack, context: BoltContext) -> None:
        ack()
        log.info("after ack")
        done.put(context["request_id"])

    for n in (1, 2):
        response = copy_context().run(app.dispatch, BoltRequest(body=command_body(n), mode="socket_mode"))
        assert response.status == 200
    ids = [done.get(timeout=5), done.get(timeout=5)]
    executor.shutdown(wait=True)
    entries = [json.loads(line) for line in lines(out) if "after ack" in line]
    assert len(set(ids)) == 2
    assert sorted(entry["request_id"] for entry in entries) == sorted(ids)
    assert REQUEST_ID.get() is None


CUSTOMER = "Quattlebaum-Secretname"
RESPONSE_URL = "https://hooks.slack.com/commands/T0/1/secret-response-url"


def unsigned_command_to_bolt(body_text: str) -> None:
    """An unsigned slash command handed straight to a Bolt app with verification on, as any adapter would."""
    app = App(signing_secret="a-signing-secret", token=BOT_TOKEN, token_verification_enabled=False)
    response = app.dispatch(
        BoltRequest(body=body_text, headers={"content-type": "application/x-www-form-urlencoded"})
    )
    assert response.status == 401


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_bolt_writes_no_request_body_above_debug(out: io.StringIO, fmt: Any) -> None:
    configure_logging("INFO", fmt, stream=out)  # before the app is built, as `leadbot run` does
    unsigned_command_to_bolt(f"command=%2Fleads&text=new+{CUSTOMER}&response_url={RESPONSE_URL}")
    logging.getLogger("slack_bolt.App").warning("Unhandled request ({'type': 'x', 'value': '%s'})", CUSTOMER)
    written = out.getvalue()
    assert "signature" in written  # Bolt still says what happened
    assert CUSTOMER not in written
    assert "secret-response-url" not in written


def test_at_debug_bolt_lines_keep_the_body(out: io.StringIO) -> None:
    configure_logging("DEBUG", "text", stream=out)
    unsigned_command_to_bolt(f"text={CUSTOMER}")
    assert CUSTOMER in out.getvalue()
