"""Deps for tests: leadbot's real clients and store on the local fakes (127.0.0.1), closed after the test."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
from slack_sdk import WebClient

from leadbot.deps import Deps, utc_now
from leadbot.heatpunk import HeatpunkClient
from leadbot.leads.identity import Identity
from leadbot.settings import Settings
from leadbot.slack.respond import Responder
from leadbot.store import Store


def make_deps(settings: Settings, slack: WebClient, closers: list[Callable[[], None]]) -> Deps:
    """What listeners and leads/ get in production, with a short Heatpunk backoff; `closers` stop it all."""
    assert settings.heatpunk_api_key is not None
    store = Store.open(settings.database_url)
    http = httpx.Client(trust_env=False, timeout=settings.heatpunk_timeout_seconds)
    work = ThreadPoolExecutor(max_workers=4, thread_name_prefix="test-work")
    closers.extend([store.close, http.close, lambda: work.shutdown(wait=True)])
    heatpunk = HeatpunkClient(
        http, settings.heatpunk_base_url, settings.heatpunk_api_key, backoff_seconds=0.01
    )
    return Deps(
        settings=settings,
        heatpunk=heatpunk,
        store=store,
        identity=Identity(slack, store, cache_seconds=60, clock=utc_now),
        work=work,
        slack=slack,
        responder=Responder(),
        clock=utc_now,
    )
