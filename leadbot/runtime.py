"""The long-running process: HTTP or Socket Mode, the poller beside it, and a clean stop on SIGTERM / SIGINT."""

from __future__ import annotations

import gc
import logging
import threading
from typing import Any

from slack_bolt.adapter.socket_mode import SocketModeHandler

from leadbot import texts
from leadbot.alerts.service import AlertService
from leadbot.app import create_app
from leadbot.deps import Root
from leadbot.leads.context import Deps
from leadbot.process.http import HttpServer, SlackEndpoint, SlackGate, WsgiApp
from leadbot.process.signals import stopped_by_signals
from leadbot.settings import Settings

logger = logging.getLogger(__name__)


def freeze_startup_objects() -> None:
    """Moves everything built at startup (modules, the app, its clients: ~100k objects) out of the garbage
    collector's sight: a full collection walked them all, 60 ms in which no ack went out (issue 10)."""
    gc.collect()
    gc.freeze()


class Runtime:
    """Starts and stops everything `leadbot run` serves; `stop()` loses nothing in flight."""

    def __init__(self, settings: Settings, *, sandbox: bool = False) -> None:
        self.root = Root.with_simulator(settings) if sandbox else Root(settings)
        try:
            self.settings = self.root.settings  # with the sandbox: pointed at the simulator
            self.sandbox = self.root.simulator
            self.deps: Deps = self.root.deps
            self.app = create_app(
                self.deps,
                listener_executor=self.root.listener_pool,
                egress=self.root.egress,
                acks_first=self.root.acks_first,
            )
        except BaseException:
            self.root.close()
            raise
        self.alerts: AlertService | None = None
        self.socket: SocketModeHandler | None = None
        self.server: HttpServer | None = None
        self.stopped = threading.Event()

    def health(self) -> dict[str, Any]:
        """What /healthz reports: the transport, the socket connection, the last successful poll, and (not ok,
        so 503) what keeps alerts from working: failing or hung polls, a stuck alert; a set-aside alert is a warning."""
        report: dict[str, Any] = {"ok": True, "mode": "socket" if self.socket else "http"}
        if self.sandbox is not None:
            report["sandbox"] = True
        if self.socket is not None:
            connected = bool(self.socket.client.is_connected())
            report.update(ok=connected, socket_connected=connected)
        if self.alerts is not None:
            try:
                last = self.alerts.last_success()
                report["last_successful_poll"] = last.isoformat() if last else None
                problems = self.alerts.health_problems()
                warnings = self.alerts.health_warnings()
            except Exception as error:
                logger.exception("Failed to check the alerts' health")
                problems = [texts.HEALTHZ_NO_STORE.format(detail=type(error).__name__)]
                warnings = []
            if problems:
                report.update(ok=False, problems=problems)
            if warnings:
                report["warnings"] = warnings
        return report

    def slack_endpoint(self) -> SlackEndpoint | None:
        """/slack/events in HTTP mode (behind the size and signature gate); none in Socket Mode."""
        secret = self.settings.slack_signing_secret
        if self.settings.socket_mode or secret is None:
            return None
        gate = SlackGate(secret.get_secret_value(), max_body_bytes=self.settings.leadbot_max_request_bytes)
        return SlackEndpoint(self.app, gate)

    def start(self) -> None:
        if self.settings.leadbot_poller == "on" and self.settings.alerts_enabled:
            self.alerts = self.root.alerts
            self.alerts.start()
        else:
            logger.info("New-lead alerts are off (LEADBOT_POLLER=off or no LEADBOT_ALERT_CHANNEL)")
        limit = self.settings.leadbot_max_request_bytes
        self.server = HttpServer(
            WsgiApp(self.slack_endpoint(), self.health),
            host=self.settings.host,
            port=self.settings.port,
            max_body_bytes=limit,
        )
        if self.settings.socket_mode and self.settings.slack_app_token is not None:
            self.socket = SocketModeHandler(self.app, self.settings.slack_app_token.get_secret_value())
            self.socket.client.connect()
        self.server.start()
        mode = "Socket Mode" if self.socket else "HTTP"
        logger.info("leadbot is running (%s) on port %s", mode, self.server.port)

    def stop(self) -> None:
        """Stops taking requests, then closes the root: work in flight finishes, the poller stops, the store
        and the Heatpunk client close (and the simulator stops, in sandbox mode)."""
        if self.stopped.is_set():
            return
        self.stopped.set()
        logger.info("leadbot is stopping")
        if self.socket is not None:
            self.socket.client.disconnect()
        if self.server is not None:
            self.server.stop()
        self.root.close()
        logger.info("leadbot stopped")

    def run_until_signalled(self) -> None:
        """Serves until SIGTERM or SIGINT, then stops cleanly."""
        wake = threading.Event()
        with stopped_by_signals(wake):  # a second signal while stopping is absorbed too
            self.start()
            self.root.work.prestart()
            freeze_startup_objects()  # the process's own run only: tests start many runtimes in one process
            wake.wait()
            self.stop()
