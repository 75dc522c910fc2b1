"""Fixtures for the Heatpunk API simulator: a started sandbox per test, and a client pointed at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pydantic import SecretStr

from leadbot.heatpunk import HeatpunkClient, build_http_client
from leadbot.sandbox.service import ADMIN_EMAIL, OWNER_EMAIL, STANDARD_EMAIL, Sandbox

__all__ = [
    "ADMIN_EMAIL",
    "CLIENT_TIMEOUT_SECONDS",
    "OUTSIDER_EMAIL",
    "OWNER_EMAIL",
    "SANDBOX_KEY",
    "SEED_LEADS",
    "STANDARD_EMAIL",
    "TEAM_EMAIL",
    "heatpunk_client",
    "make_sandbox",
    "sandbox",
]

SANDBOX_KEY = "hp-sandbox-test-key-7c41d9e2"  # distinctive, so a test can search logs and errors for it
TEAM_EMAIL = OWNER_EMAIL  # the docs' example email; an owner, so it sees every lead
OUTSIDER_EMAIL = "not.on.the.team@example.com"
SEED_LEADS = 100  # IDs 1001-1100, oldest first, over the last 90 days
CLIENT_TIMEOUT_SECONDS = 1.0  # ample for the simulator on 127.0.0.1, even on a loaded machine


@pytest.fixture
def make_sandbox() -> Iterator[Callable[..., Sandbox]]:
    """Starts sandboxes with any Sandbox(...) options (key: SANDBOX_KEY) on a free port, or on `port=`;
    all are stopped after the test."""
    started: list[Sandbox] = []

    def make(*, port: int = 0, **options: Any) -> Sandbox:
        options.setdefault("api_key", SANDBOX_KEY)
        options.setdefault("seed_leads", SEED_LEADS)
        sandbox = Sandbox(**options).start(port=port)
        started.append(sandbox)
        return sandbox

    yield make
    for sandbox in started:
        sandbox.stop()


@pytest.fixture
def sandbox(make_sandbox: Callable[..., Sandbox]) -> Sandbox:
    """A started sandbox on 127.0.0.1 (free port): 100 seeded leads, owner, admin and standard members."""
    return make_sandbox()


@pytest.fixture
def heatpunk_client(sandbox: Sandbox) -> Iterator[HeatpunkClient]:
    """The real client on the sandbox, with a 1 s timeout and near-zero backoff so failure tests are quick."""
    http = build_http_client(timeout_seconds=CLIENT_TIMEOUT_SECONDS)
    try:
        yield HeatpunkClient(http, sandbox.base_url, SecretStr(sandbox.api_key), backoff_seconds=0.01)
    finally:
        http.close()
