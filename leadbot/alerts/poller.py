"""One poll cycle: fetch a small window, compare with the store, commit findings and alerts together."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from leadbot.alerts import health
from leadbot.alerts.desk import Desk
from leadbot.alerts.detect import choose_window, compare, plan
from leadbot.heatpunk import HeatpunkClient, HeatpunkError
from leadbot.settings import Settings
from leadbot.store import Alert, LeaseLost, Store

logger = logging.getLogger(__name__)

DEEP_RETRY_POLLS = (
    10  # a failed deep sync is tried again this many poll intervals later (narrow polls between)
)
MOST = 0.5  # a fetch lacking more than this share of the window's known leads is worth a warning
Phase = Callable[[str], AbstractContextManager[object]]  # wraps each step of a cycle (the bench times them)


def no_phase(_name: str) -> AbstractContextManager[object]:
    return nullcontext()


class PollFailed(Exception):
    """A cycle failed; `cause` says why in words (already logged and counted for health)."""

    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.cause = cause


@dataclass(frozen=True)
class CycleReport:
    """What one successful cycle did."""

    furthest: date
    deep: bool
    first_run: bool
    fetched: int
    new: int
    changed: int
    missing: int
    gone: int
    alerts: int

    def describe(self) -> str:
        kind = "first run" if self.first_run else ("deep sync" if self.deep else "poll")
        return (
            f"{kind} from {self.furthest.isoformat()}: {self.fetched} leads, {self.new} new, "
            f"{self.changed} changed, {self.missing} missing (deleted if the next poll agrees), "
            f"{self.gone} deleted; {self.alerts} messages queued"
        )


class Poller:
    """Runs cycles as `holder`; only the lease holder's commits are accepted."""

    def __init__(
        self,
        *,
        settings: Settings,
        store: Store,
        heatpunk: HeatpunkClient,
        poll_email: str,
        alert_channel: str,
        holder: str,
        clock: Callable[[], datetime],
        monotonic: Callable[[], float] = time.monotonic,
        phase: Phase = no_phase,
        desk: Desk | None = None,
    ) -> None:
        self._settings, self._store, self._heatpunk, self._desk = settings, store, heatpunk, desk
        self._email, self._channel, self._holder, self._clock = poll_email, alert_channel, holder, clock
        self._monotonic, self._phase = monotonic, phase
        self._started: float | None = None

    def running_for(self) -> float:
        """Seconds the cycle in flight has run (0 when none is): the lease is renewed only while it is short."""
        started = self._started
        return 0.0 if started is None else max(self._monotonic() - started, 1e-9)

    def cycle(self) -> CycleReport:
        """Fetch, compare, commit; raises PollFailed (counted for health) or LeaseLost (nothing written)."""
        self._started = self._monotonic()
        try:
            return self._counted_cycle()
        finally:
            self._started = None

    def _counted_cycle(self) -> CycleReport:
        settings = self._settings
        try:
            return self._cycle()
        except (LeaseLost, PollFailed):
            raise
        except HeatpunkError as error:
            cause = health.poll_cause(error)
            logger.warning("Failed to poll Heatpunk: %s", cause)
        except Exception as error:
            cause = health.poll_cause(error)
            logger.exception("Failed to run a poll cycle")
        try:
            step = health.failed("poll", cause, settings.leadbot_health_after)
            self._store.apply_health(step, channel=settings.leadbot_admin_channel, now=self._clock())
        except Exception:
            logger.exception("Failed to record a poll failure")
        raise PollFailed(cause)

    def _cycle(self) -> CycleReport:
        settings, store = self._settings, self._store
        now = self._clock()
        state = store.poll_state()
        window = choose_window(
            state,
            now=now,
            overlap_days=settings.leadbot_poll_overlap_days,
            search_days=settings.leadbot_search_days,
            deep_hours=settings.leadbot_deep_sync_hours,
            deep_retry=min(
                timedelta(seconds=settings.leadbot_poll_seconds * DEEP_RETRY_POLLS),
                timedelta(hours=settings.leadbot_deep_sync_hours),
            ),
        )
        if window.deep:
            store.note_deep_sync_try(now=now)
        with self._phase("fetch"):
            leads = self._heatpunk.fetch(self._email, window.furthest)
        with self._phase("known_leads"):
            known = store.known_leads({lead.id for lead in leads}, created_since=window.known_since)
        with self._phase("compare"):
            findings = compare(leads, known, window)
        lacking = len(findings.missing) + len(findings.gone)
        if lacking > 1 and lacking > MOST * (lacking + len(findings.changed) + len(findings.unchanged)):
            logger.warning(
                "Heatpunk's answer lacks %d of the leads known in its window: each is marked deleted only "
                "when a second poll agrees",
                lacking,
            )
        with self._phase("plan"):
            touched = [*(seen for _, seen in findings.changed), *findings.gone]
            card_ids = {seen.card_alert_id for seen in touched if seen.card_alert_id is not None}
            cards: dict[int, Alert] = {
                card.id: card for card in map(store.alert, card_ids) if card is not None
            }
            write = plan(
                findings,
                first_run=not state.first_run_done,
                channel=self._channel,
                burst=settings.leadbot_burst,
                cards=cards,
                window=window,
                newest=max((lead.date_created for lead in leads), default=None),
                before=store.snapshots([lead.id for lead, _ in findings.changed]),
            )
            if self._desk is not None and state.first_run_done:  # leads from before leadbot watched: no clock
                arrived = self._desk.arrivals(findings.new, now)
                alerts = [*write.alerts, *arrived.alerts]
                write = replace(write, clocks=arrived.clocks, alerts=alerts, markers=arrived.markers)
        with self._phase("commit"):
            store.commit_cycle(self._holder, write, now=now)
        store.apply_health(health.succeeded("poll"), channel=settings.leadbot_admin_channel, now=now)
        report = CycleReport(
            furthest=window.furthest,
            deep=window.deep,
            first_run=not state.first_run_done,
            fetched=len(leads),
            new=len(findings.new),
            changed=len(findings.changed),
            missing=len(findings.missing),
            gone=len(findings.gone),
            alerts=len(write.alerts),
        )
        logger.info("Heatpunk %s", report.describe())
        if findings.new and state.first_run_done:
            logger.info("New leads: %s", ", ".join(lead.id for lead in findings.new))
        return report
