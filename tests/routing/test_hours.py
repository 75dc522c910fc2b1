"""Working hours: the spec's grammar and its words, open and closed at the edges, bank holidays of each UK
nation, both 2026 clock changes, and add / minutes_between as each other's inverse. Fixed instants only."""

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import holidays as holiday_data
import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadbot.routing.hours import MAX_CLOSED_DAYS, BankHolidays, WorkingHours

LONDON = ZoneInfo("Europe/London")
OFFICE = "Mon-Fri 08:30-18:00"
LUNCH = "Mon-Fri 08:30-12:30, 13:30-18:00"
EVERY_DAY = "Mon-Sun 08:30-18:00"


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def days_of(hours: WorkingHours) -> list[int]:
    return [day for day, windows in enumerate(hours.week) if windows]


# --- parsing -----------------------------------------------------------------------------------------------


def test_a_working_week_reads_as_seven_days_of_windows() -> None:
    hours = WorkingHours.parse("Mon-Fri 08:30-18:00; Sat 09:00-12:00")
    assert hours.week == (((510, 1080),),) * 5 + (((540, 720),), ())
    assert hours.zone == LONDON
    assert not hours.always


@pytest.mark.parametrize(
    ("spec", "days"),
    [
        ("Mon,Wed,Fri 09:00-17:00", [0, 2, 4]),
        ("Sat-Sun 09:00-17:00", [5, 6]),
        ("Fri-Mon 09:00-17:00", [0, 4, 5, 6]),
        ("Sun-Mon 09:00-17:00", [0, 6]),
        ("Mon-Tue, Thu 09:00-17:00", [0, 1, 3]),
        ("Monday 09:00-17:00; wednesday 09:00-17:00", [0, 2]),
    ],
)
def test_days_come_as_lists_and_ranges_that_may_wrap_round_the_weekend(spec: str, days: list[int]) -> None:
    assert days_of(WorkingHours.parse(spec)) == days


def test_case_and_spaces_do_not_matter_and_a_day_may_have_several_windows() -> None:
    messy = WorkingHours.parse("  mon - FRI  8:30 - 12:30 ,13:30-18:00 ; SAT 09:00-12:00 ;")
    assert messy == WorkingHours.parse("Mon-Fri 08:30-12:30, 13:30-18:00; Sat 09:00-12:00")
    assert messy.week[0] == ((510, 750), (810, 1080))


def test_windows_may_touch_and_24_00_ends_the_day() -> None:
    hours = WorkingHours.parse("Fri 18:00-24:00, 12:00-18:00; Sat 00:00-02:00")
    assert hours.week[4] == ((720, 1080), (1080, 1440))
    assert hours.week[5] == ((0, 120),)


