"""The chart as a real PNG (decoded, its size), and the report and history builders as pure functions."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

from PIL import Image

from leadbot import ids, texts
from leadbot.blocks.reports import (
    DayPoint,
    HistoryLine,
    ReportFigures,
    Spread,
    Tally,
    build_history,
    build_report,
)
from leadbot.limits import HEADER_TEXT, MESSAGE_BLOCKS, SECTION_TEXT
from leadbot.reports.chart import DPI, HEIGHT_INCHES, WIDTH_INCHES, draw_chart
from tests.fakes.slack_blocks import check_blocks

TEAM = Tally("", 10, 8, 7, Spread(2.0, 9.0), Spread(4.5, 61.0), 5, 6, 3, 1)
FIGURES = ReportFigures(
    period="last 7 days",
    first_day=date(2026, 3, 2),
    last_day=date(2026, 3, 8),
    zone="Europe/London",
    team=TEAM,
    people=(replace(TEAM, name="U0ANN001"), replace(TEAM, name="<!channel>"), replace(TEAM, name="")),
    sources=(replace(TEAM, name="speedypv.co.uk · facebook"), replace(TEAM, name="<http://evil|x> & co")),
    days=tuple(
        DayPoint(date(2026, 3, 2) + timedelta(days=n), 2, [3.0, None, 8.0, 1.5, None, None, 12.0][n])
        for n in range(7)
    ),
)


def test_the_chart_is_a_png_of_the_expected_size() -> None:
    png = draw_chart(FIGURES)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(BytesIO(png))
    image.load()
    assert image.format == "PNG"
    assert image.size == (int(WIDTH_INCHES * DPI), int(HEIGHT_INCHES * DPI))
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None
    assert len(colours) > 20


def test_a_chart_with_no_leads_is_still_drawn() -> None:
    empty = replace(
        FIGURES, team=Tally(""), people=(), sources=(), days=(DayPoint(date(2026, 3, 2), 0, None),)
    )
    assert Image.open(BytesIO(draw_chart(empty))).size == (1200, 450)


def test_the_report_shows_the_figures_within_block_kits_limits() -> None:
    report = build_report(FIGURES)
    assert check_blocks(report.blocks, surface="message") == []
    text = str(report.blocks)
    assert "median 4 min · 90% within 1 h 1 min" in text  # first contact
    assert "50% (5 of 10)" in text  # within 5 min
    assert "<@U0ANN001>" in text
    assert "&lt;!channel&gt;" in text
    assert "<!channel>" not in text
    assert "&lt;http://evil|x&gt; &amp; co" in text
    assert texts.REPORT_UNOWNED in text
    assert report.text == "Speed to lead, last 7 days: 10 leads in, 7 contacted, median first contact 4 min."


def test_an_empty_period_says_so_and_a_skipped_chart_says_why() -> None:
    empty = build_report(replace(FIGURES, team=Tally("")), note="no chart")
    sections = [block["text"]["text"] for block in empty.blocks if block["type"] == "section"]
    assert sections == [texts.REPORT_EMPTY, "no chart"]
    assert empty.blocks[-1]["block_id"] == ids.REPORT_CHART_BLOCK


def test_many_people_and_long_names_stay_within_limits() -> None:
    people = tuple(replace(TEAM, name=f"U{n:08d}") for n in range(200))
    sources = tuple(replace(TEAM, name="ü" * 3000 + str(n)) for n in range(200))
    report = build_report(replace(FIGURES, period="p" * 500, people=people, sources=sources))
    assert check_blocks(report.blocks, surface="message") == []
    assert len(report.blocks[0]["text"]["text"]) <= HEADER_TEXT
    assert "…and 188 more." in str(report.blocks)


def test_history_oldest_first_with_who_did_each() -> None:
    at = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    lines = [
        HistoryLine(at, "leadbot", "Arrived"),
        HistoryLine(at + timedelta(minutes=2), "U0ANN001", "Claimed by <@U0ANN001>"),
        HistoryLine(at + timedelta(days=1), "heatpunk", "Status new → Quote"),
    ]
    history = build_history("32123", lines, zone=ZoneInfo("Europe/London"))
    assert check_blocks(history.blocks, surface="message") == []
    assert history.blocks[1]["text"]["text"].splitlines() == [
        "`Mon 02 Mar 10:00` Arrived — leadbot",
        "`Mon 02 Mar 10:02` Claimed by <@U0ANN001> — <@U0ANN001>",
        "`Tue 03 Mar 10:00` Status new → Quote — in Heatpunk",
    ]


def test_a_long_history_keeps_the_newest_rows_within_limits() -> None:
    at = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    lines = [HistoryLine(at + timedelta(minutes=n), "U0ANN001", "x" * 400) for n in range(500)]
    history = build_history("1", lines, zone=ZoneInfo("Europe/London"))
    assert check_blocks(history.blocks, surface="message") == []
    assert len(history.blocks) <= MESSAGE_BLOCKS
    assert all(
        len(block["text"]["text"]) <= SECTION_TEXT for block in history.blocks if block["type"] == "section"
    )
    assert history.blocks[1]["elements"][0]["text"] == "…and 460 earlier events not shown."


def test_no_history_says_so() -> None:
    history = build_history("77", [], zone=ZoneInfo("Europe/London"))
    assert texts.HISTORY_EMPTY.format(lead_id="77") in str(history.blocks)
