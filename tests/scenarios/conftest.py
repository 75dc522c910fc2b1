"""One leadbot per test module, built in this process, with its own fake Slack and simulator (on 127.0.0.1).

A module sets LEADBOT_SETTINGS (environment names) and, for alerts, POLL_SECONDS.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from leadbot.sandbox.service import Sandbox
from tests.fakes.heatpunk_fixtures import SANDBOX_KEY
from tests.fakes.slack import SALES_EMAIL, FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.scenarios.harness import (
    Leadbot,
    LogRecords,
    dispatching_sender,
    leadbot_settings,
    start_leadbot,
)

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


class World:
    """The fakes and leadbot, a sender that signs requests as Slack does, and leadbot's log records."""

    def __init__(self, fake: FakeSlack, sandbox: Sandbox, leadbot: Leadbot, logs: LogRecords) -> None:
        self.fake, self.sandbox, self.leadbot, self.logs = fake, sandbox, leadbot, logs
        self.slack = dispatching_sender(leadbot, fake)

    def reset(self) -> None:
        """Lets the last test's work finish, then forgets what the fakes saw."""
        self.leadbot.settle()
        self.fake.clear()
        self.sandbox.clear_faults()
        self.sandbox.clear_requests()
        self.sandbox.latency = 0.0

    def assert_no_tracebacks(self) -> None:
        found = self.logs.tracebacks()
        assert not found, "\n".join(found)

    def close(self) -> None:
        self.slack.close()
        self.leadbot.stop()
        self.fake.stop()
        self.sandbox.stop()
        self.logs.__exit__()


def build_world(workdir: Path, *, poll_seconds: float | None = None, **settings: str) -> World:
    fake = FakeSlack.usual().start()
    fake.add_channel("C0SALES", "sales")
    fake.add_user(ADMIN_USER, ADMIN_EMAIL, name="admin")
    fake.add_user(STANDARD_USER, STANDARD_EMAIL, name="standard")
    fake.add_user(HIDDEN_USER, None, name="hidden")
    fake.add_user(BOT_USER, None, name="robot", is_bot=True)
    fake.add_user(GUEST_USER, None, name="guest", is_restricted=True)
    fake.add_user(OUTSIDER_USER, OUTSIDER_EMAIL, name="outsider")
    sandbox = Sandbox(api_key=SANDBOX_KEY, team=TEAM, seed_leads=60, days=60).start()
    logs = LogRecords().__enter__()
    try:
        settings = {"LEADBOT_ADMINS": ADMIN_USER, **settings}
        leadbot = start_leadbot(
            leadbot_settings(fake, sandbox, workdir, poll_seconds=poll_seconds, **settings)
        )
    except Exception:
        logs.__exit__()
        fake.stop()
        sandbox.stop()
        raise
    return World(fake, sandbox, leadbot, logs)


@contextmanager
def running_world(workdir: Path, *, poll_seconds: float | None = None, **settings: str) -> Iterator[World]:
    """A world for one test or module; afterwards leadbot has stopped and its log holds no traceback."""
    built = build_world(workdir, poll_seconds=poll_seconds, **settings)
    try:
        yield built
    finally:
        built.close()
    built.assert_no_tracebacks()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[World]:
    with running_world(
        tmp_path_factory.mktemp("leadbot"),
        poll_seconds=getattr(request.module, "POLL_SECONDS", None),
        **getattr(request.module, "LEADBOT_SETTINGS", {}),
    ) as built:
        yield built


@pytest.fixture
def slack(world: World) -> Iterator[SlackSender]:
    world.reset()
    yield world.slack
    world.leadbot.settle()
    world.assert_no_tracebacks()
