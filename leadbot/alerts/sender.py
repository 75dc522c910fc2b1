"""The one place that posts alerts: outbox → Slack, in order per channel, exactly once, paced, retried."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from leadbot import ids, texts
from leadbot.alerts import health
from leadbot.alerts.cards import Timing, card_of, lead_of, render_card, render_card_message, render_digest
from leadbot.alerts.detect import made_by
from leadbot.alerts.reconcile import find_posted, may_have_posted, retry_after
from leadbot.alerts.reminders import Reminders
from leadbot.blocks.alerts import (
    build_change_note,
    build_deleted_note,
    build_health,
    build_notice,
    build_recovered,
    build_watching,
)
from leadbot.blocks.kit import Message
from leadbot.blocks.reminders import build_step_note
from leadbot.blocks.reports import ReportFigures, build_report
from leadbot.blocks.text import safe
from leadbot.reports.figures import compute, week_before
from leadbot.reports.publish import upload_chart
from leadbot.routing.hours import ALWAYS, WorkingHours
from leadbot.slack.client import slack_error_code
from leadbot.store import Alert, LeaseLost, NewAlert, Store
from leadbot.store.outbox import ERROR_LIMIT
from leadbot.store.records import POSTING

logger = logging.getLogger(__name__)

# Slack refused the content itself: retrying the same blocks can't help, so the alert goes as text.
CONTENT_ERRORS = frozenset(
    {
        "invalid_blocks",
        "invalid_blocks_format",
        "msg_too_long",
        "msg_blocks_too_long",
        "invalid_metadata_format",
    }
)
GONE_MESSAGE = frozenset({"message_not_found", "cant_update_message", "edit_window_closed"})
EVENT_TYPES = {
    "new": ids.ALERT_EVENT_TYPE,
    "digest": ids.ALERT_EVENT_TYPE,
    "dm": ids.REMINDER_EVENT_TYPE,
    "step": ids.REMINDER_EVENT_TYPE,
    "morning": ids.REMINDER_EVENT_TYPE,
}


@dataclass(frozen=True)
class SenderTuning:
    """Pacing and retry timing (production defaults; tests shorten the retries)."""

    min_interval: float = 1.0  # seconds between writes to one channel (Slack: ~1 message/s/channel)
    retry_base: float = 2.0
    # An alert waits at most this long between tries (Retry-After aside): after a long Slack outage the backlog
    # starts within half a minute of Slack coming back, at the cost of one try per channel per half minute.
    retry_max: float = 30.0
    lookback: float = 300.0  # search history from this long before the alert was queued
    set_aside_after: int = 3  # failures in a row with one cause of the alert's own (never an outage)


class Stopping(Exception):
    """Stop was asked for before the next write: the alert is left as it is, for the next start."""


@dataclass
class _Attempt:
    """One try at one entry: could an earlier try have posted it, and has this one started posting?"""

    alert: Alert
    earlier_may_have_posted: bool
    posting: bool = False

    def may_have_posted(self, error: Exception) -> bool:
        return may_have_posted(error) if self.posting else self.earlier_may_have_posted


class Sender:
    """Sends due outbox entries; only the lease holder may run one (`holder` fences each post)."""

    def __init__(
        self,
        *,
        store: Store,
        slack: WebClient,
        holder: str,
        statuses: Sequence[str],
        health_after: int,
        admin_channel: str | None,
        clock: Callable[[], datetime],
        stop: threading.Event,
        tuning: SenderTuning = SenderTuning(),
        monotonic: Callable[[], float] = time.monotonic,
        in_flight: timedelta = timedelta(0),
        may_send: Callable[[], bool] = lambda: True,
        max_attempts: int = 6,
        timing: Callable[[], Timing | None] = lambda: None,
        after_sent: Callable[[Alert], None] = lambda alert: None,
    ) -> None:
        self._store, self._slack, self._holder = store, slack, holder
        self._reminders = Reminders(store, max_attempts=max_attempts)
        self._timing = timing  # the team's hours and ladder at send time: cards show "⏱ 12 min, nudged"
        self._after_sent = after_sent
        self._statuses = tuple(statuses)
        self._health_after, self._admin_channel = health_after, admin_channel
        self._clock, self._stop, self._tuning, self._monotonic = clock, stop, tuning, monotonic
        self._last_write: dict[str, float] = {}
        self._health_dirty = True  # the stored streak may be from before a restart
        # How long a post may be in flight: the lease must stay ours that long after a post starts.
        self._in_flight, self._may_send = in_flight, may_send

    def drain(self, *, include_waiting: bool = False) -> float | None:
        """Sends until nothing is due; returns seconds until the next retry is due (None: outbox empty).

        `include_waiting` also tries entries still backing off (once each): for `poll --once` runs.
        """
        tried_and_failed: set[int] = set()
        while not self._stop.is_set():
            every_head = self._store.outbox_heads()
            heads = [alert for alert in every_head if alert.id not in tried_and_failed]
            now = self._clock()
            due = [alert for alert in heads if include_waiting or alert.next_attempt_at <= now]
            if not due:  # an entry that failed just now still waits for its retry: not "outbox empty"
                waits = [(alert.next_attempt_at - now).total_seconds() for alert in every_head]
                return max(0.0, min(waits)) if waits else None
            for alert in due:
                if not self._may_send():  # this instance is letting the lease go: the next holder sends
                    return 0.0
                try:
                    sent = self.send(alert)
                except Stopping:
                    return 0.0
                if not sent:
                    tried_and_failed.add(alert.id)
        return 0.0

    def send(self, alert: Alert) -> bool:
        """One attempt at one entry; True when it is sent. LeaseLost propagates: stop sending."""
        attempt = _Attempt(alert, earlier_may_have_posted=alert.state == POSTING)
        try:
            ts = self._deliver(attempt)
        except (LeaseLost, Stopping):
            raise
        except Exception as error:  # every failure keeps the alert, to be retried, unless it is set aside
            return self._failed(attempt, error)
        self._store.mark_sent(alert.id, ts=ts, now=self._clock())
        logger.info(
            "Sent %s alert %d (lead %s) to %s", alert.kind, alert.id, alert.lead_id or "-", alert.channel
        )
        if alert.kind == "report" and ts:
            self._report_chart(alert, ts)
        self._after(alert)
        if alert.kind != "notice" and self._health_dirty:
            self._store.apply_health(
                health.succeeded("slack"), channel=self._admin_channel, now=self._clock()
            )
            self._health_dirty = False
        return True

    # --- one delivery ------------------------------------------------------------------------

    def _deliver(self, attempt: _Attempt) -> str | None:
        alert = attempt.alert
        message, thread_ts = self._compose(alert)
        if message is None:
            if alert.kind != "step":  # a step without a note only updates its card
                logger.warning(
                    "Alert %d (lead %s) has nothing left to show: marked sent", alert.id, alert.lead_id
                )
            return None
        if attempt.earlier_may_have_posted:
            found = find_posted(self._slack, alert, thread_ts, lookback=self._tuning.lookback)
            if found:
                logger.info("Alert %d was already posted (ts %s): recorded, not reposted", alert.id, found)
                return found
            attempt.earlier_may_have_posted = False
        self._pace(alert.channel)
        self._mark_posting(alert)
        attempt.posting = True
        return self._post(alert, message, thread_ts)

    def _post(self, alert: Alert, message: Message, thread_ts: str | None) -> str:
        """Posts with blocks (as text alone if Slack refuses the blocks; or `message` has none)."""
        event_type = EVENT_TYPES.get(alert.kind, ids.ALERT_NOTE_EVENT_TYPE)
        payload: dict[str, Any] = {"alert": alert.key, "kind": alert.kind}
        if alert.lead_id:
            payload["lead_id"] = alert.lead_id
        if alert.kind == "digest":
            payload["lead_ids"] = list(alert.payload.get("lead_ids", []))
        args: dict[str, Any] = {
            "channel": alert.channel,
            "text": message.text,
            "metadata": {"event_type": event_type, "event_payload": payload},
            "unfurl_links": False,
            "unfurl_media": False,
        }
        if thread_ts:
            args["thread_ts"] = thread_ts
        try:
            if not message.blocks:
                response = self._slack.chat_postMessage(**args)
            else:
                response = self._slack.chat_postMessage(**args, blocks=message.blocks)
        except SlackApiError as error:
            if not message.blocks or slack_error_code(error) not in CONTENT_ERRORS:
                raise
            logger.exception("Failed to post alert %d with blocks: posting it as text", alert.id)
            response = self._slack.chat_postMessage(**args)
        finally:
            self._last_write[alert.channel] = self._monotonic()
        return str(response["ts"])

    def _compose(self, alert: Alert) -> tuple[Message | None, str | None]:
        """The message for an entry, and the thread it goes in; changed/deleted first update their card."""
        if alert.kind == "new" and alert.lead_id:
            return render_card(
                self._store, alert.lead_id, statuses=self._statuses, timing=self._timing()
            ), None
        if alert.kind == "digest":
            return render_digest(self._store, alert, timing=self._timing()), None
        if alert.kind == "notice":
            return self._notice(alert.payload), None
        if alert.kind in ("changed", "deleted") and alert.lead_id:
            return self._change(alert, alert.lead_id)
        if alert.kind == "step" and alert.lead_id:
            return self._step(alert, alert.lead_id)
        if alert.kind in ("dm", "morning"):
            return self._reminders.compose(alert), None
        if alert.kind == "report":
            return build_report(self._report_figures(alert)), None
        return None, None

    def _after(self, alert: Alert) -> None:
        """What follows a sent entry (e.g. the new owner's Home tab): best effort, never holds up the outbox."""
        try:
            self._after_sent(alert)
        except Exception:
            logger.warning("Failed to follow up alert %d", alert.id, exc_info=True)

    def _report_figures(self, alert: Alert) -> ReportFigures:
        """The weekly report's figures, computed now from the store: the seven days before `until`."""
        timing = self._timing()
        hours = timing.hours if timing else WorkingHours.parse(ALWAYS)
        until = datetime.fromisoformat(str(alert.payload.get("until"))).date()
        return compute(self._store, week_before(until, hours), hours)

    def _report_chart(self, alert: Alert, ts: str) -> None:
        """The chart in the report's thread, best effort: a failure is logged, never retried, and never
        holds up the outbox."""
        try:
            figures = self._report_figures(alert)
            if figures.team.leads:
                upload_chart(
                    self._slack,
                    figures,
                    channel=alert.channel,
                    comment=texts.CHART_WEEKLY_COMMENT,
                    thread_ts=ts,
                )
        except Exception:
            logger.warning(
                "Failed to upload the weekly report's chart (alert %d): skipped", alert.id, exc_info=True
            )

    def _notice(self, payload: dict[str, Any]) -> Message | None:
        kind = payload.get("notice")
        if kind == "watching":
            return build_watching(int(payload.get("count", 0)))
        if kind == "health":
            cause, failures = str(payload.get("cause", "")), int(payload.get("failures", 0))
            return build_health(cause, failures, source=str(payload.get("source", "poll")))
        if kind == "recovered":
            return build_recovered()
        if kind == "set_aside":
            template = texts.SET_ASIDE_AS_TEXT if payload.get("outcome") == "text" else texts.SET_ASIDE_PARKED
            what, cause = safe(str(payload.get("what", "")), 400), safe(str(payload.get("cause", "")), 400)
            return build_notice(
                template.format(what=what, cause=cause, failures=int(payload.get("failures", 0)))
            )
        return None

    def _change(self, alert: Alert, lead_id: str) -> tuple[Message | None, str | None]:
        seen = self._store.seen_lead(lead_id)
        lead = lead_of(seen) if seen else None
        if seen is None or lead is None:
            return None, None
        card = self._store.alert(seen.card_alert_id) if seen.card_alert_id else None
        if card is not None and card.message_ts:
            fresh = render_card_message(
                self._store, card, statuses=self._statuses, updated_at=alert.created_at, timing=self._timing()
            )
            if fresh is not None:
                self._update(card, fresh)
        if alert.kind == "deleted":
            note = build_deleted_note(lead)
        else:
            returned = bool(alert.payload.get("returned"))
            found = alert.payload.get("changes", [])
            by = made_by(found, self._store.audit_for(lead_id), seen_at=alert.created_at)
            note = build_change_note(lead, found, returned=returned, by=by)
        return note, card.message_ts if card else None

    def _step(self, alert: Alert, lead_id: str) -> tuple[Message | None, str | None]:
        """A ladder step: the card re-rendered with its owner and clock, and the step's note in its thread."""
        card = card_of(self._store, lead_id)
        if card is None or not card.message_ts:
            return None, None
        fresh = render_card_message(self._store, card, statuses=self._statuses, timing=self._timing())
        if fresh is not None:
            self._update(card, fresh)
        note = alert.payload.get("note")
        return (build_step_note(str(note)), card.message_ts) if note else (None, None)

    def _update(self, card: Alert, message: Message) -> None:
        """Re-renders a posted card in place; a card someone deleted in Slack is left alone."""
        self._pace(card.channel)
        try:
            self._slack.chat_update(
                channel=card.channel, ts=card.message_ts or "", text=message.text, blocks=message.blocks
            )
        except SlackApiError as error:
            if slack_error_code(error) not in GONE_MESSAGE:
                raise
            logger.warning("Card of alert %d is gone from Slack: not updated", card.id)
        finally:
            self._last_write[card.channel] = self._monotonic()

    def _mark_posting(self, alert: Alert) -> None:
        """Fenced: only while the lease is ours, which then lasts till the post can no longer be in flight."""
        self._store.mark_posting(alert.id, holder=self._holder, until=self._clock() + self._in_flight)

    def _pace(self, channel: str) -> None:
        """At most one write per `min_interval` to a channel; raises Stopping if asked to stop meanwhile."""
        last = self._last_write.get(channel)
        if last is not None:
            wait = last + self._tuning.min_interval - self._monotonic()
            if wait > 0 and self._stop.wait(wait):
                raise Stopping
        if self._stop.is_set():
            raise Stopping

    # --- failures ----------------------------------------------------------------------------

    def _failed(self, attempt: _Attempt, error: Exception) -> bool:
        """Counts the failure; True when the entry is dealt with all the same (set aside, or found posted)."""
        alert = attempt.alert
        delay = min(self._tuning.retry_base * 2**alert.attempts, self._tuning.retry_max)
        delay = max(delay, retry_after(error))
        cause = health.slack_cause(error)
        repeats = alert.repeats + 1 if alert.last_error == cause[:ERROR_LIMIT] else 1
        dealt_with = False
        if health.the_alerts_own_fault(error) and repeats >= self._tuning.set_aside_after:
            dealt_with = self._set_aside(attempt, error, cause, repeats)
        if not dealt_with:
            self._store.mark_retry(
                alert.id,
                maybe_posted=attempt.may_have_posted(error),
                next_attempt_at=self._clock() + timedelta(seconds=delay),
                error=cause,
                repeats=repeats,
            )
        if isinstance(error, SlackApiError | URLError | OSError):
            logger.warning(
                "Failed to post alert %d (lead %s), attempt %d; retrying in %.1fs: %s",
                alert.id,
                alert.lead_id or "-",
                alert.attempts + 1,
                delay,
                cause,
            )
        else:
            logger.error("Failed to post alert %d (lead %s)", alert.id, alert.lead_id or "-", exc_info=error)
        if alert.kind != "notice":
            step = health.failed("slack", cause, self._health_after)
            self._store.apply_health(step, channel=self._admin_channel, now=self._clock())
            self._health_dirty = True
        return dealt_with

    # --- an alert that keeps failing the same way --------------------------------------------------

    def _set_aside(self, attempt: _Attempt, error: Exception, cause: str, failures: int) -> bool:
        """Posts the entry as plain text, or parks it, so its channel moves on; True when done.

        Exactly once still holds: an entry that may already be in Slack is looked up first (found: recorded
        as sent), and a plain-text post that may have reached Slack keeps the entry `posting`, to be looked up.
        """
        alert = attempt.alert
        thread_ts = self._thread_of(alert)
        if attempt.may_have_posted(error):
            try:
                found = find_posted(self._slack, alert, thread_ts, lookback=self._tuning.lookback)
            except Exception:
                logger.warning("Can't yet tell whether alert %d was posted: not set aside", alert.id)
                return False
            if found:
                self._store.mark_sent(alert.id, ts=found, now=self._clock())
                return True
        outcome = self._post_as_text(alert, thread_ts, failures)
        if outcome is None:
            return True  # the plain text may have been posted: looked up on the next attempt
        if outcome == "parked":
            self._store.mark_parked(alert.id, holder=self._holder, error=cause, now=self._clock())
        logger.error(
            "Alert %d (lead %s) failed %d times in a row (%s): %s",
            alert.id,
            alert.lead_id or "-",
            failures,
            cause,
            "posted as plain text" if outcome == "text" else "set aside, never posted",
        )
        if alert.kind != "notice" and self._admin_channel:
            notice: dict[str, Any] = {"notice": "set_aside", "outcome": outcome}
            notice.update(what=health.alert_in_words(alert))
            notice.update(cause=cause, failures=failures)
            self._store.queue_alert(
                NewAlert(kind="notice", channel=self._admin_channel, payload=notice), now=self._clock()
            )
        return True

    def _post_as_text(self, alert: Alert, thread_ts: str | None, failures: int) -> str | None:
        """ "text" when posted as plain text, "parked" when that is impossible or refused, None if unsure."""
        template = texts.PLAIN_ALERT.get(alert.kind)
        if template is None:
            return "parked"
        leads = self._lead_ids(alert)
        text = template.format(leads=safe(", ".join(leads), 400), first=safe(leads[0] if leads else "", 40))
        self._pace(alert.channel)
        self._mark_posting(alert)
        try:
            ts = self._post(alert, Message(text, []), thread_ts)
        except (LeaseLost, Stopping):
            raise
        except Exception as error:
            if may_have_posted(error):
                self._store.mark_retry(
                    alert.id,
                    maybe_posted=True,
                    next_attempt_at=self._clock(),
                    error=health.slack_cause(error),
                    repeats=failures,
                )
                return None
            logger.warning("Failed to post alert %d as plain text either", alert.id, exc_info=error)
            return "parked"
        self._store.mark_sent(alert.id, ts=ts, now=self._clock())
        return "text"

    def _thread_of(self, alert: Alert) -> str | None:
        """The card thread a change or deletion note goes in (None for top-level messages)."""
        if alert.kind not in ("changed", "deleted", "step") or not alert.lead_id:
            return None
        card = card_of(self._store, alert.lead_id)
        return card.message_ts if card else None

    @staticmethod
    def _lead_ids(alert: Alert) -> list[str]:
        if alert.kind == "digest":
            return [str(lead_id) for lead_id in alert.payload.get("lead_ids", [])]
        return [alert.lead_id] if alert.lead_id else []
