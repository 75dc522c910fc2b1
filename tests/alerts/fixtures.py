"""Rigs for alert scenarios (alerts and their listener): the simulator, the fake Slack and a real database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from leadbot.sandbox.service import Sandbox
from tests.alerts.rig import Rig
from tests.fakes.slack import FakeSlack


@pytest.fixture
def rig(sandbox: Sandbox, fake_slack: FakeSlack, sqlite_url: str, tmp_path: Path) -> Iterator[Rig]:
    """On SQLite."""
    made = Rig(sandbox, fake_slack, sqlite_url, tmp_path)
    yield made
    made.close()


@pytest.fixture
def rig_any_db(sandbox: Sandbox, fake_slack: FakeSlack, database_url: str, tmp_path: Path) -> Iterator[Rig]:
    """Once on SQLite, once on PostgreSQL."""
    made = Rig(sandbox, fake_slack, database_url, tmp_path)
    yield made
    made.close()
