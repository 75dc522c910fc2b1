"""Signed Slack requests, specified against a real Bolt app (HTTP mode, signature verification on)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from slack_bolt import Ack, App, Respond
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from tests.fakes.slack import BOT_TOKEN, SALES_USER, SIGNING_SECRET, FakeSlack
from tests.fakes.slack_requests import JSON, SlackSender, event_body, sign, slash_command_body, text_value
from tests.support import wait_until

MODAL = {
    "type": "modal",
    "callback_id": "lead",
    "title": {"type": "plain_text", "text": "Lead"},
    "blocks": [],
}


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output clean."""


@dataclass
class Bot:
    """A Bolt app served on 127.0.0.1, the sender that talks to it, and what its listeners saw."""

    app: App
    sender: SlackSender
    seen: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture
def bot(fake_slack: FakeSlack) -> Iterator[Bot]:
    app = App(client=WebClient(token=BOT_TOKEN, base_url=fake_slack.api_url), signing_secret=SIGNING_SECRET)
    server = make_server(
        "127.0.0.1",
        0,
        SlackRequestHandler(app),
        server_class=_ThreadingWSGIServer,
        handler_class=_QuietHandler,
    )
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    with SlackSender(f"http://127.0.0.1:{server.server_port}", SIGNING_SECRET, fake_slack) as sender:
        yield Bot(app, sender)
    server.shutdown()
    server.server_close()


def test_sign_matches_slack_sdks_verifier() -> None:
    body = slash_command_body(
        "list", user_id=SALES_USER, response_url="http://127.0.0.1/r", trigger_id="1.2.x"
    )
    headers = sign(body, SIGNING_SECRET)
    verifier = SignatureVerifier(SIGNING_SECRET)
    assert verifier.is_valid(body, headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"])


def test_slash_command_is_acked_then_opens_a_modal_and_responds(bot: Bot, fake_slack: FakeSlack) -> None:
    @bot.app.command("/leads")
    def handle(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack("Working on it")
        client.views_open(trigger_id=body["trigger_id"], view=MODAL)
        respond("Here are your leads")

    response = bot.sender.command("list 7d")
    assert response.status_code == 200
    assert response.text == "Working on it"  # Bolt answers a plain-text ack as text/plain
    assert response.elapsed.total_seconds() < 1
    assert fake_slack.wait_for("views.open")[0].ok
    (posted,) = fake_slack.wait_for_response(bot.sender.last.response_url)
    assert posted.body["text"] == "Here are your leads"


def test_button_click_reaches_its_listener_with_value_and_response_url(
    bot: Bot, fake_slack: FakeSlack
) -> None:
    @bot.app.action("lead_open")
    def handle(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        bot.seen.append(body)
        respond(replace_original=True, text="Opened")

    assert bot.sender.action("lead_open", "123", block_id="lead_123").status_code == 200
    (posted,) = fake_slack.wait_for_response(bot.sender.last.response_url)
    assert posted.body["replace_original"] is True
    assert bot.seen[0]["actions"][0]["value"] == "123"
    assert bot.seen[0]["user"]["id"] == SALES_USER


def test_view_submission_answers_errors_in_the_ack(bot: Bot, fake_slack: FakeSlack) -> None:
    @bot.app.view("lead")
    def handle(ack: Ack, view: dict[str, Any]) -> None:
        bot.seen.append(view)
        ack(response_action="errors", errors={"email": "Enter an email like name@example.com"})

    opened = WebClient(token=BOT_TOKEN, base_url=fake_slack.api_url).views_open(
        trigger_id=fake_slack.new_trigger_id(), view=MODAL
    )["view"]
    values = {"email": {"email_input": text_value("not-an-email")}}
    response = bot.sender.submit("lead", values, private_metadata="lead=7", view=opened)
    assert response.json() == {
        "response_action": "errors",
        "errors": {"email": "Enter an email like name@example.com"},
    }
    assert bot.seen[0]["state"]["values"]["email"]["email_input"]["value"] == "not-an-email"
    assert (bot.seen[0]["id"], bot.seen[0]["private_metadata"]) == (opened["id"], "lead=7")


def test_events_are_delivered_as_json(bot: Bot, fake_slack: FakeSlack) -> None:
    @bot.app.event("app_home_opened")
    def handle(event: dict[str, Any], client: WebClient) -> None:
        client.views_publish(user_id=event["user"], view={"type": "home", "blocks": []})

    assert bot.sender.event({"type": "app_home_opened", "user": SALES_USER, "tab": "home"}).status_code == 200
    assert fake_slack.wait_for("views.publish")[0].params["user_id"] == SALES_USER


@pytest.mark.parametrize("signing", ["bad", "stale", "none"])
def test_unsigned_badly_signed_and_stale_requests_get_401(bot: Bot, signing: str) -> None:
    @bot.app.event("app_home_opened")
    def handle(event: dict[str, Any]) -> None:
        bot.seen.append(event)

    body = event_body({"type": "app_home_opened", "user": SALES_USER})
    assert (
        bot.sender.post(body, JSON, signing=signing).status_code == 401
    )  # rejected before any listener runs
    assert bot.sender.post(body, JSON, signing="good").status_code == 200
    wait_until(lambda: bot.seen, timeout=5, what="the signed event to be handled")
    assert len(bot.seen) == 1
