"""Working hours: when a team works, in its own time zone, so leadbot's clocks count only working minutes.

Pure: no I/O and no module state. Every datetime in and out is aware and in UTC; local wall time lives only
inside. Clock changes, as chosen here: a wall time means the first moment the clock shows it, so a window that
takes in the repeated autumn hour runs that hour twice, and a wall time the spring clocks skip means the
moment they jump (a window wholly inside the skipped hour is empty).
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holiday_data

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
FULL_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# The bank holiday calendars people may name, and each one's UK subdivision in the `holidays` package.
CALENDARS: dict[str, str | None] = {
    "england-and-wales": "ENG",
    "scotland": "SCT",
    "northern-ireland": "NIR",
    "none": None,
}
ALWAYS = "always"
MINUTES_PER_DAY = 24 * 60
# A search for the next opening gives up after this many closed days in a row (a bad calendar, never a week).
MAX_CLOSED_DAYS = 366
WORDS_DAYS_AHEAD = 6  # an opening further away than this many local days is worded with its date

_MINUTE = timedelta(minutes=1)
_ALWAYS_CHUNK = timedelta(days=366)
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")

# --- the words (a person setting an environment variable reads these) -----------------------------------

EMPTY_SPEC = 'the working hours are empty: give days and times, e.g. "Mon-Fri 08:30-18:00" (or "always")'
ALWAYS_ALONE = '"always" must be the whole of the working hours, with no other days'
NO_TIMES = 'no times after the days (e.g. "Mon-Fri 08:30-18:00")'
NO_DAYS = 'no days before the times (e.g. "Mon-Fri 08:30-18:00")'
NOT_A_DAY = '"{word}" is not a day (use Mon Tue Wed Thu Fri Sat Sun)'
NOT_DAYS = '"{word}" is not a list of days (e.g. Mon-Fri or Mon,Wed,Fri)'
DAY_TWICE = '"{word}" is given twice (give each day once)'
NOT_A_WINDOW = '"{word}" is not a start and end time (use HH:MM-HH:MM, e.g. 08:30-18:00)'
NOT_A_TIME = '"{word}" is not a time (use 24-hour HH:MM, 00:00 to 24:00, e.g. 08:30)'
STARTS_AT_24 = '"{word}" can only end a window (24:00 is the end of the day: start at 00:00)'
ENDS_BEFORE_START = '"{word}" ends before it starts (a window can\'t run past midnight: split it, e.g. "Fri 22:00-24:00; Sat 00:00-02:00")'
EMPTY_WINDOW = '"{word}" starts and ends at the same time'
OVERLAP = '"{word}" and "{other}" overlap'
NOT_A_ZONE = '"{word}" is not a time zone (use a name such as Europe/London)'
NOT_A_CALENDAR = (
    '"{word}" is not a bank holiday calendar (use england-and-wales, scotland, northern-ireland or none)'
)
NAIVE_TIME = "{moment} has no time zone (working hours need aware UTC times)"
NEGATIVE_MINUTES = "{minutes} is not a number of working minutes (give zero or more)"
NEVER_OPEN = "the working hours don't open in the {days} days after {moment}"

Window = tuple[int, int]  # minutes after local midnight, [start, end)
Week = tuple[tuple[Window, ...], ...]  # seven days, Monday first; () for a closed day


# --- bank holidays ---------------------------------------------------------------------------------------


class HolidayCalendar(Protocol):
    """Which local days are closed all day, whatever the week says."""

    def closes(self, day: date) -> bool: ...


class NoHolidays:
    """A calendar with no holidays: `none`, and `always`."""

    def closes(self, day: date) -> bool:
        """Never: every day is an ordinary day."""
        return False


class BankHolidays:
    """One UK nation's bank holidays, worked out a year at a time when first asked (safe from many threads)."""

    def __init__(self, subdivision: str) -> None:
        self._subdivision = subdivision
        self._years: dict[int, frozenset[date]] = {}
        self._lock = threading.Lock()

    def closes(self, day: date) -> bool:
        """True on a bank holiday (substitute days included)."""
        return day in self._year(day.year)

    def _year(self, year: int) -> frozenset[date]:
        known = self._years.get(year)
        if known is not None:
            return known
        with self._lock:
            if year not in self._years:
                found = holiday_data.country_holidays("GB", subdiv=self._subdivision, years=year)
                self._years[year] = frozenset(found.keys())
            return self._years[year]


