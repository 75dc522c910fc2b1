"""A real `leadbot run` process (HTTP mode) pointed at the fake Slack and the simulator, on 127.0.0.1."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx

from leadbot.sandbox.service import Sandbox
from tests.fakes.slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.support import free_port, local_env


class LeadbotProcess:
    """Starts `python -m leadbot run` with settings from the environment only; stops it with SIGTERM."""

    def __init__(self, fake: FakeSlack, sandbox: Sandbox | None, workdir: Path, **settings: str) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.log_path = workdir / "leadbot.log"
        env = local_env()
        env |= {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": fake.api_url,
            "HEATPUNK_TIMEOUT_SECONDS": "5",
            "DATABASE_URL": f"sqlite:///{workdir / 'leadbot.db'}",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "LEADBOT_LOG_LEVEL": "DEBUG",
            **settings,
        }
        if sandbox is not None:
            env |= {"HEATPUNK_API_KEY": sandbox.api_key, "HEATPUNK_BASE_URL": sandbox.base_url}
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, args: tuple[str, ...] = ("run",), timeout: float = 30.0) -> LeadbotProcess:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "leadbot", *args], cwd=self.workdir, env=self.env, stdout=log, stderr=log
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"leadbot exited with {self.process.returncode}:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1, trust_env=False).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError(f"leadbot did not become healthy:\n{self.log()}")

    def stop(self, timeout: float = 30.0) -> int:
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else 0
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def sender(self, fake: FakeSlack) -> SlackSender:
        return SlackSender(self.url, SIGNING_SECRET, fake)


def run_leadbot(args: tuple[str, ...], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Runs a `leadbot` command to its end with exactly this environment (no .env in `cwd`)."""
    return subprocess.run(
        [sys.executable, "-m", "leadbot", *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=60
    )


def blocks_text(payload: Mapping[str, Any]) -> str:
    """All the text a message or view shows, for assertions."""
    import json

    return json.dumps(payload, ensure_ascii=False)
