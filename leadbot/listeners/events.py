"""Events: the App Home tab, published when someone opens it (Slack's redeliveries are ignored)."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk.errors import SlackApiError

from leadbot import ids
from leadbot.alerts.cards import timing_of
from leadbot.alerts.worklist import worklist
from leadbot.blocks.home import build_home
from leadbot.leads.context import Deps
from leadbot.listeners.replies import invocation_from
from leadbot.listeners.views import open_create_form
from leadbot.slack.client import slack_error_code

logger = logging.getLogger(__name__)
SEEN_EVENTS = 1000


class SeenEvents:
    """The last event IDs handled, so a retried delivery does the work once."""

    def __init__(self, size: int = SEEN_EVENTS) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def first_time(self, event_id: str | None) -> bool:
        if not event_id:
            return True
        with self._lock:
            if event_id in self._ids:
                return False
            self._ids[event_id] = None
            while len(self._ids) > self._size:
                self._ids.popitem(last=False)
            return True


def handle_home_opened(body: dict[str, Any], event: dict[str, Any], seen: SeenEvents, deps: Deps) -> None:
    """Publishes the Home tab when someone opens it (once per event, however often Slack delivers it)."""
    user_id = event.get("user")
    if not isinstance(user_id, str) or not user_id:
        logger.info("app_home_opened without a user: nothing to publish")
        return
    if event.get("tab") not in (None, "home") or not seen.first_time(body.get("event_id")):
        return
    publish_home(deps, user_id)


def publish_home(deps: Deps, user_id: str) -> None:
    """Publishes the person's Home tab as things are now: waiting leads, their own, New lead, help."""
    try:
        work = worklist(deps.store, user_id, timing_of(deps.settings, deps.clock()))
        view = build_home(work.waiting, work.mine, more_waiting=work.more_waiting, more_mine=work.more_mine)
        deps.slack.views_publish(user_id=user_id, view=view)
    except SlackApiError as error:
        logger.warning("views.publish failed: %s", slack_error_code(error))


def handle_new_lead(ack: Ack, body: dict[str, Any], deps: Deps) -> None:
    """The Home tab's New lead button: the create modal, at once."""
    ack()
    open_create_form(invocation_from(body), deps)


def register(app: App, deps: Deps) -> None:
    """The Home tab and its New lead button."""
    app.event("app_home_opened")(partial(handle_home_opened, seen=SeenEvents(), deps=deps))
    app.action(ids.NEW_LEAD)(partial(handle_new_lead, deps=deps))
