"""leadbot's parts for tests, built by the production composition root on the local fakes (127.0.0.1)."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import App

from leadbot.app import create_app
from leadbot.deps import Root
from leadbot.settings import Settings

TEST_BACKOFF = 0.01  # the Heatpunk client's retry backoff: tests that fail on purpose need not wait


def make_root(settings: Settings, closers: list[Callable[[], None]]) -> Root:
    """A Root exactly as production builds it, but for a short Heatpunk backoff; `closers` closes it."""
    root = Root(settings, heatpunk_backoff=TEST_BACKOFF)
    closers.append(root.close)
    return root


def make_app(root: Root) -> App:
    """The Bolt app as `leadbot run` builds it (HTTP mode: signatures checked)."""
    return create_app(root.deps, listener_executor=root.listener_pool, egress=root.egress)