def test_always_is_every_moment_of_every_day() -> None:
    hours = WorkingHours.parse(" Always ")
    assert hours.always
    assert hours.week == (((0, 1440),),) * 7


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        (
            "Mon-Fry 08:30-18:00",
            '"Mon-Fry 08:30-18:00": "Fry" is not a day (use Mon Tue Wed Thu Fri Sat Sun)',
        ),
        ("", 'the working hours are empty: give days and times, e.g. "Mon-Fri 08:30-18:00" (or "always")'),
        (" ; ", 'the working hours are empty: give days and times, e.g. "Mon-Fri 08:30-18:00" (or "always")'),
        ("Mon-Fri", '"Mon-Fri": no times after the days (e.g. "Mon-Fri 08:30-18:00")'),
        ("08:30-18:00", '"08:30-18:00": no days before the times (e.g. "Mon-Fri 08:30-18:00")'),
        (
            "Mon,,Fri 08:30-18:00",
            '"Mon,,Fri 08:30-18:00": "Mon,,Fri" is not a list of days (e.g. Mon-Fri or Mon,Wed,Fri)',
        ),
        (
            "Mon-Wed-Fri 08:30-18:00",
            '"Mon-Wed-Fri 08:30-18:00": "Mon-Wed-Fri" is not a list of days (e.g. Mon-Fri or Mon,Wed,Fri)',
        ),
        (
            "Mon-Fri 08:30-18:00; Fri 19:00-20:00",
            '"Fri 19:00-20:00": "Fri" is given twice (give each day once)',
        ),
        ("Mon-Wed, Tue 08:30-18:00", '"Mon-Wed, Tue 08:30-18:00": "Tue" is given twice (give each day once)'),
        ("Mon 08:30", '"Mon 08:30": "08:30" is not a start and end time (use HH:MM-HH:MM, e.g. 08:30-18:00)'),
        (
            "Mon 08:30-18:00-19:00",
            '"Mon 08:30-18:00-19:00": "08:30-18:00-19:00" is not a start and end time (use HH:MM-HH:MM, e.g. 08:30-18:00)',
        ),
        (
            "Mon 8.30-18:00",
            '"Mon 8.30-18:00": "8.30" is not a time (use 24-hour HH:MM, 00:00 to 24:00, e.g. 08:30)',
        ),
        (
            "Mon 08:30-25:00",
            '"Mon 08:30-25:00": "25:00" is not a time (use 24-hour HH:MM, 00:00 to 24:00, e.g. 08:30)',
        ),
        (
            "Mon 08:60-18:00",
            '"Mon 08:60-18:00": "08:60" is not a time (use 24-hour HH:MM, 00:00 to 24:00, e.g. 08:30)',
        ),
        (
            "Mon 24:00-24:00",
            '"Mon 24:00-24:00": "24:00" can only end a window (24:00 is the end of the day: start at 00:00)',
        ),
        (
            "Mon 18:00-08:30",
            '"Mon 18:00-08:30": "18:00-08:30" ends before it starts (a window can\'t run past midnight: split it, e.g. "Fri 22:00-24:00; Sat 00:00-02:00")',
        ),
        ("Mon 09:00-09:00", '"Mon 09:00-09:00": "09:00-09:00" starts and ends at the same time'),
        (
            "Mon 13:00-18:00, 08:30-13:30",
            '"Mon 13:00-18:00, 08:30-13:30": "08:30-13:30" and "13:00-18:00" overlap',
        ),
        (
            "always; Sat 09:00-12:00",
            '"always": "always" must be the whole of the working hours, with no other days',
        ),
    ],
)
def test_a_mistake_is_named_in_plain_words(spec: str, words: str) -> None:
    with pytest.raises(ValueError, match=re.escape(words)) as raised:
        WorkingHours.parse(spec)
    assert str(raised.value) == words


@pytest.mark.parametrize("zone", ["Europe/Lundon", "Europe", "../etc/passwd", ""])
def test_a_time_zone_must_be_an_iana_name(zone: str) -> None:
    words = f'"{zone}" is not a time zone (use a name such as Europe/London)'
    with pytest.raises(ValueError, match=re.escape(words)) as raised:
        WorkingHours.parse(OFFICE, timezone=zone)
    assert str(raised.value) == words


def test_any_iana_time_zone_will_do() -> None:
    new_york = WorkingHours.parse(OFFICE, timezone="America/New_York", holidays="none")
    assert new_york.next_opening(utc(2026, 1, 5, 12)) == utc(2026, 1, 5, 13, 30)


def test_an_unknown_holiday_calendar_lists_the_ones_there_are() -> None:
    words = (
        '"wales" is not a bank holiday calendar (use england-and-wales, scotland, northern-ireland or none)'
    )
    with pytest.raises(ValueError, match=re.escape(words)) as raised:
        WorkingHours.parse(OFFICE, holidays="wales")
    assert str(raised.value) == words


def test_holiday_calendar_names_tolerate_case_and_spaces() -> None:
    hours = WorkingHours.parse(OFFICE, holidays=" England and Wales ")
    assert not hours.is_open(utc(2026, 12, 25, 12))


# --- a working day -----------------------------------------------------------------------------------------

