"""`/leads report [7d|30d|month|YYYY-MM]` and `/leads history ID`: read into typed commands (grammar.py calls
this; a mistake is a ValueError naming the word that was wrong, which grammar.py turns into its usage)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

REPORT_SUBCOMMANDS = ("report", "history")
DEFAULT_PERIOD = "7d"
MAX_PERIOD_DAYS = 366
_DAYS = re.compile(r"^(\d{1,3})d$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class LastDays:
    """The last `days` days up to now."""

    days: int


@dataclass(frozen=True)
class ThisMonth:
    """This calendar month so far, in the team's time zone."""


@dataclass(frozen=True)
class Month:
    """One calendar month (YYYY-MM), up to now if it is this month."""

    year: int
    month: int


Period = LastDays | ThisMonth | Month


@dataclass(frozen=True)
class ShowReport:
    """`/leads report [PERIOD]`: speed-to-lead figures over a period, and their chart in the channel."""

    period: Period = LastDays(7)


@dataclass(frozen=True)
class ShowHistory:
    """`/leads history ID`: what happened to one lead, oldest first."""

    lead_id: str


ReportCommand = ShowReport | ShowHistory
REPORT_COMMANDS = (ShowReport, ShowHistory)


def parse_period(text: str, today: date) -> Period:
    """`7d`, `30d` (any 1-366 days), `month`, `YYYY-MM` (not after this month); ValueError otherwise."""
    word = text.strip().lower()
    if word == "month":
        return ThisMonth()
    if days := _DAYS.match(word):
        count = int(days.group(1))
        if 1 <= count <= MAX_PERIOD_DAYS:
            return LastDays(count)
        raise ValueError(text)
    if month := _MONTH.match(word):
        year, number = int(month.group(1)), int(month.group(2))
        if 1 <= number <= 12 and (year, number) <= (today.year, today.month) and year >= 2000:
            return Month(year, number)
    raise ValueError(text)


def period_text(period: Period) -> str:
    """The period as typed (`7d`, `month`, `2026-03`)."""
    match period:
        case LastDays(days=days):
            return f"{days}d"
        case ThisMonth():
            return "month"
        case Month(year=year, month=month):
            return f"{year:04d}-{month:02d}"
