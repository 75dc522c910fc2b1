"""Builds the Bolt app and wires the listeners onto it; nothing else happens here (deps.py builds the rest)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextvars import copy_context
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_sdk import WebClient

from leadbot import texts
from leadbot.leads.context import Deps
from leadbot.listeners import register_all
from leadbot.process.arrival import AcksFirst, mark_arrival
from leadbot.process.logs import request_id_middleware
from leadbot.slack.egress import Egress
from leadbot.slack.envelope import envelope_problem

logger = logging.getLogger(__name__)


class LeadbotApp(App):
    """Bolt's App, with each request in a context of its own (its request ID and arrival time never outlive
    it on a server thread), and its acks (usage, refusals, modal updates) through the same egress as all it
    sends: secrets removed, marked in sandbox mode."""

    def __init__(self, *, egress: Egress, acks_first: AcksFirst | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._egress = egress
        self._acks_first = acks_first or AcksFirst()

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        with self._acks_first.acking():
            response = copy_context().run(self._dispatch_here, req)
        response.body = self._egress.ack_body(response.body)
        return response

    def _dispatch_here(self, req: BoltRequest) -> BoltResponse:
        """Bolt's dispatch, in this request's own context, which remembers when the request arrived; a body
        whose parts are not the kind Bolt reads them as is refused before Bolt touches it."""
        mark_arrival()
        problem = envelope_problem(req.body)
        if problem is not None:
            logger.info("Refused a Slack request: %s", problem)
            return BoltResponse(status=400, body=texts.HTTP_UNREADABLE)
        return super().dispatch(req)


def create_app(
    deps: Deps, *, listener_executor: ThreadPoolExecutor, egress: Egress, acks_first: AcksFirst | None = None
) -> App:
    """The Bolt app: signature checks on in HTTP mode (Socket Mode has no signatures), listeners wired.

    Everything it is given comes from the composition root (deps.py), which also shuts the listener pool;
    the app's client is the listeners' own (`deps.slack`).
    """
    settings, client = deps.settings, deps.slack
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    app = LeadbotApp(
        egress=egress,
        acks_first=acks_first,
        client=client,
        signing_secret=secret,
        request_verification_enabled=not settings.socket_mode,
        token_verification_enabled=False,
        process_before_response=False,
        listener_executor=listener_executor,
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
