"""The fake Socket Mode endpoint, specified through slack-sdk's built-in SocketModeClient and Bolt's handler."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import Ack, App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient
from slack_sdk.socket_mode import SocketModeClient
from slack_sdk.socket_mode.client import BaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.fakes.slack import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, FakeSlack
from tests.fakes.slack_requests import text_value
from tests.fakes.socket_mode import FakeSocketMode, close_in_background

ERRORS = {"response_action": "errors", "errors": {"email": "Enter an email like name@example.com"}}


def ack_everything(client: BaseSocketModeClient, request: SocketModeRequest) -> None:
    """Ack as an app would: commands with text, submissions with errors, the rest empty."""
    payload: dict[str, Any] | None = None
    if request.type == "slash_commands":
        payload = {"text": f"got {request.payload['text']}"}
    elif request.payload.get("type") == "view_submission":
        payload = ERRORS
    client.send_socket_mode_response(SocketModeResponse(envelope_id=request.envelope_id, payload=payload))


@pytest.fixture
def received(fake_slack: FakeSlack, socket_mode: FakeSocketMode) -> Iterator[list[dict[str, Any]]]:
    """A connected SocketModeClient that acks everything; yields every message it received."""
    messages: list[dict[str, Any]] = []
    web = WebClient(token=BOT_TOKEN, base_url=fake_slack.api_url)
    client = SocketModeClient(app_token=APP_TOKEN, web_client=web, ping_interval=1)
    client.socket_mode_request_listeners.append(ack_everything)
    client.message_listeners.append(lambda _client, message, _raw: messages.append(message))
    client.connect()
    socket_mode.wait_for_connection()
    yield messages
    client.auto_reconnect_enabled = False
    socket_mode.close_connections()  # else close() waits out the client's 3 s receive timeout
    close_in_background(client.close)


def test_the_client_connects_through_apps_connections_open_and_gets_hello(
    fake_slack: FakeSlack, socket_mode: FakeSocketMode, received: list[dict[str, Any]]
) -> None:
    (opened,) = fake_slack.calls_to("apps.connections.open")
    assert opened.response["url"].startswith(f"ws://127.0.0.1:{socket_mode.port}/link?ticket=")
    socket_mode.wait_for_ack(socket_mode.event({"type": "app_home_opened", "user": "U0SALES1"}))
    assert received[0]["type"] == "hello"


def test_slash_command_envelopes_are_acked_with_their_payload(
    socket_mode: FakeSocketMode, received: list[dict[str, Any]]
) -> None:
    envelope_id = socket_mode.slash_command("list 7d")
    ack = socket_mode.wait_for_ack(envelope_id)
    assert ack.payload == {"text": "got list 7d"}
    assert ack.elapsed < 1
    assert socket_mode.envelopes[0]["accepts_response_payload"] is True


def test_interactive_envelopes_carry_block_actions_and_view_submissions(
    socket_mode: FakeSocketMode, received: list[dict[str, Any]]
) -> None:
    click = socket_mode.block_action("lead_open", "123")
    assert socket_mode.wait_for_ack(click).payload is None
    submit = socket_mode.view_submission("lead", {"email": {"email_input": text_value("nope")}})
    assert socket_mode.wait_for_ack(submit).payload == ERRORS
    accepts = [(e["payload"]["type"], e["accepts_response_payload"]) for e in socket_mode.envelopes]
    assert accepts == [("block_actions", False), ("view_submission", True)]


def test_events_api_envelopes_carry_retry_attempts(
    socket_mode: FakeSocketMode, received: list[dict[str, Any]]
) -> None:
    envelope_id = socket_mode.event(
        {"type": "app_home_opened", "user": "U0SALES1"}, event_id="Ev1", retry_attempt=1
    )
    socket_mode.wait_for_ack(envelope_id)
    envelope = socket_mode.envelopes[0]
    assert (envelope["type"], envelope["retry_attempt"], envelope["payload"]["event_id"]) == (
        "events_api",
        1,
        "Ev1",
    )


def test_disconnect_makes_the_client_reconnect_through_a_new_url(
    fake_slack: FakeSlack, socket_mode: FakeSocketMode, received: list[dict[str, Any]]
) -> None:
    socket_mode.disconnect("refresh_requested")
    socket_mode.wait_for_connection(count=2)
    assert len(fake_slack.calls_to("apps.connections.open")) == 2
    assert socket_mode.wait_for_ack(socket_mode.slash_command("help")).payload == {"text": "got help"}
    assert socket_mode.open_connections == 1


def test_connection_urls_are_single_use(socket_mode: FakeSocketMode) -> None:
    url = socket_mode.new_url()
    with connect(url) as websocket:
        assert '"hello"' in str(websocket.recv(timeout=5))
    with pytest.raises(InvalidStatus), connect(url):
        pass


def test_a_bolt_app_on_socket_mode_handler_answers_envelopes(
    fake_slack: FakeSlack, socket_mode: FakeSocketMode
) -> None:
    app = App(client=WebClient(token=BOT_TOKEN, base_url=fake_slack.api_url), signing_secret=SIGNING_SECRET)

    @app.command("/leads")
    def handle(ack: Ack, command: dict[str, Any]) -> None:
        ack(f"Bolt got {command['text']}")

    handler = SocketModeHandler(app, APP_TOKEN)
    handler.connect()  # type: ignore[no-untyped-call]
    try:
        ack = socket_mode.wait_for_ack(socket_mode.slash_command("whoami"))
        assert ack.payload == {"text": "Bolt got whoami"}
    finally:
        handler.client.auto_reconnect_enabled = False
        socket_mode.close_connections()
        close_in_background(handler.close)
