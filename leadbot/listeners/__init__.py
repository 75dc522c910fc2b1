"""Slack listeners, grouped by feature; `register_all` wires every group onto an app."""

from __future__ import annotations

from slack_bolt import App
from slack_sdk import WebClient

from leadbot.deps import Deps
from leadbot.listeners import access, actions, alerts, commands, events, views
from leadbot.listeners.runner import CommandRunner


def register_all(app: App, deps: Deps, client: WebClient) -> None:
    runner = CommandRunner(deps, client)
    access.register(app, deps.settings, deps.work, deps.responder)
    commands.register(app, runner)
    actions.register(app, runner)
    views.register(app, runner)
    events.register(app, runner)
    alerts.register(app, runner)
