"""The long-running process: HTTP or Socket Mode, the poller beside it, and a clean stop on SIGTERM / SIGINT."""

from __future__ import annotations

import logging
import threading
from typing import Any

from pydantic import SecretStr
from slack_bolt.adapter.socket_mode import SocketModeHandler

from leadbot.alerts.service import AlertService, start_alerts
from leadbot.app import build_deps, create_app
from leadbot.deps import Deps
from leadbot.process.http import HttpServer, WsgiApp
from leadbot.process.signals import stopped_by_signals
from leadbot.sandbox.service import Sandbox
from leadbot.settings import Settings
from leadbot.slack.client import build_slack_client
from leadbot.store import Store

logger = logging.getLogger(__name__)

SANDBOX_POLL_EMAIL = "sandbox@leadbot.invalid"
SANDBOX_NEW_LEAD_SECONDS = 180.0


def start_sandbox(settings: Settings) -> tuple[Settings, Sandbox]:
    """Runs the simulator in this process and points the settings at it (any Slack user may use it)."""
    sandbox = Sandbox(
        team={SANDBOX_POLL_EMAIL: "owner"}, seed_leads=40, days=30, new_lead_every=SANDBOX_NEW_LEAD_SECONDS
    )
    sandbox.open_team = True
    sandbox.start()
    sandboxed = settings.model_copy(
        update={
            "heatpunk_api_key": SecretStr(sandbox.api_key),
            "heatpunk_base_url": sandbox.base_url,
            "leadbot_poll_email": settings.leadbot_poll_email or SANDBOX_POLL_EMAIL,
        }
    )
    logger.info("SANDBOX: simulated Heatpunk API at %s", sandbox.base_url)
    return sandboxed, sandbox


class Runtime:
    """Starts and stops everything `leadbot run` serves; `stop()` loses nothing in flight."""

    def __init__(self, settings: Settings, *, sandbox: bool = False) -> None:
        self.sandbox: Sandbox | None = None
        if sandbox:
            settings, self.sandbox = start_sandbox(settings)
        self.settings = settings
        self.store = Store.open(settings.database_url)
        self.slack = build_slack_client(settings, sandbox=sandbox)
        self.deps: Deps = build_deps(settings, self.slack, self.store, sandbox=sandbox)
        self.app = create_app(settings, self.deps, self.slack, sandbox=sandbox)
        self.alerts: AlertService | None = None
        self.socket: SocketModeHandler | None = None
        self.server: HttpServer | None = None
        self.stopped = threading.Event()

    def health(self) -> dict[str, Any]:
        """What /healthz reports: the transport, the socket connection, the last successful poll."""
        report: dict[str, Any] = {"ok": True, "mode": "socket" if self.socket else "http"}
        if self.sandbox is not None:
            report["sandbox"] = True
        if self.socket is not None:
            connected = bool(self.socket.client.is_connected())
            report.update(ok=connected, socket_connected=connected)
        if self.alerts is not None:
            last = self.alerts.last_success()
            report["last_successful_poll"] = last.isoformat() if last else None
        return report

    def start(self) -> None:
        self.alerts = start_alerts(self.settings, self.deps, self.slack)  # None when alerts are off
        wsgi = WsgiApp(None if self.settings.socket_mode else self.app, self.health)
        self.server = HttpServer(wsgi, host=self.settings.host, port=self.settings.port)
        if self.settings.socket_mode and self.settings.slack_app_token is not None:
            self.socket = SocketModeHandler(self.app, self.settings.slack_app_token.get_secret_value())
            self.socket.client.connect()
        self.server.start()
        mode = "Socket Mode" if self.socket else "HTTP"
        logger.info("leadbot is running (%s) on port %s", mode, self.server.port)

    def stop(self) -> None:
        """Stops taking requests, finishes what is in flight, stops the poller, closes the store."""
        if self.stopped.is_set():
            return
        self.stopped.set()
        logger.info("leadbot is stopping")
        if self.socket is not None:
            self.socket.client.disconnect()
        if self.server is not None:
            self.server.stop()
        self.deps.work.shutdown(wait=True)
        if self.alerts is not None:
            self.alerts.stop(timeout=30)
        self.store.close()
        if self.sandbox is not None:
            self.sandbox.stop()
        logger.info("leadbot stopped")

    def run_until_signalled(self) -> None:
        """Serves until SIGTERM or SIGINT, then stops cleanly."""
        wake = threading.Event()
        with stopped_by_signals(wake):  # a second signal while stopping is absorbed too
            self.start()
            wake.wait()
            self.stop()