# --- the working week -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkingHours:
    """A team's working week in its own time zone, minus bank holidays: what leadbot's clocks count."""

    week: Week
    zone: ZoneInfo
    calendar: HolidayCalendar = field(default_factory=NoHolidays, compare=False)
    always: bool = False  # open every moment (24/7, holidays ignored)

    @classmethod
    def parse(
        cls, spec: str, *, timezone: str = "Europe/London", holidays: str = "england-and-wales"
    ) -> WorkingHours:
        """`Mon-Fri 08:30-18:00; Sat 09:00-12:00` → WorkingHours; a mistake raises ValueError in plain words."""
        always = spec.strip().lower() == ALWAYS
        week = _ALL_DAY_EVERY_DAY if always else _parse_week(spec)
        zone = _zone(timezone)
        calendar = _calendar(holidays)
        if always:
            return cls(week, zone, NoHolidays(), always=True)
        return cls(week, zone, calendar)

    def is_open(self, at: datetime) -> bool:
        """True when `at` falls inside a window (a window's start is open, its end closed)."""
        at = _utc(at)
        opening, _ = next(self._windows(at))
        return opening <= at

    def next_opening(self, at: datetime) -> datetime:
        """When the clock next runs: `at` itself when open."""
        at = _utc(at)
        opening, _ = next(self._windows(at))
        return max(opening, at)

    def add(self, start: datetime, minutes: float) -> datetime:
        """The moment `minutes` working minutes after `start`; when they run out at a window's end, that end."""
        start = _utc(start)
        left = _duration(minutes)
        for opening, closing in self._windows(start):
            begin = max(opening, start)
            if left <= closing - begin:
                return begin + left
            left -= closing - begin
        raise AssertionError("_windows never runs out")  # pragma: no cover

    def minutes_between(self, start: datetime, end: datetime) -> float:
        """Working minutes in [start, end); 0 if end <= start. add's inverse: minutes_between(s, add(s, m)) == m."""
        start, end = _utc(start), _utc(end)
        if end <= start:
            return 0.0
        total = timedelta()
        for opening, closing in self._windows(start, until=end):
            if opening >= end:
                break
            total += min(closing, end) - max(opening, start)
        return total / _MINUTE

    def opening_words(self, at: datetime) -> str:
        """When the clock starts, in local time as people say it: "08:30" today, "Tue 08:30", "Mon 4 Jan 08:30"."""
        at = _utc(at)
        opening = self.next_opening(at).astimezone(self.zone)
        days_ahead = (opening.date() - at.astimezone(self.zone).date()).days
        clock = f"{opening.hour:02d}:{opening.minute:02d}"
        if days_ahead == 0:
            return clock
        day_name = DAY_NAMES[opening.weekday()]
        if days_ahead > WORDS_DAYS_AHEAD:
            return f"{day_name} {opening.day} {MONTH_NAMES[opening.month - 1]} {clock}"
        return f"{day_name} {clock}"

    def _windows(self, after: datetime, until: datetime | None = None) -> Iterator[tuple[datetime, datetime]]:
        """The open spans in UTC, in order, that end after `after`; stops at the first day starting at `until`."""
        if self.always:
            yield from _endless(after)
            return
        day = after.astimezone(self.zone).date() - timedelta(days=1)  # a repeated hour may cross midnight
        closed_days = 0
        while until is None or self._wall_instant(day, 0) < until:
            spans = self._day_windows(day)
            yield from ((opening, closing) for opening, closing in spans if closing > after)
            closed_days = 0 if spans else closed_days + 1
            if closed_days > MAX_CLOSED_DAYS:
                raise ValueError(NEVER_OPEN.format(days=MAX_CLOSED_DAYS, moment=after.isoformat()))
            day += timedelta(days=1)

    def _day_windows(self, day: date) -> list[tuple[datetime, datetime]]:
        """One local day's windows as UTC spans; none on a holiday, and none that the clocks skip entirely."""
        if self.calendar.closes(day):
            return []
        spans = [
            (self._wall_instant(day, start), self._wall_instant(day, end))
            for start, end in self.week[day.weekday()]
        ]
        return [(opening, closing) for opening, closing in spans if closing > opening]

    def _wall_instant(self, day: date, minute: int) -> datetime:
        """The first moment the local clock shows `minute` after `day`'s midnight; for a skipped time, the jump."""
        wall = datetime.combine(day, time()) + timedelta(minutes=minute)
        first = wall.replace(tzinfo=self.zone, fold=0).astimezone(UTC)  # the earlier of a repeated time
        if first.astimezone(self.zone).replace(tzinfo=None) == wall:
            return first
        before_jump = wall.replace(tzinfo=self.zone, fold=1).astimezone(UTC)
        return _jump(self.zone, before_jump, first)


_ALL_DAY_EVERY_DAY: Week = tuple(((0, MINUTES_PER_DAY),) for _ in DAY_NAMES)


def _endless(after: datetime) -> Iterator[tuple[datetime, datetime]]:
    """Back-to-back spans from `after` on, for `always`: a year at a time, so nothing steps by the day."""
    while True:
        yield after, after + _ALWAYS_CHUNK
        after += _ALWAYS_CHUNK


def _jump(zone: ZoneInfo, before: datetime, after: datetime) -> datetime:
    """The moment `zone`'s clocks jump, between `before` (old offset) and `after` (new), to the second."""
    new_offset = after.astimezone(zone).utcoffset()
    low, high = int(before.timestamp()), int(after.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, zone).utcoffset() == new_offset:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


