"""/healthz tells the truth about alerts: not ok (503, in words) while polls fail or an alert is stuck."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from leadbot.runtime import Runtime
from leadbot.settings import Settings
from tests.alerts.rig import Rig
from tests.fakes.slack import ALERTS_CHANNEL, SIGNING_SECRET
from tests.support import free_port, wait_until


@pytest.fixture
def runtime(rig: Rig) -> Iterator[Runtime]:
    settings: Settings = rig.settings(slack_signing_secret=SIGNING_SECRET, host="127.0.0.1", port=free_port())
    started = Runtime(settings)
    started.start()
    yield started
    started.stop()


def healthz(runtime: Runtime) -> httpx.Response:
    assert runtime.server is not None
    return httpx.get(f"http://127.0.0.1:{runtime.server.port}/healthz", timeout=5, trust_env=False)


def answered(runtime: Runtime, status: int) -> httpx.Response | None:
    response = healthz(runtime)
    return response if response.status_code == status else None


def saying(runtime: Runtime, words: str) -> httpx.Response | None:
    """The /healthz answer once one of its problems says `words`."""
    response = healthz(runtime)
    return response if words in " ".join(response.json().get("problems", [])) else None


def test_healthz_is_503_in_words_while_polls_keep_failing(rig: Rig, runtime: Runtime) -> None:
    wait_until(lambda: healthz(runtime).json().get("last_successful_poll"), what="a first poll")
    assert healthz(runtime).status_code == 200
    key = rig.sandbox.api_key
    rig.sandbox.api_key = "a-key-heatpunk-no-longer-accepts"
    failing = wait_until(
        lambda: saying(runtime, "rejected leadbot's API key"), what="healthz to name the cause"
    )
    assert failing.status_code == 503
    assert failing.json()["ok"] is False
    rig.sandbox.api_key = key
    wait_until(lambda: answered(runtime, 200), what="healthz to recover")


def test_healthz_is_503_while_an_alert_is_stuck(rig: Rig, runtime: Runtime) -> None:
    wait_until(rig.notices, what="the first-run line posted")  # else it, not the lead, is what gets stuck
    rig.slack.revoke_scope("chat:write.public")
    rig.slack.channels[ALERTS_CHANNEL].is_member = False
    lead_id = rig.sandbox.add_lead()
    stuck = wait_until(lambda: saying(runtime, f"lead {lead_id}"), what="healthz to say an alert is stuck")
    assert stuck.status_code == 503
    rig.slack.channels[ALERTS_CHANNEL].is_member = True
    wait_until(lambda: answered(runtime, 200), what="healthz to recover")
