"""Fixtures for the fake Slack: a started Web API with a default channel and user, and a Socket Mode endpoint."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.slack import (
    FakeSlack,
)
from tests.fakes.socket_mode import FakeSocketMode

__all__ = ["PROXY_VARIABLES", "fake_slack", "socket_mode"]

# slack-sdk reads these and ignores NO_PROXY: left set, they would send 127.0.0.1 traffic to a proxy.
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


@pytest.fixture
def fake_slack(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSlack]:
    """A started FakeSlack: bot and app tokens, #leads-alerts (C0ALERTS) and U0SALES1 with an email."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with FakeSlack.usual() as fake:
        yield fake


@pytest.fixture
def socket_mode(fake_slack: FakeSlack) -> Iterator[FakeSocketMode]:
    """A started FakeSocketMode that fake_slack's apps.connections.open points to."""
    with FakeSocketMode(fake_slack) as endpoint:
        yield endpoint
