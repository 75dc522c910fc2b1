"""The long-running alert machinery: lease heartbeat, poller and sender threads, and a one-shot run."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from slack_sdk import WebClient

from leadbot import texts
from leadbot.alerts import health
from leadbot.alerts.cards import Timing
from leadbot.alerts.desk import Chooser, Desk
from leadbot.alerts.lease import Heartbeat, LeaseKeeper, new_holder_id
from leadbot.alerts.poller import CycleReport, Poller, PollFailed
from leadbot.alerts.sender import Sender, SenderTuning
from leadbot.alerts.shown import ShownCards
from leadbot.alerts.timekeeper import Team, Timekeeper
from leadbot.alerts.worklist import HomePublisher
from leadbot.heatpunk import HeatpunkClient
from leadbot.settings import Settings
from leadbot.slack.client import SLACK_TIMEOUT_SECONDS
from leadbot.store import Alert, LeaseLost, Store

logger = logging.getLogger(__name__)

JITTER = 0.1  # polls are LEADBOT_POLL_SECONDS ± 10% apart
NO_POLL_INTERVALS = (
    3  # /healthz: the lease holder without a successful poll for this many intervals is not ok
)
PARKED_SHOWN = timedelta(days=1)  # /healthz: an alert set aside is listed as a warning this long


@dataclass(frozen=True)
class Tuning:
    """Timing knobs that are not settings (tests shorten retries); None means derived from the poll interval."""

    sender: SenderTuning = field(default_factory=SenderTuning)
    lease_ttl: float | None = None  # default: one poll interval
    heartbeat: float | None = None  # default: a quarter of the lease TTL
    hung_after: float | None = None  # a cycle running longer is hung; default: lease TTL + Heatpunk deadline


DEFAULT_TUNING = Tuning()


@dataclass(frozen=True)
class OnceResult:
    """What `leadbot poll --once` did."""

    skipped: bool = False
    report: CycleReport | None = None
    poll_error: str | None = None
    unsent: int = 0
    send_error: str | None = None

    @property
    def ok(self) -> bool:
        return self.poll_error is None and self.send_error is None


def after_sent(home: HomePublisher, shown: ShownCards | None, alert: Alert) -> None:
    """A lead given to someone (routing, the ladder, a reassignment): their Home tab shows it at once; a lead
    changed or deleted: its owner's Home tab too, and its `/leads show` cards still open are replaced."""
    if alert.kind == "dm" and alert.payload.get("reason") in ("assigned", "reassigned"):
        home.publish(alert.channel)
    if alert.kind in ("changed", "deleted") and alert.lead_id:
        home.publish_owner_of(alert.lead_id)
    if shown is not None:
        shown.after_sent(alert)