MONDAY = date(2026, 1, 12)  # GMT: local time is UTC


@pytest.mark.parametrize(
    ("at", "is_open"),
    [
        (utc(2026, 1, 12, 8, 29, 59), False),
        (utc(2026, 1, 12, 8, 30), True),
        (utc(2026, 1, 12, 12, 0), True),
        (utc(2026, 1, 12, 17, 59, 59), True),
        (utc(2026, 1, 12, 18, 0), False),
        (utc(2026, 1, 17, 12, 0), False),  # Saturday
    ],
)
def test_a_window_is_open_from_its_start_and_closed_at_its_end(at: datetime, is_open: bool) -> None:
    assert WorkingHours.parse(OFFICE).is_open(at) is is_open


def test_lunch_is_closed_and_the_clock_starts_again_after_it() -> None:
    hours = WorkingHours.parse(LUNCH)
    assert not hours.is_open(utc(2026, 1, 12, 12, 30))
    assert hours.next_opening(utc(2026, 1, 12, 12, 45)) == utc(2026, 1, 12, 13, 30)
    assert hours.opening_words(utc(2026, 1, 12, 12, 45)) == "13:30"
    assert hours.add(utc(2026, 1, 12, 12, 0), 60) == utc(2026, 1, 12, 14, 0)
    assert hours.minutes_between(utc(2026, 1, 12, 0, 0), utc(2026, 1, 13, 0, 0)) == 510


def test_when_open_the_next_opening_is_now() -> None:
    hours = WorkingHours.parse(OFFICE)
    assert hours.next_opening(utc(2026, 1, 12, 10, 17, 45)) == utc(2026, 1, 12, 10, 17, 45)
    assert hours.opening_words(utc(2026, 1, 12, 10, 17, 45)) == "10:17"


def test_a_friday_evening_lead_waits_for_monday_morning() -> None:
    hours = WorkingHours.parse(OFFICE)
    friday_evening = utc(2026, 1, 16, 18, 30)
    assert hours.next_opening(friday_evening) == utc(2026, 1, 19, 8, 30)
    assert hours.opening_words(friday_evening) == "Mon 08:30"
    assert hours.add(utc(2026, 1, 16, 17, 30), 60) == utc(2026, 1, 19, 9, 0)
    assert hours.minutes_between(utc(2026, 1, 16, 17, 30), utc(2026, 1, 19, 9, 0)) == 60


def test_minutes_that_run_out_at_a_window_end_land_on_that_end() -> None:
    hours = WorkingHours.parse(LUNCH)
    assert hours.add(utc(2026, 1, 16, 17, 0), 60) == utc(2026, 1, 16, 18, 0)
    assert hours.add(utc(2026, 1, 12, 12, 0), 30) == utc(2026, 1, 12, 12, 30)


def test_no_minutes_from_closed_time_is_the_next_opening() -> None:
    hours = WorkingHours.parse(OFFICE)
    assert hours.add(utc(2026, 1, 17, 12, 0), 0) == utc(2026, 1, 19, 8, 30)
    assert hours.add(utc(2026, 1, 12, 9, 0), 0) == utc(2026, 1, 12, 9, 0)


def test_no_time_passes_between_an_end_and_an_earlier_start() -> None:
    hours = WorkingHours.parse(OFFICE)
    assert hours.minutes_between(utc(2026, 1, 12, 12), utc(2026, 1, 12, 12)) == 0
    assert hours.minutes_between(utc(2026, 1, 12, 12), utc(2026, 1, 12, 10)) == 0


def test_weeks_of_minutes_count_exactly() -> None:
    hours = WorkingHours.parse(LUNCH)
    ten_weeks = 10 * 5 * 510
    start = utc(2026, 1, 12, 8, 30)
    friday_evening = utc(2026, 3, 20, 18, 0)  # ten weeks on, before the clocks change
    assert hours.add(start, ten_weeks) == friday_evening
    assert hours.minutes_between(start, utc(2026, 3, 23, 8, 30)) == ten_weeks


