"""Events: the App Home tab, published when someone opens it (Slack's redeliveries are ignored)."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import partial
from typing import Any

from slack_bolt import Ack, App

from leadbot import ids, texts
from leadbot.alerts.worklist import HomePublisher
from leadbot.heatpunk import Lead
from leadbot.leads import commands
from leadbot.leads.commands import Asker
from leadbot.leads.context import Deps
from leadbot.leads.grammar import FindLeads
from leadbot.listeners.replies import invocation_from, run_as_user
from leadbot.listeners.views import open_create_form

logger = logging.getLogger(__name__)

MIN_SEARCH = 2  # as /leads find
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


def publish_home(
    deps: Deps,
    user_id: str,
    *,
    search: str | None = None,
    found: Sequence[Lead] = (),
    problem: str | None = None,
) -> None:
    """Publishes the person's Home tab as things are now (with their search's results when they searched)."""
    home = HomePublisher(deps.store, deps.slack, deps.settings, deps.clock)
    home.publish(user_id, search=search, found=found, problem=problem)


def handle_new_lead(ack: Ack, body: dict[str, Any], deps: Deps) -> None:
    """The Home tab's New lead button: the create modal, at once."""
    ack()
    open_create_form(invocation_from(body), deps)


def handle_home_search(ack: Ack, body: dict[str, Any], action: dict[str, Any], deps: Deps) -> None:
    """The Home tab's search box (Enter): the person's search, as them, its results shown in the tab."""
    ack()
    user_id = str((body.get("user") or {}).get("id") or "")
    text = str(action.get("value") or "").strip()
    if not user_id:
        return
    if len(text) < MIN_SEARCH:
        deps.work.submit(publish_home, deps, user_id, search=text, problem=texts.FIND_NEEDS_TEXT)
        return

    def show(asker: Asker) -> None:
        found = commands.leads_for(deps, asker, FindLeads(text))
        publish_home(deps, user_id, search=text, found=found)

    def failed(words: str, retryable: bool) -> None:
        publish_home(deps, user_id, search=text, problem=words)

    run_as_user(deps, user_id, "search from the Home tab", show, failed)


def register(app: App, deps: Deps) -> None:
    """The Home tab: published on open; its New lead button and search box."""
    app.event("app_home_opened")(partial(handle_home_opened, seen=SeenEvents(), deps=deps))
    app.action(ids.NEW_LEAD)(partial(handle_new_lead, deps=deps))
    app.action(ids.HOME_SEARCH)(partial(handle_home_search, deps=deps))
