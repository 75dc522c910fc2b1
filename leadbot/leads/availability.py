"""Who can take a lead right now: not away (`/leads away`), inside the team's hours, not on Slack Do Not Disturb.

Do Not Disturb is read with `dnd.info` (scope `dnd:read`), each person's answer kept `dnd_cache_seconds`.
When leadbot may not read it, or Slack fails, the person counts as available: DND never breaks routing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from leadbot.routing.hours import WorkingHours
from leadbot.store import Store

logger = logging.getLogger(__name__)

# Slack's answers meaning leadbot may not read DND at all (not worth asking again).
NOT_READABLE = frozenset({"missing_scope", "not_allowed", "not_allowed_token_type", "no_permission"})


class Why(Enum):
    """Why someone can't take a lead now."""

    AWAY = "away"
    OUTSIDE_HOURS = "outside hours"
    DND = "dnd"


@dataclass(frozen=True)
class Presence:
    """Someone's availability now: `why` None means available; `until` when it ends, where known
    (away: None means until they say they're back; DND: when it ends; outside hours: the next opening)."""

    user_id: str
    why: Why | None = None
    until: datetime | None = None

    @property
    def available(self) -> bool:
        return self.why is None


@dataclass(frozen=True)
class _Dnd:
    """One dnd.info answer: DND until this moment (None: not on DND), kept until `expires`."""

    until: datetime | None
    expires: datetime


class Availability:
    """`available(user_id)` for routing, `presence(user_id)` for people (the rota's "why not")."""

    def __init__(
        self,
        store: Store,
        slack: WebClient,
        hours: WorkingHours,
        clock: Callable[[], datetime],
        dnd_cache_seconds: float = 60,
    ) -> None:
        self._store = store
        self._slack = slack
        self._hours = hours
        self._clock = clock
        self._cache_for = timedelta(seconds=dnd_cache_seconds)
        self._lock = threading.Lock()
        self._dnd: dict[str, _Dnd] = {}
        self._unreadable = False  # leadbot may not read DND here: stop asking
        self._warned = False

    def available(self, user_id: str) -> bool:
        return self.presence(user_id).available

    def presence(self, user_id: str) -> Presence:
        """Away first (the store), then the team's hours, then Slack's Do Not Disturb (asked only if needed)."""
        now = self._clock()
        away = self._store.away(now)
        if user_id in away:
            return Presence(user_id, Why.AWAY, away[user_id])
        if not self._hours.is_open(now):
            return Presence(user_id, Why.OUTSIDE_HOURS, self._hours.next_opening(now))
        dnd_until = self._dnd_until(user_id, now)
        if dnd_until is not None:
            return Presence(user_id, Why.DND, dnd_until)
        return Presence(user_id)

    def _dnd_until(self, user_id: str, now: datetime) -> datetime | None:
        with self._lock:
            cached = self._dnd.get(user_id)
            if self._unreadable or (cached is not None and now < cached.expires):
                return _still_on(cached, now)
        until = self._ask_slack(user_id, now)
        with self._lock:
            self._dnd[user_id] = _Dnd(until, now + self._cache_for)
        return _still_on(self._dnd[user_id], now)

    def _ask_slack(self, user_id: str, now: datetime) -> datetime | None:
        try:
            answer = self._slack.dnd_info(user=user_id)
        except SlackApiError as error:
            code = str(error.response.get("error", "")) if error.response is not None else ""
            if code in NOT_READABLE:
                self._unreadable = True
            self._warn("leadbot can't read Do Not Disturb (%s): counting everyone as available", code)
            return None
        except Exception as error:  # never break routing over DND
            self._warn(
                "Reading Do Not Disturb failed (%s): counting people as available", type(error).__name__
            )
            return None
        return dnd_until(answer.data if isinstance(answer.data, dict) else {}, now)

    def _warn(self, message: str, detail: str) -> None:
        with self._lock:
            if self._warned:
                return
            self._warned = True
        logger.warning(message, detail)


def _still_on(cached: _Dnd | None, now: datetime) -> datetime | None:
    return cached.until if cached is not None and cached.until is not None and cached.until > now else None


def dnd_until(answer: dict[str, Any], now: datetime) -> datetime | None:
    """When a dnd.info answer's Do Not Disturb ends, if it is on at `now`: a snooze ending later, or the
    scheduled DND window (next_dnd_start_ts..next_dnd_end_ts) holding `now`; None when not on DND."""
    ends: list[datetime] = []
    snooze_end = _moment(answer.get("snooze_endtime"))
    if answer.get("snooze_enabled") and snooze_end is not None and snooze_end > now:
        ends.append(snooze_end)
    start, end = _moment(answer.get("next_dnd_start_ts")), _moment(answer.get("next_dnd_end_ts"))
    if answer.get("dnd_enabled") and start is not None and end is not None and start <= now < end:
        ends.append(end)
    return max(ends) if ends else None


def _moment(value: Any) -> datetime | None:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    if seconds <= 0:
        return None
    return datetime.fromtimestamp(seconds, UTC)
