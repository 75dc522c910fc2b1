"""Slack listeners, one module per feature, each with its `register(app, deps)`; `register_all` wires them all."""

from __future__ import annotations

from slack_bolt import App

from leadbot.leads.context import Deps
from leadbot.listeners import access, actions, alerts, commands, events, owners, shortcuts, steps, views


def register_all(app: App, deps: Deps) -> None:
    access.register(app, deps)
    commands.register(app, deps)
    actions.register(app, deps)
    views.register(app, deps)
    events.register(app, deps)
    alerts.register(app, deps)
    owners.register(app, deps)
    shortcuts.register(app, deps)
    steps.register(app, deps)
