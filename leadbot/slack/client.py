"""The Slack Web API client every part of leadbot uses, built in one place from the settings."""

from __future__ import annotations

from collections.abc import Mapping

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from leadbot.settings import Settings
from leadbot.slack.egress import Egress, LeadbotWebClient

SLACK_TIMEOUT_SECONDS = 10

# Slack's answers when the bot token itself is bad, revoked or gone (rather than one call refused).
SLACK_TOKEN_ERRORS = frozenset(
    {"invalid_auth", "token_revoked", "account_inactive", "not_authed", "token_expired"}
)


def slack_retries(*, server_errors: bool = True) -> list[RetryHandler]:
    """What leadbot retries on Slack: connection errors and rate limits, and 5xx unless a blind retry could
    post twice (the alert sender checks the channel's history instead)."""
    handlers: list[RetryHandler] = [
        ConnectionErrorRetryHandler(max_retry_count=2),
        RateLimitErrorRetryHandler(max_retry_count=2),
    ]
    if server_errors:
        handlers.append(ServerErrorRetryHandler(max_retry_count=2))
    return handlers


def build_slack_client(
    settings: Settings,
    *,
    egress: Egress,
    retry_server_errors: bool = True,
    retries: bool = True,
    timeout: int = SLACK_TIMEOUT_SECONDS,
) -> WebClient:
    """The Web API client: SLACK_API_URL, slack_retries() (none with `retries=False`: a call with a deadline,
    such as views.open within its trigger's 3 s, gets one try); what it sends passes `egress` (secrets out,
    marked in sandbox mode)."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return LeadbotWebClient(
        egress=egress,
        token=token,
        base_url=settings.slack_api_url,
        timeout=timeout,
        retry_handlers=slack_retries(server_errors=retry_server_errors) if retries else [],
    )


def slack_error_code(error: BaseException) -> str | None:
    """Slack's error code (`channel_not_found`, …) when Slack answered one."""
    if isinstance(error, SlackApiError):
        code = error.response.get("error") if isinstance(error.response.data, dict) else None
        return str(code) if code else None
    return None


def granted_scopes(headers: Mapping[str, object]) -> set[str] | None:
    """The scopes Slack says the token has (`x-oauth-scopes`), when it says."""
    for name, value in headers.items():
        if name.lower() == "x-oauth-scopes":
            text = value[0] if isinstance(value, list) and value else value
            return {scope.strip() for scope in str(text).split(",") if scope.strip()}
    return None