def _utc(moment: datetime) -> datetime:
    """`moment` in UTC; a naive one is refused (its zone would be a guess)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(NAIVE_TIME.format(moment=moment.isoformat()))
    return moment.astimezone(UTC)


def _duration(minutes: float) -> timedelta:
    if not math.isfinite(minutes) or minutes < 0:
        raise ValueError(NEGATIVE_MINUTES.format(minutes=minutes))
    return timedelta(minutes=minutes)


# --- reading the setting ----------------------------------------------------------------------------------


def _wrong(part: str, problem: str) -> ValueError:
    """A spec mistake: the part as typed, then what is wrong with it."""
    return ValueError(f'"{part}": {problem}')


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(NOT_A_ZONE.format(word=name)) from None


def _calendar(name: str) -> HolidayCalendar:
    key = "-".join(name.strip().lower().replace("_", " ").replace("-", " ").split())
    if key not in CALENDARS:
        raise ValueError(NOT_A_CALENDAR.format(word=name))
    subdivision = CALENDARS[key]
    return NoHolidays() if subdivision is None else BankHolidays(subdivision)


def _parse_week(spec: str) -> Week:
    """`Mon-Fri 08:30-18:00; Sat 09:00-12:00` → seven days of windows; each day may be given once."""
    parts = [part.strip() for part in spec.split(";") if part.strip()]
    if not parts:
        raise ValueError(EMPTY_SPEC)
    week: dict[int, tuple[Window, ...]] = {}
    for part in parts:
        days, windows = _parse_part(part)
        for day in days:
            if day in week:
                raise _wrong(part, DAY_TWICE.format(word=DAY_NAMES[day]))
            week[day] = windows
    return tuple(week.get(day, ()) for day in range(len(DAY_NAMES)))


def _parse_part(part: str) -> tuple[list[int], tuple[Window, ...]]:
    """`Mon-Fri 08:30-12:30, 13:30-18:00` → its days (Monday is 0) and its windows, in order."""
    if part.lower() == ALWAYS:
        raise _wrong(part, ALWAYS_ALONE)
    first_digit = re.search(r"\d", part)
    if first_digit is None:
        raise _wrong(part, NO_TIMES)
    day_text, time_text = part[: first_digit.start()], part[first_digit.start() :]
    if not day_text.strip():
        raise _wrong(part, NO_DAYS)
    return _parse_days(part, day_text), _parse_windows(part, time_text)


def _parse_days(part: str, text: str) -> list[int]:
    """`Mon-Wed, Fri` → [0, 1, 2, 4]; a range may wrap round the weekend (`Fri-Mon`)."""
    days: list[int] = []
    for item in text.split(","):
        ends = [end.strip() for end in item.split("-")]
        if len(ends) > 2 or not all(ends):
            raise _wrong(part, NOT_DAYS.format(word=text.strip()))
        first, last = _day(part, ends[0]), _day(part, ends[-1])
        for day in _day_range(first, last):
            if day in days:
                raise _wrong(part, DAY_TWICE.format(word=DAY_NAMES[day]))
            days.append(day)
    return days


def _day(part: str, word: str) -> int:
    lowered = word.lower()
    for number, (short, full) in enumerate(zip(DAY_NAMES, FULL_DAY_NAMES, strict=True)):
        if lowered in (short.lower(), full):
            return number
    raise _wrong(part, NOT_A_DAY.format(word=word))


def _day_range(first: int, last: int) -> list[int]:
    return [(first + step) % len(DAY_NAMES) for step in range((last - first) % len(DAY_NAMES) + 1)]


def _parse_windows(part: str, text: str) -> tuple[Window, ...]:
    """`08:30-12:30, 13:30-18:00` → ((510, 750), (810, 1080)); windows may touch but not overlap."""
    typed = sorted(_window(part, word.strip()) for word in text.split(","))
    for (_, earlier_end, earlier), (later_start, _, later) in pairwise(typed):
        if later_start < earlier_end:
            raise _wrong(part, OVERLAP.format(word=earlier, other=later))
    return tuple((start, end) for start, end, _ in typed)


def _window(part: str, word: str) -> tuple[int, int, str]:
    """`08:30-18:00` → (510, 1080, the word as typed)."""
    ends = word.split("-")
    if len(ends) != 2:
        raise _wrong(part, NOT_A_WINDOW.format(word=word))
    start, end = (
        _minute(part, ends[0].strip(), ends_window=False),
        _minute(part, ends[1].strip(), ends_window=True),
    )
    if end < start:
        raise _wrong(part, ENDS_BEFORE_START.format(word=word))
    if end == start:
        raise _wrong(part, EMPTY_WINDOW.format(word=word))
    return start, end, word


def _minute(part: str, word: str, *, ends_window: bool) -> int:
    """`08:30` → 510; `24:00` → 1440, only as a window's end."""
    match = _TIME.match(word)
    if match is None:
        raise _wrong(part, NOT_A_TIME.format(word=word))
    hour, minute = int(match[1]), int(match[2])
    if (hour, minute) == (24, 0):
        if not ends_window:
            raise _wrong(part, STARTS_AT_24.format(word=word))
        return MINUTES_PER_DAY
    if hour > 23 or minute > 59:
        raise _wrong(part, NOT_A_TIME.format(word=word))
    return hour * 60 + minute
