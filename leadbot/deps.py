"""The composition root: settings → clients → store → services, each built once here and closed by `close()`.

`leadbot run` (runtime.py), `leadbot poll`, `leadbot check` and the tests build through `Root`: nothing else
builds the httpx client, a Slack client, the store or the alert service. Whether this is the sandbox is decided
here too: `sandbox=True` makes every Slack client the root builds mark what it sends.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

import httpx
from pydantic import SecretStr
from slack_sdk import WebClient

from leadbot.alerts.service import DEFAULT_TUNING, AlertService, Tuning
from leadbot.alerts.shown import ShownCards
from leadbot.alerts.timekeeper import Team
from leadbot.heatpunk import HeatpunkClient, Lead, build_http_client
from leadbot.heatpunk.client import BACKOFF_SECONDS
from leadbot.heatpunk.transport import MAX_CONNECTIONS
from leadbot.leads.availability import Availability
from leadbot.leads.context import Deps
from leadbot.leads.identity import Identity
from leadbot.leads.lookups import LeadLookups
from leadbot.process.arrival import AcksFirst
from leadbot.process.logs import ContextThreadPoolExecutor
from leadbot.process.work import FairExecutor
from leadbot.routing.hours import WorkingHours
from leadbot.routing.rota import Choice, choose_owner, next_in_rota
from leadbot.sandbox.service import Sandbox
from leadbot.settings import Settings, SettingsError, problem_missing
from leadbot.slack.client import build_slack_client
from leadbot.slack.egress import Egress
from leadbot.slack.respond import Responder
from leadbot.store import Store

logger = logging.getLogger(__name__)

# Bolt's listener threads only ack and hand over, so a few suffice; slow work has its own pool (`work`),
# and so do modal openings (`forms`), each a Slack call of at most a few seconds.
LISTENER_THREADS = 16
FORM_THREADS = 16
ALERTS_STOP_SECONDS = 30.0  # how long `close()` lets the poller and sender finish what they are doing
SANDBOX_POLL_EMAIL = "sandbox@leadbot.invalid"
SANDBOX_NEW_LEAD_SECONDS = 180.0


def utc_now() -> datetime:
    """The real clock; tests pass their own."""
    return datetime.now(UTC)


class Root:
    """Builds each part on first use, once; `close()` closes what was built, the last built first.

    Parts are built from the settings alone, so a command builds only what it uses (`leadbot check` has no
    work pool, `leadbot poll` no Bolt app). Knobs that are not settings (`tuning`, `heatpunk_backoff`) are
    for tests that shorten retries.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        sandbox: bool = False,
        clock: Callable[[], datetime] = utc_now,
        tuning: Tuning = DEFAULT_TUNING,
        heatpunk_backoff: float = BACKOFF_SECONDS,
    ) -> None:
        self.settings = settings
        self.sandbox = sandbox
        self.clock = clock
        self.simulator: Sandbox | None = None
        self._tuning = tuning
        self._heatpunk_backoff = heatpunk_backoff
        self._closing = ExitStack()
        self._closed = False
        self._views_clients: dict[int, WebClient] = {}
        self._views_lock = threading.Lock()

    @classmethod
    def with_simulator(cls, settings: Settings) -> Root:
        """`leadbot run --sandbox`: the simulated Heatpunk API started in this process, the settings pointed
        at it (any Slack user may use it), and everything sent to Slack marked; `close()` stops it last."""
        simulator = Sandbox(
            team={SANDBOX_POLL_EMAIL: "owner"},
            seed_leads=40,
            days=30,
            new_lead_every=SANDBOX_NEW_LEAD_SECONDS,
        )
        simulator.open_team = True
        simulator.start()
        sandboxed = settings.model_copy(
            update={
                "heatpunk_api_key": SecretStr(simulator.api_key),
                "heatpunk_base_url": simulator.base_url,
                "leadbot_poll_email": settings.leadbot_poll_email or SANDBOX_POLL_EMAIL,
            }
        )
        logger.info("SANDBOX: simulated Heatpunk API at %s", simulator.base_url)
        root = cls(sandboxed, sandbox=True)
        root.simulator = simulator
        root._closing.callback(simulator.stop)
        return root

    # --- clients -----------------------------------------------------------------------------

    @cached_property
    def http(self) -> httpx.Client:
        """The one httpx client the Heatpunk client runs on."""
        settings = self.settings
        # every work thread may be making a call at once, and the poller too
        http = build_http_client(
            settings.heatpunk_timeout_seconds,
            max_connections=max(MAX_CONNECTIONS, settings.leadbot_workers + 2),
        )
        self._close_later(http.close)
        return http

    @cached_property
    def heatpunk(self) -> HeatpunkClient:
        key = self.settings.heatpunk_api_key
        if key is None:
            raise SettingsError([problem_missing("HEATPUNK_API_KEY")])
        return HeatpunkClient(
            self.http,
            self.settings.heatpunk_base_url,
            key,
            backoff_seconds=self._heatpunk_backoff,
            deadline_seconds=self.settings.heatpunk_deadline_seconds,
        )

    @cached_property
    def egress(self) -> Egress:
        """What everything sent to Slack passes: every configured secret out, marked in sandbox mode."""
        return Egress.for_settings(self.settings, sandbox=self.sandbox)

    @cached_property
    def slack(self) -> WebClient:
        """The Web API client listeners and identity use (retries connection errors, rate limits and 5xx)."""
        return build_slack_client(self.settings, egress=self.egress)

    @cached_property
    def alert_slack(self) -> WebClient:
        """The same client without blind 5xx retries: what posts alerts (and `leadbot check`'s test post)."""
        return build_slack_client(self.settings, egress=self.egress, retry_server_errors=False)

    @cached_property
    def responder(self) -> Responder:
        return Responder(self.egress)

    # --- state and services ------------------------------------------------------------------

    @cached_property
    def store(self) -> Store:
        """Opened and migrated on first use."""
        store = Store.open(self.settings.database_url)
        self._close_later(store.close)
        return store

    @cached_property
    def identity(self) -> Identity:
        return Identity(
            self.slack, self.store, cache_seconds=self.settings.leadbot_email_cache_seconds, clock=self.clock
        )

    @cached_property
    def lookups(self) -> LeadLookups:
        """Finds leads by ID, narrowest window first; each person's last fetches kept LEADBOT_LOOKUP_CACHE_SECONDS."""
        return LeadLookups(
            self.heatpunk, cache_seconds=self.settings.leadbot_lookup_cache_seconds, clock=self.clock
        )

    @cached_property
    def acks_first(self) -> AcksFirst:
        """Counts the Slack requests being acked; work after an ack waits for the others' acks (bounded)."""
        return AcksFirst()

    @cached_property
    def work(self) -> FairExecutor:
        """The pool listeners hand slow work to after `ack()`, a fair share per person (LEADBOT_USER_JOBS,
        LEADBOT_QUEUE); `close()` waits for what is in it."""
        settings = self.settings
        work = FairExecutor(
            workers=settings.leadbot_workers,
            per_key=settings.leadbot_user_jobs,
            queue_limit=settings.leadbot_queue,
            name="leadbot-work",
            before_each=self.acks_first.wait_for_acks,
        )
        self._close_later(work.shutdown, wait=True)
        return work

    @cached_property
    def forms(self) -> FairExecutor:
        """Where modals are opened: Slack calls bounded by their trigger's 3 s, never queued behind slow
        Heatpunk work nor run on Bolt's threads. Built after `work`, which its jobs hand work on to."""
        self.work  # noqa: B018 - built first, so it is shut after this pool
        settings = self.settings
        forms = FairExecutor(
            workers=FORM_THREADS,
            per_key=settings.leadbot_user_jobs,
            queue_limit=settings.leadbot_queue,
            name="leadbot-forms",
        )
        self._close_later(forms.shutdown, wait=True)
        return forms

    def views_client(self, timeout: int) -> WebClient:
        """A client for views.open: `timeout` seconds and no retries (a trigger is spent or expired); one per
        timeout (whole seconds within the trigger's 3 s), built on first use, not per form opened."""
        with self._views_lock:
            client = self._views_clients.get(timeout)
            if client is None:
                client = build_slack_client(self.settings, egress=self.egress, retries=False, timeout=timeout)
                self._views_clients[timeout] = client
            return client

    @cached_property
    def listener_pool(self) -> ThreadPoolExecutor:
        """Bolt's listener threads; built after `work` and `forms`, so `close()` lets them finish handing
        work over first."""
        self.forms  # noqa: B018 - built first, so it is shut after this pool
        pool = ContextThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="leadbot-bolt")
        self._close_later(pool.shutdown, wait=True)
        return pool

    @cached_property
    def deps(self) -> Deps:
        """Everything listeners share."""
        return Deps(
            settings=self.settings,
            heatpunk=self.heatpunk,
            store=self.store,
            identity=self.identity,
            lookups=self.lookups,
            work=self.work,
            forms=self.forms,
            views_client=self.views_client,
            slack=self.slack,
            responder=self.responder,
            clock=self.clock,
        )

    @cached_property
    def hours(self) -> WorkingHours:
        """The team's working week (LEADBOT_HOURS, _TIMEZONE, _HOLIDAYS): what every clock counts."""
        return self.settings.working_hours()

    @cached_property
    def availability(self) -> Availability:
        """Who routing and the ladder may turn to now: not away, within hours, not on Do Not Disturb."""
        return Availability(self.store, self.slack, self.hours, self.clock)

    @cached_property
    def team(self) -> Team:
        """The ladder's view of the team: availability, the rota's next person, the managers."""
        available, store = self.availability.available, self.store
        return Team(
            available=available,
            next_person=lambda after, skip: next_in_rota(store.rota(), after, available, skip),
            rota=store.rota,
            managers=self.settings.leadbot_managers,
        )

    def choose_owner(self, lead: Lead, cursor: str | None) -> Choice:
        """Who a new lead goes to under LEADBOT_ROUTING (nobody under `claim`)."""
        store = self.store
        return choose_owner(
            self.settings.leadbot_routing,
            postcode=lead.postcode,
            address=lead.address,
            rota=store.rota(),
            cursor=cursor,
            territories=store.territories(),
            available=self.availability.available,
        )

    @cached_property
    def alerts(self) -> AlertService:
        """The poller and sender (not started); needs LEADBOT_ALERT_CHANNEL and LEADBOT_POLL_EMAIL."""
        settings = self.settings
        email, channel = settings.leadbot_poll_email, settings.leadbot_alert_channel
        if email is None or channel is None:
            raise SettingsError(settings.problems_for_poll())
        service = AlertService(
            settings=settings,
            store=self.store,
            heatpunk=self.heatpunk,
            slack=self.alert_slack,
            poll_email=email,
            alert_channel=channel,
            clock=self.clock,
            tuning=self._tuning,
            team=self.team,
            choose=self.choose_owner,
            shown=ShownCards(self.store, self.responder, settings, self.clock),
        )
        self._close_later(service.stop, timeout=ALERTS_STOP_SECONDS)
        return service

    def _close_later(self, close: Callable[..., object], /, **kwargs: Any) -> None:
        """Registers what `close()` calls; after `close()`, a part built anew is closed at once and refused."""
        if self._closed:
            close(**kwargs)
            raise RuntimeError("leadbot's root is closed: nothing more can be built from it")
        self._closing.callback(close, **kwargs)

    def close(self) -> None:
        """Stops and closes everything built, dependants before what they depend on; safe to call twice."""
        self._closed = True
        self._closing.close()
