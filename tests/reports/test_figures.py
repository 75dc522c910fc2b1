"""Report figures from a seeded week with known answers: working minutes (a weekend in between), median and
nearest-rank 90th percentile, shares within 5 min and 1 h, Quote and Sale, by person and by source."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from leadbot.blocks.reports import DayPoint, Spread, Tally
from leadbot.leads.report_grammar import LastDays, Month, ThisMonth
from leadbot.reports.figures import compute, percentile_90, source_name, week_before, window_of
from leadbot.store import Store
from tests.reports.seeded import HOURS, U1, U2, local, seed


@pytest.fixture
def seeded(database_url: str) -> Iterator[Store]:
    store = Store.open(database_url)
    seed(store)
    yield store
    store.close()


def test_the_weeks_figures_match_the_known_answers(seeded: Store) -> None:
    figures = compute(seeded, window_of(LastDays(7), local("2026-03-09T00:00"), HOURS), HOURS)
    assert figures.team == Tally(
        name="",
        leads=6,
        owned=5,
        contacted=4,
        claim=Spread(median=2.0, p90=10.0),  # 0, 2, 2, 10, 10
        contact=Spread(median=11.5, p90=45.0),  # 3, 3, 20, 45
        within_5=2,
        within_60=4,
        quote=2,
        sale=1,
    )
    assert (figures.first_day, figures.last_day, figures.period) == (
        date(2026, 3, 2),
        date(2026, 3, 8),
        "last 7 days",
    )
    assert [
        (t.name, t.leads, t.contacted, t.contact.median, t.within_5, t.quote, t.sale) for t in figures.people
    ] == [
        (U2, 3, 2, 24.0, 1, 0, 0),
        (U1, 2, 2, 11.5, 1, 2, 1),
        ("", 1, 0, None, 0, 0, 0),
    ]
    assert [(t.name, t.leads) for t in figures.sources] == [
        ("Google", 2),
        ("Speedypv · Facebook · ads", 2),  # as the call sheet says it
        ("Slack", 1),
        ("Unknown", 1),
    ]
    assert figures.days == (
        DayPoint(date(2026, 3, 2), 2, 11.5),
        DayPoint(date(2026, 3, 3), 0, None),
        DayPoint(date(2026, 3, 4), 1, 45.0),
        DayPoint(date(2026, 3, 5), 1, None),
        DayPoint(date(2026, 3, 6), 1, 3.0),
        DayPoint(date(2026, 3, 7), 0, None),
        DayPoint(date(2026, 3, 8), 1, None),
    )


def test_the_weekly_reports_window_is_the_seven_days_before_monday(seeded: Store) -> None:
    window = week_before(date(2026, 3, 9), HOURS)
    assert (window.start, window.end, window.words) == (
        local("2026-03-02T00:00"),
        local("2026-03-09T00:00"),
        "the week to 8 Mar",
    )
    assert compute(seeded, window, HOURS).team.leads == 6


def test_periods_in_the_teams_time_zone() -> None:
    now = local("2026-07-15T10:00")  # BST: local midnight is 23:00 UTC
    month = window_of(ThisMonth(), now, HOURS)
    assert (month.start, month.end, month.words) == (local("2026-07-01T00:00"), now, "July 2026 so far")
    assert month.start.isoformat() == "2026-06-30T23:00:00+00:00"
    june = window_of(Month(2026, 6), now, HOURS)
    assert (june.start, june.end, june.words) == (
        local("2026-06-01T00:00"),
        local("2026-07-01T00:00"),
        "June 2026",
    )
    december = window_of(Month(2025, 12), now, HOURS)
    assert december.end == local("2026-01-01T00:00")
    this = window_of(Month(2026, 7), now, HOURS)
    assert this.end == now  # this month: up to now


def test_a_month_with_no_leads_has_empty_figures(seeded: Store) -> None:
    figures = compute(seeded, window_of(Month(2026, 1), local("2026-03-09T00:00"), HOURS), HOURS)
    assert figures.team == Tally(name="")
    assert figures.people == figures.sources == ()
    assert len(figures.days) == 31


@pytest.mark.parametrize(
    ("values", "p90"),
    [
        ([], None),
        ([7.0], 7.0),
        ([1.0, 2.0], 2.0),
        ([float(n) for n in range(1, 11)], 9.0),
        ([float(n) for n in range(1, 12)], 10.0),
    ],
)
def test_the_90th_percentile_is_the_nearest_rank(values: list[float], p90: float | None) -> None:
    assert percentile_90(values) == p90


@pytest.mark.parametrize(
    ("origin", "name"),
    [
        ("https://www.speedypv.co.uk/?utm_source=facebook", "Speedypv · Facebook"),
        ("http://solar.example.com/path", "Example"),
        ("api", "Unknown"),
        (None, "Unknown"),
        ("  ", "Unknown"),
        ("Referral", "Referral"),
    ],
)
def test_a_source_in_words(origin: str | None, name: str) -> None:
    assert source_name(origin) == name
