"""Builds the Bolt app and its dependencies, and wires the listeners; nothing else happens here."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from leadbot.deps import Deps, utc_now
from leadbot.heatpunk import HeatpunkClient, build_http_client
from leadbot.leads.identity import Identity
from leadbot.listeners import register_all
from leadbot.process.logs import ContextThreadPoolExecutor, request_id_middleware
from leadbot.settings import Settings
from leadbot.slack.marking import SandboxApp
from leadbot.slack.respond import Responder
from leadbot.store import Store

# Bolt's listener threads only ack and hand over, so a few suffice; slow work has its own pool.
LISTENER_THREADS = 16


def build_deps(settings: Settings, slack: WebClient, store: Store, *, sandbox: bool = False) -> Deps:
    """Everything listeners and the poller share, built once."""
    if settings.heatpunk_api_key is None:
        raise ValueError("HEATPUNK_API_KEY is needed to build the Heatpunk client")
    heatpunk = HeatpunkClient(
        build_http_client(settings.heatpunk_timeout_seconds),
        settings.heatpunk_base_url,
        settings.heatpunk_api_key,
    )
    identity = Identity(slack, store, cache_seconds=settings.leadbot_email_cache_seconds, clock=utc_now)
    work = ContextThreadPoolExecutor(max_workers=settings.leadbot_workers, thread_name_prefix="leadbot-work")
    responder = Responder(sandbox=sandbox)
    return Deps(settings, heatpunk, store, identity, work, slack, responder, utc_now)


def create_app(settings: Settings, deps: Deps, client: WebClient, *, sandbox: bool = False) -> App:
    """The Bolt app: signature checks on in HTTP mode (Socket Mode has no signatures), listeners wired."""
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    app_class = SandboxApp if sandbox else App
    app = app_class(
        client=client,
        signing_secret=secret,
        request_verification_enabled=not settings.socket_mode,
        token_verification_enabled=False,
        process_before_response=False,
        listener_executor=ContextThreadPoolExecutor(
            max_workers=LISTENER_THREADS, thread_name_prefix="leadbot-bolt"
        ),
    )
    app.use(request_id_middleware)
    app.use(use_client(client))
    register_all(app, deps)
    return app


def use_client(client: WebClient) -> Callable[[BoltContext, Callable[[], None]], None]:
    """Listeners get leadbot's own client (Bolt builds a plain one per request), so what they send is marked
    in sandbox mode and retried like everything else."""

    def middleware(context: BoltContext, next: Callable[[], None]) -> None:
        context["client"] = client
        next()

    return middleware