def test_a_far_opening_is_worded_with_its_date() -> None:
    mondays = WorkingHours.parse("Mon 08:30-18:00")
    assert mondays.opening_words(utc(2026, 1, 6, 12)) == "Mon 08:30"  # six days ahead
    assert mondays.opening_words(utc(2026, 1, 5, 19)) == "Mon 12 Jan 08:30"  # seven


# --- bank holidays -----------------------------------------------------------------------------------------


def test_a_bank_holiday_monday_makes_a_long_weekend() -> None:
    assert date(2026, 5, 4) in holiday_data.country_holidays("GB", subdiv="ENG", years=2026)  # Early May
    hours = WorkingHours.parse(OFFICE)
    friday_evening = utc(2026, 5, 1, 17, 0)  # 18:00 BST
    assert hours.next_opening(friday_evening) == utc(2026, 5, 5, 7, 30)  # Tue 08:30 BST
    assert hours.opening_words(friday_evening) == "Tue 08:30"
    assert not hours.is_open(utc(2026, 5, 4, 10, 0))
    assert hours.minutes_between(utc(2026, 5, 1, 16, 0), utc(2026, 5, 5, 8, 30)) == 120


def test_scotland_keeps_2_january_and_works_easter_monday() -> None:
    scotland = WorkingHours.parse(OFFICE, holidays="scotland")
    england = WorkingHours.parse(OFFICE)
    second_of_january = utc(2026, 1, 2, 10, 0)  # a Friday
    assert england.is_open(second_of_january)
    assert not scotland.is_open(second_of_january)
    assert scotland.next_opening(second_of_january) == utc(2026, 1, 5, 8, 30)
    easter_monday = utc(2026, 4, 6, 10, 0)
    assert scotland.is_open(easter_monday)
    assert not england.is_open(easter_monday)


def test_northern_ireland_keeps_st_patricks_day() -> None:
    st_patricks_day = utc(2026, 3, 17, 10, 0)  # a Tuesday
    assert not WorkingHours.parse(OFFICE, holidays="northern-ireland").is_open(st_patricks_day)
    assert WorkingHours.parse(OFFICE).is_open(st_patricks_day)


def test_none_works_through_christmas() -> None:
    christmas = utc(2026, 12, 25, 10, 0)  # a Friday
    assert WorkingHours.parse(OFFICE, holidays="none").is_open(christmas)
    assert not WorkingHours.parse(OFFICE).is_open(christmas)


def test_holidays_are_found_across_the_new_year() -> None:
    fridays = WorkingHours.parse("Fri 09:00-17:00")
    # Christmas Day and New Year's Day 2027 are both Fridays: the next opening is 8 January.
    assert fridays.next_opening(utc(2026, 12, 18, 18)) == utc(2027, 1, 8, 9, 0)
    assert fridays.opening_words(utc(2026, 12, 18, 18)) == "Fri 8 Jan 09:00"


def test_bank_holidays_agree_when_asked_from_many_threads() -> None:
    days = [date(2020, 1, 1) + timedelta(days=n) for n in range(0, 3650, 7)]
    calendar = BankHolidays("ENG")
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(calendar.closes, days))
    expected = holiday_data.country_holidays("GB", subdiv="ENG", years=range(2020, 2031))
    assert answers == [day in expected for day in days]


class EveryDayClosed:
    """A calendar that can't happen: it closes every day (the search must give up, not spin)."""

    def closes(self, day: date) -> bool:
        return True


def test_a_week_that_never_opens_is_refused_not_searched_forever() -> None:
    never = WorkingHours(WorkingHours.parse(OFFICE).week, LONDON, EveryDayClosed())
    with pytest.raises(ValueError, match=f"don't open in the {MAX_CLOSED_DAYS} days after 2026-01-12"):
        never.next_opening(utc(2026, 1, 12))
    with pytest.raises(ValueError, match="don't open"):
        never.add(utc(2026, 1, 12), 1)


