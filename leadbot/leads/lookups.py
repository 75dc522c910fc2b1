"""Finding one lead by ID without fetching a year: the API has no fetch-by-ID, so ask for the smallest window first.

A lead from this week is in a 7-day fetch; only an old lead (or an unknown ID) costs the whole search window.
The last fetches are remembered for a few seconds, per person, so a card's buttons and show → Edit → Save do not
fetch again; a person's own writes forget what they had fetched. One person is never answered from another's
fetch: Heatpunk shows each email only what it may see, so every entry belongs to one email.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from leadbot.heatpunk import HeatpunkClient, Lead
from leadbot.heatpunk.errors import lead_not_found

# The narrower windows tried before the whole search window, in days back from today.
WIDENING_DAYS = (7, 60)
# At most this many leads are kept across every remembered fetch: a 60-day window of a 100k-a-year account
# (~16k) fits; a bigger fetch (a whole year of it) is not kept, so memory stays small and flat.
MAX_REMEMBERED_LEADS = 20_000


def windows(search_days: int) -> list[int]:
    """The windows to try, narrowest first, ending with the whole search window."""
    return [days for days in WIDENING_DAYS if days < search_days] + [search_days]


def furthest_date(today: date, days: int, search_days: int) -> date:
    """How far back a window's fetch asks. The API's day boundary (inclusive? which timezone?) is undocumented,
    so a narrow window asks from a day earlier; the whole window asks exactly what it always has."""
    if days >= search_days:
        return today - timedelta(days=search_days)
    return today - timedelta(days=days + 1)


@dataclass(frozen=True)
class _Fetched:
    """One fetch, as one email saw it, and when."""

    at: datetime
    leads: dict[str, Lead]


class LeadLookups:
    """Finds a lead by ID in the narrowest window that holds it, remembering each person's fetches a few seconds.

    Keyed by (email, furthestDate): an entry answers only the email that fetched it. Thread-safe; bounded by
    the number of leads held (the oldest entries go first).
    """

    def __init__(
        self,
        heatpunk: HeatpunkClient,
        *,
        cache_seconds: float,
        clock: Callable[[], datetime],
        max_leads: int = MAX_REMEMBERED_LEADS,
    ) -> None:
        self._heatpunk = heatpunk
        self._ttl = timedelta(seconds=cache_seconds)
        self._clock = clock
        self._max_leads = max_leads
        self._lock = threading.Lock()
        self._fetched: OrderedDict[tuple[str, date], _Fetched] = OrderedDict()
        self._writes = 0  # how many writes were forgotten: a fetch that overlapped one is not kept

    def find(self, email: str, lead_id: str, *, today: date, search_days: int) -> Lead:
        """The lead as `email` sees it; NotFound when it is not in their whole search window."""
        remembered = self._remembered(email, lead_id)
        if remembered is not None:
            return remembered
        for days in windows(search_days):  # not in what they just fetched: fetch, widening until found
            leads = self.fetch(email, furthest_date(today, days, search_days))
            for lead in leads:
                if lead.id == lead_id:
                    return lead
        raise lead_not_found(lead_id)

    def fetch(self, email: str, since: date) -> list[Lead]:
        """A fresh fetch as `email` from `since` (lists and searches use it too), remembered for the next look-up."""
        writes_before = self._writes
        leads = self._heatpunk.fetch(email, since)
        self._remember(email, since, leads, writes_before)
        return leads

    def _remember(self, email: str, since: date, leads: Iterable[Lead], writes_before: int) -> None:
        """Keeps a fetch `email` just made so the look-ups that follow it (a card's buttons) can use it."""
        if self._ttl <= timedelta(0):
            return
        entry = _Fetched(self._clock(), {lead.id: lead for lead in leads})
        if len(entry.leads) > self._max_leads:
            return
        with self._lock:
            if self._writes != writes_before:  # a write landed while it was in flight: it may be stale
                return
            self._fetched.pop((email, since), None)
            self._fetched[(email, since)] = entry
            self._drop_expired()
            while sum(len(kept.leads) for kept in self._fetched.values()) > self._max_leads:
                self._fetched.popitem(last=False)

    def forget(self, email: str, lead_id: str | None = None) -> None:
        """After a write: drops everything `email` fetched, and every other fetch holding `lead_id`."""
        with self._lock:
            self._writes += 1
            for key, entry in list(self._fetched.items()):
                if key[0] == email or (lead_id is not None and lead_id in entry.leads):
                    del self._fetched[key]

    def _remembered(self, email: str, lead_id: str) -> Lead | None:
        """The lead from this email's newest unexpired fetch that holds it; only ever this email's own."""
        with self._lock:
            self._drop_expired()
            for (fetched_by, _since), entry in reversed(self._fetched.items()):
                if fetched_by == email and lead_id in entry.leads:
                    return entry.leads[lead_id]
        return None

    def _drop_expired(self) -> None:
        """Entries go in oldest first, so the expired ones are at the front (called with the lock held)."""
        now = self._clock()
        while self._fetched:
            key, entry = next(iter(self._fetched.items()))
            if now - entry.at < self._ttl and entry.at <= now:
                return
            del self._fetched[key]
