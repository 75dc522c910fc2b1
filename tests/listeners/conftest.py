"""Listener tests run leadbot's Bolt app in this process: each request is signed as Slack signs it and goes
through `App.dispatch` (the access check, the ack, the listener); what leadbot sends goes to the fake Slack
and the simulator on 127.0.0.1, and its store is an SQLite file."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from pydantic import SecretStr
from slack_bolt import App, BoltRequest, BoltResponse

from leadbot.leads.context import Deps
from leadbot.sandbox.service import Sandbox
from leadbot.settings import Settings, load_settings
from tests.deps import make_app, make_root
from tests.fakes.slack import ALERTS_CHANNEL, BOT_TOKEN, SALES_EMAIL, SALES_USER, SIGNING_SECRET, FakeSlack
from tests.fakes.slack_requests import block_action_body, sign, slash_command_body

ADMIN_USER = "U0ADMIN1"
DELETER_USER = "U0DELETR"


@dataclass
class Sent:
    """One request dispatched: Bolt's response (the ack) and the response_url leadbot answers on."""

    response: BoltResponse
    response_url: str
    slack: FakeSlack

    def ack_body(self) -> dict[str, Any]:
        assert self.response.status == 200, self.response.body
        return dict(json.loads(self.response.body)) if self.response.body else {}

    def answer(self, timeout: float = 10.0) -> dict[str, Any]:
        """The first message leadbot posted to this request's response_url."""
        [post] = self.slack.wait_for_response(self.response_url, timeout=timeout)
        return post.body


@dataclass
class Bot:
    """leadbot's listeners on a Bolt app, and the dependencies they were given."""

    app: App
    deps: Deps
    slack: FakeSlack
    sandbox: Sandbox

    def dispatch(self, body: bytes) -> BoltResponse:
        headers = dict[str, str | Sequence[str]](sign(body, SIGNING_SECRET))
        return self.app.dispatch(BoltRequest(body=body.decode(), headers=headers))

    def command(self, text: str, *, user: str = SALES_USER, channel: str = ALERTS_CHANNEL) -> Sent:
        url = self.slack.new_response_url()
        body = slash_command_body(
            text, user_id=user, channel_id=channel, response_url=url, trigger_id=self.slack.new_trigger_id()
        )
        return Sent(self.dispatch(body), url, self.slack)

    def click(self, action_id: str, value: str, *, user: str = SALES_USER, **kwargs: Any) -> Sent:
        """A click on a button (or, with action_type=, a menu option) in a message in #leads-alerts."""
        url = self.slack.new_response_url()
        body = block_action_body(
            action_id, value, user_id=user, trigger_id=self.slack.new_trigger_id(), response_url=url, **kwargs
        )
        return Sent(self.dispatch(body), url, self.slack)


def listener_settings(
    fake_slack: FakeSlack, sandbox: Sandbox, database_url: str, **overrides: Any
) -> Settings:
    values: dict[str, Any] = {
        "slack_bot_token": SecretStr(BOT_TOKEN),
        "slack_signing_secret": SecretStr(SIGNING_SECRET),
        "slack_api_url": fake_slack.api_url,
        "heatpunk_api_key": SecretStr(sandbox.api_key),
        "heatpunk_base_url": sandbox.base_url,
        "heatpunk_timeout_seconds": 2.0,
        "database_url": database_url,
        "leadbot_admins": (ADMIN_USER,),
    }
    return load_settings(env_file=None, **(values | overrides))


@pytest.fixture
def build_bot(fake_slack: FakeSlack, sandbox: Sandbox, sqlite_url: str) -> Iterator[Callable[..., Bot]]:
    """Builds Bots on the same fakes and database; keywords override settings. All are closed afterwards."""
    closers: list[Callable[[], None]] = []

    def build(settings: Settings | None = None, **overrides: Any) -> Bot:
        settings = settings or listener_settings(fake_slack, sandbox, sqlite_url, **overrides)
        root = make_root(settings, closers)
        return Bot(make_app(root), root.deps, fake_slack, sandbox)

    yield build
    for close in reversed(closers):
        close()


@pytest.fixture
def bot(build_bot: Callable[..., Bot], sandbox: Sandbox, fake_slack: FakeSlack) -> Bot:
    """The sales user (an admin in the simulator's team, so they see every lead), an admin and a deleter."""
    sandbox.set_team({SALES_EMAIL: "admin", "admin@example.co.uk": "owner"})
    fake_slack.add_user(ADMIN_USER, "admin@example.co.uk", name="admin")
    fake_slack.add_user(DELETER_USER, SALES_EMAIL, name="deleter")
    return build_bot(leadbot_deleters=(DELETER_USER,))
