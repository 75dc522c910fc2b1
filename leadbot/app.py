"""Builds the Bolt app and wires the listeners onto it; nothing else happens here (deps.py builds the rest)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from leadbot.deps import Deps
from leadbot.listeners import register_all
from leadbot.process.logs import request_id_middleware
from leadbot.settings import Settings
from leadbot.slack.marking import SandboxApp


def create_app(
    settings: Settings,
    deps: Deps,
    client: WebClient,
    *,
    listener_executor: ThreadPoolExecutor,
    sandbox: bool = False,
) -> App:
    """The Bolt app: signature checks on in HTTP mode (Socket Mode has no signatures), listeners wired.

    Everything it is given comes from the composition root (deps.py), which also shuts the listener pool.
    """
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    app_class = SandboxApp if sandbox else App
    app = app_class(
        client=client,
        signing_secret=secret,
        request_verification_enabled=not settings.socket_mode,
        token_verification_enabled=False,
        process_before_response=False,
        listener_executor=listener_executor,
    )
    app.use(request_id_middleware)
    app.use(use_client(client))
    register_all(app, deps, client)
    return app


def use_client(client: WebClient) -> Callable[[BoltContext, Callable[[], None]], None]:
    """Listeners get leadbot's own client (Bolt builds a plain one per request), so what they send is marked
    in sandbox mode and retried like everything else."""

    def middleware(context: BoltContext, next: Callable[[], None]) -> None:
        context["client"] = client
        next()

    return middleware
