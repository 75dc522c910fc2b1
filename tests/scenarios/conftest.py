"""One real leadbot process per test module, with its own fake Slack and simulator (all on 127.0.0.1)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from leadbot.sandbox.service import Sandbox
from tests.fakes.heatpunk_fixtures import SANDBOX_KEY
from tests.fakes.slack import SALES_EMAIL, FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.scenarios.harness import LeadbotProcess

ADMIN_USER = "U0ADMIN1"
ADMIN_EMAIL = "admin@example.co.uk"
STANDARD_USER = "U0STAND1"
STANDARD_EMAIL = "standard@example.co.uk"
HIDDEN_USER = "U0HIDDEN"
BOT_USER = "U0BOT001"
GUEST_USER = "U0GUEST1"
OUTSIDER_USER = "U0OUTSDR"
OUTSIDER_EMAIL = "outsider@example.com"
TEAM = {SALES_EMAIL: "admin", ADMIN_EMAIL: "owner", STANDARD_EMAIL: "standard"}


def build_world(workdir: Path, **settings: str) -> tuple[FakeSlack, Sandbox, LeadbotProcess]:
    fake = FakeSlack.usual().start()
    fake.add_channel("C0SALES", "sales")
    fake.add_user(ADMIN_USER, ADMIN_EMAIL, name="admin")
    fake.add_user(STANDARD_USER, STANDARD_EMAIL, name="standard")
    fake.add_user(HIDDEN_USER, None, name="hidden")
    fake.add_user(BOT_USER, None, name="robot", is_bot=True)
    fake.add_user(GUEST_USER, None, name="guest", is_restricted=True)
    fake.add_user(OUTSIDER_USER, OUTSIDER_EMAIL, name="outsider")
    sandbox = Sandbox(api_key=SANDBOX_KEY, team=TEAM, seed_leads=60, days=60).start()
    process = LeadbotProcess(fake, sandbox, workdir, LEADBOT_ADMINS=ADMIN_USER, **settings)
    try:
        process.start()
    except Exception:
        fake.stop()
        sandbox.stop()
        raise
    return fake, sandbox, process


class World:
    """The fakes and the process, plus a sender that signs requests as Slack does."""

    def __init__(self, fake: FakeSlack, sandbox: Sandbox, process: LeadbotProcess) -> None:
        self.fake, self.sandbox, self.process = fake, sandbox, process
        self.slack = process.sender(fake)

    def reset(self) -> None:
        self.fake.clear()
        self.sandbox.clear_faults()
        self.sandbox.clear_requests()
        self.sandbox.latency = 0.0


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[World]:
    settings = getattr(request.module, "LEADBOT_SETTINGS", {})
    fake, sandbox, process = build_world(tmp_path_factory.mktemp("leadbot"), **settings)
    built = World(fake, sandbox, process)
    try:
        yield built
    finally:
        built.slack.close()
        code = process.stop()
        fake.stop()
        sandbox.stop()
        log = process.log()
        assert "Traceback" not in log, log
        assert code == 0, log


@pytest.fixture
def slack(world: World) -> SlackSender:
    world.reset()
    return world.slack
