"""Health: which failure it was (worded in texts.py), and the pure rule for when the admin channel hears."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.exc import SQLAlchemyError

from leadbot import texts
from leadbot.heatpunk import HeatpunkError, InvalidRequest, NotFound, Reason
from leadbot.slack.client import SLACK_TOKEN_ERRORS, slack_error_code
from leadbot.store import Alert, Health
from leadbot.store.leads import HealthStep
from leadbot.store.records import HealthSource

CAUSE_LIMIT = 400

SLACK_CHANNEL_ERRORS = frozenset({"channel_not_found", "not_in_channel", "is_archived", "restricted_action"})
# Slack's refusals that say nothing about one message: every alert would fail the same way.
SLACK_NOT_THE_MESSAGE = frozenset(
    {
        *SLACK_TOKEN_ERRORS,
        *SLACK_CHANNEL_ERRORS,
        "missing_scope",
        "ratelimited",
        "rate_limited",
        "fatal_error",
    }
    | {"internal_error", "service_unavailable", "request_timeout", "team_access_not_granted"}
)


def poll_cause(error: BaseException) -> str:
    """Why a poll failed, for people: which setting or service to look at."""
    if not isinstance(error, HeatpunkError):
        return texts.FAILURE_UNEXPECTED.format(detail=type(error).__name__)
    if error.reason is Reason.NO_ACCESS:
        return texts.POLL_EMAIL_REFUSED  # the poller's own email, named by its setting
    if error.reason is Reason.KEY_REJECTED:
        return texts.heatpunk_failure(error)
    if isinstance(error, InvalidRequest | NotFound):
        return texts.POLL_API_REFUSED.format(detail=texts.heatpunk_failure(error))
    return texts.POLL_API_DOWN.format(detail=texts.heatpunk_failure(error))


def slack_cause(error: BaseException) -> str:
    """Why a post to Slack failed, for people."""
    code = slack_error_code(error)
    if code in SLACK_TOKEN_ERRORS:
        return texts.ALERTS_SLACK_REJECTED.format(error=code)
    if code in SLACK_CHANNEL_ERRORS:
        return texts.ALERTS_SLACK_CHANNEL.format(error=code)
    if code == "missing_scope" and isinstance(error, SlackApiError):
        needed = error.response.get("needed") or texts.ALERTS_SOME_SCOPE
        return texts.ALERTS_SLACK_SCOPE.format(detail=needed)
    if isinstance(error, SlackApiError):
        status = error.response.status_code
        if code and the_alerts_own_fault(error):
            return texts.ALERTS_SLACK_REFUSED.format(detail=code)
        return texts.ALERTS_SLACK_DOWN.format(detail=code or f"HTTP {status}")
    if isinstance(error, SlackClientError | OSError):  # URLError, timeouts, refused connections
        return texts.ALERTS_SLACK_DOWN.format(detail=type(error).__name__)
    return texts.FAILURE_UNEXPECTED.format(detail=type(error).__name__)


def the_alerts_own_fault(error: BaseException) -> bool:
    """Would this failure repeat for this alert however long it waits, while other alerts could go?

    Slack refusing the message itself (a 4xx `ok: false` about its content), or leadbot failing to render
    it, say yes; an outage, a rate limit, a revoked token, a channel leadbot can't post in or a database
    error say no: those are waited out, never a reason to set an alert aside.
    """
    if isinstance(error, SlackApiError):
        status = error.response.status_code
        return status < 500 and status != 429 and slack_error_code(error) not in SLACK_NOT_THE_MESSAGE
    return not isinstance(error, SlackClientError | OSError | SQLAlchemyError)


def alert_in_words(alert: Alert) -> str:
    """Which alert, for the admin channel and /healthz: its kind and its leads."""
    leads = alert.payload.get("lead_ids", []) if alert.kind == "digest" else [alert.lead_id or ""]
    return texts.SET_ASIDE_WHAT[alert.kind].format(leads=", ".join(str(lead) for lead in leads))


def failed(source: HealthSource, cause: str, threshold: int) -> HealthStep:
    """One more failure; the threshold-th in a row (from either source) queues one health notice."""

    def step(health: Health) -> tuple[Health, dict[str, Any] | None]:
        streaks = {"poll": health.poll_failures, "slack": health.slack_failures}
        streaks[source] += 1
        after = Health(streaks["poll"], streaks["slack"], cause[:CAUSE_LIMIT], health.posted)
        if streaks[source] >= threshold and not health.posted:
            notice = {"notice": "health", "cause": after.cause, "failures": streaks[source], "source": source}
            return replace(after, posted=True), notice
        return after, None

    return step


def succeeded(source: HealthSource) -> HealthStep:
    """A success ends that source's streak; when both are clear after a notice, one "recovered" notice."""

    def step(health: Health) -> tuple[Health, dict[str, Any] | None]:
        poll = 0 if source == "poll" else health.poll_failures
        after = replace(
            health, poll_failures=poll, slack_failures=0 if source == "slack" else health.slack_failures
        )
        if after.poll_failures or after.slack_failures:
            return after, None
        if health.posted:
            return Health(), {"notice": "recovered"}
        return Health(), None

    return step