# --- always ------------------------------------------------------------------------------------------------


def test_always_counts_every_minute_through_holidays_and_clock_changes() -> None:
    hours = WorkingHours.parse("always")
    assert hours.is_open(utc(2026, 12, 25, 3, 0))
    assert hours.next_opening(utc(2026, 12, 25, 3, 0)) == utc(2026, 12, 25, 3, 0)
    assert hours.opening_words(utc(2026, 12, 25, 3, 0)) == "03:00"
    assert hours.add(utc(2026, 3, 28, 12), 2 * 24 * 60) == utc(2026, 3, 30, 12)
    assert hours.minutes_between(utc(2026, 10, 24, 12), utc(2026, 10, 26, 12)) == 2 * 24 * 60
    assert hours.add(utc(2026, 1, 1), 3 * 366 * 24 * 60) == utc(2026, 1, 1) + timedelta(days=3 * 366)


# --- clock changes (2026: forward on 29 March, back on 25 October, both at 01:00 UTC) ----------------------


def test_across_the_spring_change_the_windows_move_an_hour_earlier_in_utc() -> None:
    hours = WorkingHours.parse(OFFICE)
    friday = utc(2026, 3, 27, 17, 0)  # 17:00 GMT
    assert hours.add(friday, 120) == utc(2026, 3, 30, 8, 30)  # Mon 09:30 BST
    assert hours.minutes_between(friday, utc(2026, 3, 30, 8, 30)) == 120
    assert hours.next_opening(utc(2026, 3, 27, 18, 0)) == utc(2026, 3, 30, 7, 30)


def test_on_the_spring_change_day_a_window_keeps_its_wall_clock_length() -> None:
    hours = WorkingHours.parse(EVERY_DAY, holidays="none")
    assert hours.next_opening(utc(2026, 3, 29, 0, 0)) == utc(2026, 3, 29, 7, 30)  # 08:30 BST
    assert hours.minutes_between(utc(2026, 3, 28), utc(2026, 3, 30)) == 2 * 570
    assert hours.add(utc(2026, 3, 28, 17, 0), 60) == utc(2026, 3, 28, 18, 0)  # Saturday's end, GMT
    assert hours.add(utc(2026, 3, 28, 17, 30), 60) == utc(2026, 3, 29, 8, 0)  # Sunday 09:00 BST
    assert not hours.is_open(utc(2026, 3, 29, 17, 0))  # 18:00 BST


def test_the_skipped_spring_hour_is_never_open() -> None:
    skipped = WorkingHours.parse("Sun 01:00-02:00", holidays="none")
    assert skipped.next_opening(utc(2026, 3, 28)) == utc(2026, 4, 5, 0, 0)  # a week later, 01:00 BST
    into_it = WorkingHours.parse("Sun 00:30-01:30", holidays="none")
    assert into_it.minutes_between(utc(2026, 3, 29), utc(2026, 3, 30)) == 30
    out_of_it = WorkingHours.parse("Sun 01:30-03:00", holidays="none")
    assert out_of_it.next_opening(utc(2026, 3, 28)) == utc(2026, 3, 29, 1, 0)  # when the clocks jump
    assert out_of_it.add(utc(2026, 3, 28), 60) == utc(2026, 3, 29, 2, 0)  # 03:00 BST


def test_a_whole_day_is_23_hours_in_spring_and_25_in_autumn() -> None:
    sundays = WorkingHours.parse("Sun 00:00-24:00", holidays="none")
    assert sundays.minutes_between(utc(2026, 3, 28), utc(2026, 3, 31)) == 23 * 60
    assert sundays.minutes_between(utc(2026, 10, 24), utc(2026, 10, 27)) == 25 * 60


