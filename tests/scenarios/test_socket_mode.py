"""Socket Mode end to end: leadbot (built in this process) connects to a fake Socket Mode endpoint and acks
envelopes. (The same as a real process: tests/scenarios/test_as_a_process.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from leadbot import ids, texts
from leadbot.sandbox.service import Sandbox
from tests.fakes.heatpunk_fixtures import SANDBOX_KEY
from tests.fakes.slack import APP_TOKEN, FakeSlack
from tests.fakes.slack_requests import form_state
from tests.fakes.socket_mode import FakeSocketMode
from tests.scenarios.conftest import TEAM
from tests.scenarios.harness import (
    Leadbot,
    LogRecords,
    blocks_text,
    leadbot_settings,
    start_leadbot,
)


class SocketWorld:
    def __init__(self, fake: FakeSlack, socket: FakeSocketMode, sandbox: Sandbox, leadbot: Leadbot) -> None:
        self.fake, self.socket, self.sandbox, self.leadbot = fake, socket, sandbox, leadbot


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SocketWorld]:
    fake = FakeSlack.usual().start()
    socket = FakeSocketMode(fake).start()
    sandbox = Sandbox(api_key=SANDBOX_KEY, team=TEAM, seed_leads=30, days=30).start()
    workdir = Path(tmp_path_factory.mktemp("socket"))
    settings = leadbot_settings(fake, sandbox, workdir, SLACK_APP_TOKEN=APP_TOKEN, SLACK_SIGNING_SECRET=None)
    with LogRecords() as logs:
        try:
            leadbot = start_leadbot(settings)
            yield SocketWorld(fake, socket, sandbox, leadbot)
            leadbot.stop(hang_up=socket.close_connections)
        finally:
            socket.stop()
            fake.stop()
            sandbox.stop()
    assert not logs.tracebacks(), logs.tracebacks()


def test_health_reports_the_socket_connection(world: SocketWorld) -> None:
    report = httpx.get(f"{world.leadbot.url}/healthz", trust_env=False).json()
    assert report["mode"] == "socket"
    assert report["socket_connected"] is True


def test_no_http_endpoint_for_slack_in_socket_mode(world: SocketWorld) -> None:
    assert httpx.post(f"{world.leadbot.url}/slack/events", trust_env=False).status_code == 404


def test_a_slash_command_is_acked_and_answered(world: SocketWorld) -> None:
    envelope = world.socket.slash_command("list 30d")
    ack = world.socket.wait_for_ack(envelope)
    assert ack.elapsed < 3
    [post] = world.fake.wait_for_response(timeout=10)
    assert "since" in blocks_text(post.body)


def test_usage_comes_back_in_the_ack(world: SocketWorld) -> None:
    ack = world.socket.wait_for_ack(world.socket.slash_command("shwo 1"))
    assert "Did you mean `/leads show`?" in blocks_text(ack.payload or {})


def test_a_button_is_acked_and_acted_on(world: SocketWorld) -> None:
    lead_id = world.sandbox.add_lead(customerName="Socket Person")
    world.fake.clear()
    world.socket.wait_for_ack(world.socket.block_action(ids.OPEN_LEAD, lead_id))
    world.fake.wait_for_response(lambda r: "Socket Person" in blocks_text(r.body), timeout=10)


def test_a_view_submission_gets_its_errors_in_the_ack(world: SocketWorld) -> None:
    values = form_state(**{ids.NAME_INPUT: "No Contact"})
    ack = world.socket.wait_for_ack(world.socket.view_submission(ids.CREATE_VIEW, values))
    assert ack.payload == {"response_action": "errors", "errors": {ids.EMAIL_INPUT: texts.NEED_CONTACT}}


def test_after_a_disconnect_it_reconnects_and_keeps_working(world: SocketWorld) -> None:
    before = world.socket.connection_count
    world.socket.disconnect()
    world.socket.wait_for_connection(count=before + 1, timeout=20)
    ack = world.socket.wait_for_ack(world.socket.slash_command("help"), timeout=10)
    assert "/leads list" in blocks_text(ack.payload or {})