class AlertService:
    """Polls and sends while this process holds the lease; `stop()` ends the work in flight, keeps the rest."""

    def __init__(
        self,
        *,
        settings: Settings,
        store: Store,
        heatpunk: HeatpunkClient,
        slack: WebClient,
        poll_email: str,
        alert_channel: str,
        clock: Callable[[], datetime],
        rng: random.Random | None = None,
        tuning: Tuning = DEFAULT_TUNING,
        holder: str | None = None,
        team: Team,
        choose: Chooser,
        shown: ShownCards | None = None,
    ) -> None:
        self._store, self._rng = store, rng or random.Random()  # noqa: S311 - jitter, not security
        self._interval = settings.leadbot_poll_seconds
        self._health_after, self._clock = settings.leadbot_health_after, clock
        self._ttl = ttl = tuning.lease_ttl or self._interval
        # A cycle may wait out one whole Heatpunk call (its deadline bounds it); longer, something else hangs.
        self._hung_after = hung_after = tuning.hung_after or ttl + settings.heatpunk_deadline_seconds
        self._stop = threading.Event()
        self._poll_now, self._send_wake = threading.Event(), threading.Event()
        holder = holder or new_holder_id()
        hours = settings.working_hours()
        desk = Desk(
            store=store,
            hours=hours,
            ladder=settings.ladder,
            routing=settings.leadbot_routing,
            choose=choose,
        )
        self.poller = Poller(
            settings=settings,
            store=store,
            heatpunk=heatpunk,
            poll_email=poll_email,
            alert_channel=alert_channel,
            holder=holder,
            clock=clock,
            desk=desk,
        )
        self.timekeeper = Timekeeper(
            store=store,
            holder=holder,
            hours=hours,
            ladder=settings.ladder,
            team=team,
            routing=settings.leadbot_routing,
            alert_channel=alert_channel,
            max_attempts=settings.leadbot_max_attempts,
            stale_days=settings.leadbot_stale_days,
            clock=clock,
            report_channel=settings.leadbot_report_channel,
        )
        self.keeper = LeaseKeeper(
            store,
            holder=holder,
            ttl=timedelta(seconds=ttl),
            clock=clock,
            on_acquired=self._acquired,
            making_progress=lambda: self.poller.running_for() < hung_after,  # a hung cycle lets the lease go
        )
        self._heartbeat = Heartbeat(self.keeper, every=tuning.heartbeat or ttl / 4)
        self.sender = Sender(
            store=store,
            slack=slack,
            holder=holder,
            statuses=settings.leadbot_statuses,
            health_after=settings.leadbot_health_after,
            admin_channel=settings.leadbot_admin_channel,
            clock=clock,
            stop=self._stop,
            tuning=tuning.sender,
            # A post in flight must land while the lease is still ours (heartbeats keep ≥ ¾ TTL ahead).
            in_flight=timedelta(seconds=min(SLACK_TIMEOUT_SECONDS, ttl / 2)),
            may_send=lambda: self.keeper.held,
            max_attempts=settings.leadbot_max_attempts,
            timing=lambda: Timing(hours, settings.ladder, clock()),
            after_sent=partial(after_sent, HomePublisher(store, slack, settings, clock), shown),
        )
        self._threads: list[threading.Thread] = []

    def last_success(self) -> datetime | None:
        """When a poll cycle last succeeded (any instance), for /healthz."""
        return self._store.poll_state().last_success

    def health_problems(self) -> list[str]:
        """Why alerts are not working, in words, for /healthz (empty: fine); a few reads, no Heatpunk call.

        Polls are judged only while this instance holds the lease (or is stuck in a cycle): another
        instance's polling is its own /healthz's business. A stuck alert is everyone's.
        """
        problems: list[str] = []
        state, now = self._store.poll_state(), self._clock()
        running = self.poller.running_for()
        if running > self._hung_after:
            problems.append(texts.HEALTHZ_POLL_HUNG.format(seconds=running))
        if self.keeper.held:
            failures = state.health.poll_failures
            if failures >= self._health_after:
                problems.append(
                    texts.HEALTHZ_POLLS_FAILING.format(failures=failures, cause=state.health.cause)
                )
            quiet = NO_POLL_INTERVALS * self._interval
            last = state.last_success
            if self.keeper.held_for() > quiet and (last is None or (now - last).total_seconds() > quiet):
                problems.append(texts.HEALTHZ_NO_POLL.format(seconds=quiet))
        for alert in self._store.outbox_heads():
            if alert.attempts >= self._health_after:
                what, cause = health.alert_in_words(alert), alert.last_error
                problems.append(
                    texts.HEALTHZ_ALERT_STUCK.format(what=what, attempts=alert.attempts, cause=cause)
                )
        return problems

    def health_warnings(self) -> list[str]:
        """What went wrong lately but no longer stops alerts (a set-aside alert): shown by /healthz, still 200,
        so a platform that restarts on 503 does not restart over something a restart can't mend."""
        parked = self._store.parked_since(self._clock() - PARKED_SHOWN)
        if not parked:
            return []
        what = "; ".join(health.alert_in_words(alert) for alert in parked[:5])
        return [texts.HEALTHZ_PARKED.format(count=len(parked), what=what)]

    def _acquired(self) -> None:
        self._poll_now.set()
        self._send_wake.set()

    # --- long-running ------------------------------------------------------------------------

    def start(self) -> None:
        """Starts the heartbeat, poller and sender threads (daemon threads; call stop() to end them)."""
        self._threads = [
            threading.Thread(target=self._poll_loop, name="leadbot-poller", daemon=True),
            threading.Thread(target=self._send_loop, name="leadbot-sender", daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        self._heartbeat.start()

    def stop(self, timeout: float = 30.0) -> bool:
        """Finishes the cycle and send in flight, leaves pending alerts for later; True if all ended in time.

        A service never started (or already stopped) has nothing to stop: `run_once` releases its own lease.
        """
        self._stop.set()
        self._poll_now.set()
        self._send_wake.set()
        if not self._threads:
            return True
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        ended = not any(thread.is_alive() for thread in self._threads)
        self._threads = []
        self._heartbeat.stop()
        if ended:
            self.keeper.release()
        else:
            logger.warning("Alert threads still busy after %.0fs: the lease will expire on its own", timeout)
        return ended

    def _poll_loop(self) -> None:
        next_poll = 0.0
        while not self._stop.is_set():
            if self._poll_now.is_set():
                self._poll_now.clear()
                next_poll = 0.0
            if self.keeper.held and time.monotonic() >= next_poll:
                self._poll_safely()
                next_poll = time.monotonic() + self._interval * self._rng.uniform(1 - JITTER, 1 + JITTER)
                self._send_wake.set()
            wait = next_poll - time.monotonic() if self.keeper.held else self._interval
            self._poll_now.wait(max(0.05, wait))

    def _poll_safely(self) -> None:
        try:
            self.poller.cycle()
        except PollFailed:
            pass  # logged and counted by the poller
        except LeaseLost:
            self.keeper.lost()
            return
        except Exception:
            logger.exception("Failed to run a poll cycle")
        self._keep_time()

    def _keep_time(self) -> None:
        """The ladder, retries and the working morning: after each cycle, whether or not Heatpunk answered."""
        try:
            self.timekeeper.tick()
        except LeaseLost:
            self.keeper.lost()
        except Exception:
            logger.exception("Failed to carry out the ladder")

    def _send_loop(self) -> None:
        while not self._stop.is_set():
            wait: float | None = None
            if self.keeper.held:
                try:
                    wait = self.sender.drain()
                except LeaseLost:
                    self.keeper.lost()
                except Exception:
                    logger.exception("Failed to send alerts")
            tick = self._interval / 4
            if self._send_wake.wait(tick if wait is None else min(max(wait, 0.05), tick)):
                self._send_wake.clear()

    # --- one shot ----------------------------------------------------------------------------

    def run_once(self) -> OnceResult:
        """One cycle, then send everything due; skipped when another instance holds the lease."""
        self._heartbeat.start()
        try:
            if not self.keeper.held:
                return OnceResult(skipped=True)
            return self._once()
        except LeaseLost:
            return OnceResult(skipped=True)
        finally:
            self._heartbeat.stop()
            self.keeper.release()

    def _once(self) -> OnceResult:
        report, poll_error = None, None
        try:
            report = self.poller.cycle()
        except PollFailed as failure:
            poll_error = failure.cause
        self.timekeeper.tick()
        self.sender.drain(include_waiting=True)
        failing = [alert for alert in self._store.outbox_heads() if alert.attempts > 0]
        return OnceResult(
            report=report,
            poll_error=poll_error,
            unsent=self._store.unsent_count(),
            send_error=failing[0].last_error if failing else None,
        )
