"""Health: failure causes in words, and the pure rule for when the admin channel hears about them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError

from leadbot.heatpunk import AuthError, HeatpunkError, InvalidRequest, NotFound, Unavailable
from leadbot.slack.client import SLACK_TOKEN_ERRORS, slack_error_code
from leadbot.store import Health
from leadbot.store.leads import HealthStep
from leadbot.store.records import HealthSource

CAUSE_LIMIT = 400
KEY_REJECTED = (
    "Heatpunk rejected leadbot's API key (HEATPUNK_API_KEY): ask a Pro team owner or admin for a new key "
    "(Pro account settings → CRM connections)."
)
EMAIL_REFUSED = (
    "Heatpunk says the poll email (LEADBOT_POLL_EMAIL) has no access to the team's leads: ask a Pro team "
    "admin to add it to the team, or set LEADBOT_POLL_EMAIL to an admin's email."
)
API_DOWN = "the Heatpunk API is down or not answering: {detail}"
API_REFUSED = "Heatpunk refused leadbot's request: {detail}"
SLACK_REJECTED = (
    "Slack rejected leadbot's bot token ({error}): the app may have been uninstalled or the token revoked. "
    "Reinstall it and update SLACK_BOT_TOKEN."
)
SLACK_CHANNEL = (
    "leadbot can't post in the alert channel ({error}): invite leadbot to it (`/invite @leadbot`) or check "
    "LEADBOT_ALERT_CHANNEL."
)
SLACK_SCOPE = "leadbot's Slack app lacks a permission ({detail}): add it to the app and reinstall."
SLACK_DOWN = "Slack is down or not answering ({detail})."
UNEXPECTED = "an unexpected error inside leadbot ({detail}): see its logs."

SLACK_CHANNEL_ERRORS = frozenset({"channel_not_found", "not_in_channel", "is_archived", "restricted_action"})


def poll_cause(error: BaseException) -> str:
    """Why a poll failed, for people: which setting or service to look at."""
    if isinstance(error, AuthError):
        return KEY_REJECTED if error.reason == "key" else EMAIL_REFUSED
    if isinstance(error, Unavailable):
        return API_DOWN.format(detail=error.message)
    if isinstance(error, InvalidRequest | NotFound):
        return API_REFUSED.format(detail=error.message)
    if isinstance(error, HeatpunkError):
        return API_DOWN.format(detail=error.message)
    return UNEXPECTED.format(detail=type(error).__name__)


def slack_cause(error: BaseException) -> str:
    """Why a post to Slack failed, for people."""
    code = slack_error_code(error)
    if code in SLACK_TOKEN_ERRORS:
        return SLACK_REJECTED.format(error=code)
    if code in SLACK_CHANNEL_ERRORS:
        return SLACK_CHANNEL.format(error=code)
    if code == "missing_scope" and isinstance(error, SlackApiError):
        needed = error.response.get("needed") or "a scope"
        return SLACK_SCOPE.format(detail=needed)
    if isinstance(error, SlackApiError):
        status = error.response.status_code
        return SLACK_DOWN.format(detail=code or f"HTTP {status}")
    if isinstance(error, SlackClientError | OSError):  # URLError, timeouts, refused connections
        return SLACK_DOWN.format(detail=type(error).__name__)
    return UNEXPECTED.format(detail=type(error).__name__)


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