def test_across_the_autumn_change_the_windows_move_an_hour_later_in_utc() -> None:
    hours = WorkingHours.parse(OFFICE)
    friday = utc(2026, 10, 23, 16, 0)  # 17:00 BST
    assert hours.add(friday, 120) == utc(2026, 10, 26, 9, 30)  # Mon 09:30 GMT
    assert hours.minutes_between(friday, utc(2026, 10, 26, 9, 30)) == 120
    every_day = WorkingHours.parse(EVERY_DAY, holidays="none")
    assert every_day.minutes_between(utc(2026, 10, 24), utc(2026, 10, 26)) == 2 * 570
    assert every_day.next_opening(utc(2026, 10, 25, 0, 0)) == utc(2026, 10, 25, 8, 30)


def test_the_repeated_autumn_hour_counts_twice_inside_a_window() -> None:
    repeated = WorkingHours.parse("Sun 01:00-02:00", holidays="none")
    assert repeated.next_opening(utc(2026, 10, 24)) == utc(2026, 10, 25, 0, 0)  # the first 01:00 (BST)
    assert repeated.is_open(utc(2026, 10, 25, 1, 30))  # the second 01:30 (GMT)
    assert repeated.minutes_between(utc(2026, 10, 24), utc(2026, 10, 26)) == 120
    touching = WorkingHours.parse("Sun 00:00-01:30, 01:30-03:00", holidays="none")
    assert touching.add(utc(2026, 10, 24), 90) == utc(2026, 10, 25, 0, 30)  # 01:30 BST, the first one
    assert touching.minutes_between(utc(2026, 10, 24), utc(2026, 10, 26)) == 240


# --- add and minutes_between are each other's inverse ------------------------------------------------------

YEAR_START = utc(2026, 1, 1)
MINUTES_IN_2026 = 365 * 24 * 60
STARTS = st.integers(0, MINUTES_IN_2026).map(lambda minute: YEAR_START + timedelta(minutes=minute))
WEEKS = WorkingHours.parse("Mon-Fri 08:30-12:30, 13:30-18:00; Sat 09:00-12:00; Sun 01:30-02:30")


@given(start=STARTS, minutes=st.integers(0, 3 * 5 * 8 * 60))
def test_counting_back_what_was_added_gives_the_minutes_again(start: datetime, minutes: int) -> None:
    end = WEEKS.add(start, minutes)
    assert WEEKS.minutes_between(start, end) == minutes
    assert end >= start
    assert WEEKS.is_open(end) or WEEKS.is_open(end - timedelta(microseconds=1))  # open, or a window's end


@given(start=STARTS, minutes=st.floats(0, 5000, allow_nan=False))
def test_fractions_of_a_minute_round_trip_to_the_microsecond(start: datetime, minutes: float) -> None:
    assert WEEKS.minutes_between(start, WEEKS.add(start, minutes)) == pytest.approx(minutes, abs=1e-6)


# --- times in and out --------------------------------------------------------------------------------------


def test_a_naive_time_is_refused() -> None:
    hours = WorkingHours.parse(OFFICE)
    naive = datetime(2026, 1, 12, 9, 0)
    for ask in (hours.is_open, hours.next_opening, hours.opening_words, lambda at: hours.add(at, 5)):
        with pytest.raises(ValueError, match="has no time zone"):
            ask(naive)
    with pytest.raises(ValueError, match="has no time zone"):
        hours.minutes_between(utc(2026, 1, 12), naive)


def test_an_aware_time_in_another_zone_is_read_as_its_instant_and_answered_in_utc() -> None:
    hours = WorkingHours.parse(OFFICE)
    paris_nine = datetime(2026, 1, 12, 9, 0, tzinfo=timezone(timedelta(hours=1)))  # 08:00 UTC
    opening = hours.next_opening(paris_nine)
    assert opening == utc(2026, 1, 12, 8, 30)
    assert opening.tzinfo is UTC


@pytest.mark.parametrize("minutes", [-1, float("nan"), float("inf")])
def test_minutes_must_be_zero_or_more(minutes: float) -> None:
    with pytest.raises(ValueError, match="is not a number of working minutes"):
        WorkingHours.parse(OFFICE).add(utc(2026, 1, 12), minutes)
