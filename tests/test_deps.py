"""The composition root: each part built once, shared by everything that uses it, and closed by `close()`."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler

from leadbot import deps as deps_module
from leadbot.deps import Root
from leadbot.runtime import Runtime
from leadbot.settings import Settings, SettingsError
from leadbot.slack.egress import LeadbotWebClient
from leadbot.store import Store
from tests.alerts.rig import Rig
from tests.fakes.heatpunk_fixtures import TEAM_EMAIL
from tests.fakes.slack import SIGNING_SECRET
from tests.support import free_port


@pytest.fixture
def settings(rig: Rig) -> Settings:
    """The alert rig's settings (the fake Slack, the simulator, an SQLite file), for HTTP mode on a free port."""
    return rig.settings(slack_signing_secret=SIGNING_SECRET, host="127.0.0.1", port=free_port())


def counted(
    monkeypatch: pytest.MonkeyPatch, calls: Counter[str], name: str, real: Callable[..., Any]
) -> None:
    """Counts calls to one of the root's builders; the real builder still does the work."""

    def builder(*args: Any, **kwargs: Any) -> Any:
        calls[name] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(deps_module, name, builder)


def alert_threads() -> set[str]:
    return {thread.name for thread in threading.enumerate() if thread.name.startswith("leadbot-")} & {
        "leadbot-poller",
        "leadbot-sender",
        "leadbot-lease",
    }


def wal_of(database_url: str) -> Path:
    return Path(database_url.removeprefix("sqlite:///") + "-wal")


def test_each_part_is_built_once_and_shared(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: Counter[str] = Counter()
    counted(monkeypatch, calls, "build_http_client", deps_module.build_http_client)
    counted(monkeypatch, calls, "build_slack_client", deps_module.build_slack_client)
    root = Root(settings)
    try:
        listeners, service = root.deps, root.alerts
        assert (listeners.heatpunk, listeners.store, listeners.slack) == (
            root.heatpunk,
            root.store,
            root.slack,
        )
        assert (listeners.identity, listeners.work, listeners.responder) == (
            root.identity,
            root.work,
            root.responder,
        )
        assert service is root.alerts
        assert root.alert_slack is root.alert_slack
        server_retries = [
            [isinstance(handler, ServerErrorRetryHandler) for handler in client.retry_handlers]
            for client in (root.slack, root.alert_slack)
        ]
        assert any(server_retries[0])
        assert not any(server_retries[1])  # the alert sender checks history instead of a blind retry
        assert root.listener_pool is root.listener_pool
        assert service.run_once().ok
        # the same client, still open (a month back: just after midnight UTC today may have no leads yet)
        assert root.deps.heatpunk.fetch(TEAM_EMAIL, date.today() - timedelta(days=30))
    finally:
        root.close()
    assert calls == {
        "build_http_client": 1,
        "build_slack_client": 2,
    }  # listeners' client and the alert sender's


def test_close_closes_the_http_client_the_store_and_the_pools(settings: Settings) -> None:
    root = Root(settings)
    root.deps.heatpunk.fetch(TEAM_EMAIL, date.today())
    assert root.store.is_current()
    root.alerts.start()
    root.listener_pool.submit(print, end="")
    assert alert_threads() == {"leadbot-poller", "leadbot-sender", "leadbot-lease"}
    assert not root.http.is_closed
    assert wal_of(settings.database_url).exists()  # SQLite keeps its write-ahead log while connected

    root.close()

    assert root.http.is_closed
    assert not wal_of(settings.database_url).exists()  # the last connection closed: SQLite removed it
    with pytest.raises(RuntimeError):
        root.work.submit(print)
    with pytest.raises(RuntimeError):
        root.listener_pool.submit(print)
    assert not alert_threads()
    root.close()  # a second close does nothing


def test_only_what_is_used_is_built(settings: Settings) -> None:
    root = Root(settings.model_copy(update={"heatpunk_api_key": None}))
    root.slack.auth_test()
    root.close()
    assert "http" not in vars(root)  # no httpx client was made, so none was left open
    assert "store" not in vars(root)
    with pytest.raises(RuntimeError, match="closed"):
        root.store  # noqa: B018 - nor is anything opened once closed
    with pytest.raises(SettingsError, match="HEATPUNK_API_KEY is missing"):
        Root(settings.model_copy(update={"heatpunk_api_key": None})).heatpunk  # noqa: B018


def test_alerts_need_their_settings(settings: Settings) -> None:
    root = Root(settings.model_copy(update={"leadbot_alert_channel": None}))
    with pytest.raises(SettingsError, match="LEADBOT_ALERT_CHANNEL is missing"):
        root.alerts  # noqa: B018
    root.close()


def test_the_simulator_root_points_at_it_marks_and_stops_it(settings: Settings) -> None:
    root = Root.with_simulator(settings.model_copy(update={"heatpunk_api_key": None}))
    simulator = root.simulator
    assert simulator is not None
    base_url = simulator.base_url
    assert root.settings.heatpunk_base_url == base_url
    assert root.settings.heatpunk_api_key == SecretStr(simulator.api_key)
    assert isinstance(root.slack, LeadbotWebClient)
    assert root.slack.egress.sandbox
    assert root.heatpunk.fetch(TEAM_EMAIL, date.today()) is not None
    root.close()
    with pytest.raises(httpx.ConnectError):
        httpx.post(f"{base_url}/leads/fetch", timeout=2, trust_env=False)


def test_runtime_stop_closes_what_its_root_built(settings: Settings) -> None:
    runtime = Runtime(settings)
    runtime.start()
    runtime.deps.heatpunk.fetch(TEAM_EMAIL, date.today())
    assert runtime.health()["ok"]
    runtime.stop()
    assert runtime.root.http.is_closed
    assert not wal_of(settings.database_url).exists()
    assert isinstance(runtime.root.store, Store)
