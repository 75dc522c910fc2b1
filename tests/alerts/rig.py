"""A test rig for alerts: the simulator, the fake Slack and a database, and services built on them."""

from __future__ import annotations

import collections
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from leadbot import ids
from leadbot.alerts import AlertService, SenderTuning, Tuning
from leadbot.deps import Root
from leadbot.heatpunk import HeatpunkClient
from leadbot.sandbox.service import Sandbox
from leadbot.settings import Settings, load_settings
from leadbot.store import Store
from tests.fakes.heatpunk_fixtures import TEAM_EMAIL
from tests.fakes.slack import ALERTS_CHANNEL, BOT_TOKEN, SIGNING_SECRET, FakeSlack
from tests.fakes.slack_workspace import Message
from tests.support import local_env, wait_until

ADMIN_CHANNEL = "C0ADMIN"
FAST = Tuning(sender=SenderTuning(min_interval=0.2, retry_base=0.1, retry_max=0.5))
POLL_SECONDS = 0.3  # services in this process poll this often (people are held to 1 s or more)


class Rig:
    """Everything an alert scenario needs; `close()` stops what it started."""

    def __init__(self, sandbox: Sandbox, slack: FakeSlack, database_url: str, workdir: Path) -> None:
        self.sandbox, self.slack, self.database_url, self.workdir = sandbox, slack, database_url, workdir
        slack.grant("channels:history")
        slack.add_channel(ADMIN_CHANNEL, "leadbot-admin")
        self._services: list[AlertService] = []
        self._closers: list[Callable[[], None]] = []
        self.processes: list[PollProcess] = []  # every one started; close() kills any still running

    def settings(self, *, poll_seconds: float = POLL_SECONDS, **overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "slack_bot_token": SecretStr(BOT_TOKEN),
            "slack_signing_secret": SecretStr(SIGNING_SECRET),
            "slack_api_url": self.slack.api_url,
            "heatpunk_api_key": SecretStr(self.sandbox.api_key),
            "heatpunk_base_url": self.sandbox.base_url,
            "heatpunk_timeout_seconds": 2.0,
            "leadbot_alert_channel": ALERTS_CHANNEL,
            "leadbot_admin_channel": ADMIN_CHANNEL,
            "leadbot_poll_email": TEAM_EMAIL,
            "leadbot_poll_seconds": 1.0,
            "leadbot_health_after": 3,
            "database_url": self.database_url,
        }
        settings = load_settings(env_file=None, **(values | overrides))
        return settings.model_copy(update={"leadbot_poll_seconds": poll_seconds})

    def root(self, settings: Settings | None = None, *, tuning: Tuning = FAST, sandbox: bool = False) -> Root:
        """Built exactly as production builds it (closed with the rig); only the retry timings are the test's."""
        root = Root(settings or self.settings(), sandbox=sandbox, tuning=tuning, heatpunk_backoff=0.01)
        self._closers.append(root.close)
        return root

    def service(
        self,
        *,
        settings: Settings | None = None,
        tuning: Tuning = FAST,
        sandbox: bool = False,
        slack_timeout: float = 5,
    ) -> AlertService:
        root = self.root(settings, tuning=tuning, sandbox=sandbox)
        root.alert_slack.timeout = slack_timeout
        service = root.alerts
        self._services.append(service)
        return service

    def store(self) -> Store:
        return self.root().store

    def a_later_poll(self, timeout: float = 20.0) -> None:
        """Waits until a poll cycle (by any instance or process) succeeds after now."""
        store = self.store()
        before = store.poll_state().last_success
        wait_until(lambda: store.poll_state().last_success != before, timeout=timeout, what="a later poll")

    def settled(self, polls: int = 1) -> None:
        """Waits for `polls` more successful polls, then an empty outbox: a repeat would have shown by then."""
        for _ in range(polls):
            self.a_later_poll()
        store = self.store()
        wait_until(lambda: store.unsent_count() == 0, what="the outbox to empty")

    def close(self) -> None:
        for process in self.processes:  # a test that failed half-way leaves none behind
            process.kill()
        for service in self._services:
            service.stop(timeout=10)
        for close in reversed(self._closers):
            close()

    # --- what reached Slack ----------------------------------------------------------------------

    def messages(self, channel: str = ALERTS_CHANNEL) -> list[Message]:
        return list(self.slack.messages(channel))

    def alerts(self, channel: str = ALERTS_CHANNEL) -> list[Message]:
        """Top-level new-lead alerts (cards and digests), by their metadata."""
        return [
            m for m in self.messages(channel) if (m.metadata or {}).get("event_type") == ids.ALERT_EVENT_TYPE
        ]

    def alerted(self, channel: str = ALERTS_CHANNEL) -> collections.Counter[str]:
        """How many times each lead was alerted (a digest counts for each lead in it)."""
        counts: collections.Counter[str] = collections.Counter()
        for message in self.alerts(channel):
            payload = (message.metadata or {}).get("event_payload") or {}
            counts.update(payload.get("lead_ids") or [payload.get("lead_id")])
        return counts

    def notices(self, channel: str = ALERTS_CHANNEL) -> list[Message]:
        note = ids.ALERT_NOTE_EVENT_TYPE
        return [
            m
            for m in self.messages(channel)
            if (m.metadata or {}).get("event_type") == note and not m.thread_ts
        ]

    def card_of(self, lead_id: str) -> Message:
        return next(m for m in self.alerts() if (m.metadata or {})["event_payload"].get("lead_id") == lead_id)

    def replies(self, parent: Message) -> list[Message]:
        return [m for m in self.messages(parent.channel) if m.thread_ts == parent.ts and m.ts != parent.ts]

    def heatpunk(self) -> HeatpunkClient:
        return self.root().heatpunk


class PollProcess:
    """`python -m leadbot poll` (or `poll --once`) as a real process, configured by environment only."""

    def __init__(self, rig: Rig, name: str, **settings: str) -> None:
        self.log_path = rig.workdir / f"{name}.log"
        self.settings_env = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_API_URL": rig.slack.api_url,
            "HEATPUNK_API_KEY": rig.sandbox.api_key,
            "HEATPUNK_BASE_URL": rig.sandbox.base_url,
            "HEATPUNK_TIMEOUT_SECONDS": "5",
            "LEADBOT_ALERT_CHANNEL": ALERTS_CHANNEL,
            "LEADBOT_ADMIN_CHANNEL": ADMIN_CHANNEL,
            "LEADBOT_POLL_EMAIL": TEAM_EMAIL,
            "LEADBOT_POLL_SECONDS": "1",
            "DATABASE_URL": rig.database_url,
            "LEADBOT_LOG_LEVEL": "DEBUG",
            **settings,
        }
        self.env, self.workdir = local_env() | self.settings_env, rig.workdir
        self.process: subprocess.Popen[bytes] | None = None
        rig.processes.append(self)

    def start(self, *args: str) -> PollProcess:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "leadbot", "poll", *args],
                cwd=self.workdir,
                env=self.env,
                stdout=log,
                stderr=log,
            )
        return self

    def run(self, *args: str, timeout: float = 60.0) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "leadbot", "poll", *args],
            cwd=self.workdir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def kill(self) -> None:
        """kill -9: no chance to finish anything."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def terminate(self, timeout: float = 30.0) -> int | None:
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                return self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        return self.process.returncode

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
