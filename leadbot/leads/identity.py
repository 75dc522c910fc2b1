"""Who is acting: a Slack user's Easy PV email, from an admin's mapping or their Slack profile."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from leadbot import texts
from leadbot.slack.client import SLACK_TOKEN_ERRORS, granted_scopes, slack_error_code

logger = logging.getLogger(__name__)


class EmailOverrides(Protocol):
    """The part of the store identity needs."""

    def get_email_override(self, user_id: str) -> str | None: ...


class NoEmail(Exception):
    """leadbot can't act for this user; the message names the cause and the fix."""


@dataclass(frozen=True)
class ActingEmail:
    """The email leadbot sends as `userEmail`, and where it came from."""

    email: str
    source: str


class Identity:
    """Resolves Slack users to emails; profile emails are cached for `cache_seconds`."""

    def __init__(
        self,
        slack: WebClient,
        overrides: EmailOverrides,
        *,
        cache_seconds: int,
        clock: Callable[[], datetime],
    ) -> None:
        self._slack = slack
        self._overrides = overrides
        self._ttl = timedelta(seconds=cache_seconds)
        self._clock = clock
        self._cache: dict[str, tuple[str, datetime]] = {}
        self._lock = threading.Lock()

    def email_for(self, user_id: str) -> ActingEmail:
        """The email to act as; raises NoEmail (in words) when there is none."""
        override = self._overrides.get_email_override(user_id)
        if override:
            return ActingEmail(override, texts.SOURCE_ADMIN)
        now = self._clock()
        with self._lock:
            cached = self._cache.get(user_id)
        if cached and cached[1] > now:
            return ActingEmail(cached[0], texts.SOURCE_SLACK)
        email = self._profile_email(user_id)
        with self._lock:
            self._cache[user_id] = (email, now + self._ttl)
        return ActingEmail(email, texts.SOURCE_SLACK)

    def forget(self, user_id: str) -> None:
        """Drops a cached email (after an admin maps or unmaps the user)."""
        with self._lock:
            self._cache.pop(user_id, None)

    def _profile_email(self, user_id: str) -> str:
        try:
            response = self._slack.users_info(user=user_id)
        except SlackApiError as error:
            code = slack_error_code(error) or ""
            logger.warning("users.info failed for %s: %s", user_id, code)
            if code == "missing_scope":
                raise NoEmail(texts.EMAIL_SCOPE_MISSING) from None
            if code in SLACK_TOKEN_ERRORS:
                raise NoEmail(texts.SLACK_TOKEN_BROKEN) from None
            raise NoEmail(texts.EMAIL_HIDDEN) from None
        except (SlackClientError, OSError):
            logger.warning("users.info failed for %s: Slack unreachable", user_id)
            raise NoEmail(texts.SLACK_UNREACHABLE) from None
        user = response.get("user") or {}
        email = (user.get("profile") or {}).get("email")
        if isinstance(email, str) and email.strip():
            return email.strip()
        granted = granted_scopes(response.headers)
        if granted is not None and "users:read.email" not in granted:
            raise NoEmail(texts.EMAIL_SCOPE_MISSING)
        if user.get("is_bot") or user.get("is_app_user"):
            raise NoEmail(texts.EMAIL_BOT)
        if user.get("is_restricted") or user.get("is_ultra_restricted"):
            raise NoEmail(texts.EMAIL_GUEST)
        raise NoEmail(texts.EMAIL_HIDDEN)
