"""Time away in the team's time zone (stored as UTC), and how the answers say it ("Tue 08:30")."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from leadbot.blocks.owners import mention
from leadbot.blocks.team import build_away, build_rota, build_territories, when_words
from leadbot.leads.availability import Presence, Why
from leadbot.leads.grammar import (
    AwayFor,
    AwayUntil,
    AwayUntilDate,
    AwayUntilTime,
    AwayUntilTomorrow,
    AwayUntilWeekday,
)
from leadbot.leads.team import away_until
from leadbot.routing.hours import WorkingHours

LONDON = ZoneInfo("Europe/London")
HOURS = WorkingHours.parse("Mon-Fri 08:30-18:00; Sat 09:00-12:00")  # England and Wales bank holidays
MON_1500_BST = datetime(2026, 6, 1, 14, 0, tzinfo=UTC)  # Mon 1 Jun 2026 15:00 in London
FRI_1800_GMT = datetime(2026, 12, 18, 18, 0, tzinfo=UTC)  # Fri 18 Dec 2026 18:00 in London


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("now", "until", "expected"),
    [
        (MON_1500_BST, None, None),
        (MON_1500_BST, AwayFor(120), utc(2026, 6, 1, 16, 0)),
        (MON_1500_BST, AwayUntilTime(17, 0), utc(2026, 6, 1, 16, 0)),  # 17:00 BST today
        (MON_1500_BST, AwayUntilTime(9, 0), utc(2026, 6, 2, 8, 0)),  # 09:00 has passed: tomorrow
        (MON_1500_BST, AwayUntilTime(15, 0), utc(2026, 6, 2, 14, 0)),  # now is not "until now"
        (MON_1500_BST, AwayUntilTomorrow(), utc(2026, 6, 2, 7, 30)),  # Tue 08:30 BST
        (MON_1500_BST, AwayUntilWeekday(0), utc(2026, 6, 8, 7, 30)),  # next Monday, not today
        (MON_1500_BST, AwayUntilWeekday(5), utc(2026, 6, 6, 8, 0)),  # Sat 09:00 BST
        (FRI_1800_GMT, AwayUntilTomorrow(), utc(2026, 12, 19, 9, 0)),  # Sat 09:00 GMT
        (FRI_1800_GMT, AwayUntilWeekday(6), utc(2026, 12, 21, 8, 30)),  # Sunday is closed: Mon 08:30
        (FRI_1800_GMT, AwayUntilDate(datetime(2026, 12, 24).date()), utc(2026, 12, 24, 8, 30)),
        (
            FRI_1800_GMT,
            AwayUntilDate(datetime(2026, 12, 25).date()),
            utc(2026, 12, 29, 8, 30),
        ),  # Christmas, Boxing Day (Mon 28 in lieu)
        (utc(2026, 3, 28, 12, 0), AwayUntilTime(9, 0), utc(2026, 3, 29, 8, 0)),  # clocks go forward overnight
        (utc(2026, 10, 24, 12, 0), AwayUntilTime(9, 0), utc(2026, 10, 25, 9, 0)),  # clocks go back overnight
    ],
)
def test_away_until(now: datetime, until: AwayUntil | None, expected: datetime | None) -> None:
    moment = away_until(until, now, HOURS)
    assert moment == expected
    if moment is not None:
        assert moment.tzinfo == UTC


@pytest.mark.parametrize(
    ("at", "words"),
    [
        (utc(2026, 6, 1, 16, 0), "17:00 today"),
        (utc(2026, 6, 2, 7, 30), "Tue 08:30"),
        (utc(2026, 6, 7, 7, 30), "Sun 08:30"),
        (utc(2026, 6, 8, 7, 30), "Mon 8 Jun 08:30"),
        (utc(2026, 12, 24, 8, 30), "Thu 24 Dec 08:30"),
    ],
)
def test_when_words(at: datetime, words: str) -> None:
    assert when_words(at, MON_1500_BST, LONDON) == words


def test_the_away_answer_says_until_when_in_words() -> None:
    answer = build_away(utc(2026, 6, 2, 7, 30), now=MON_1500_BST, zone=LONDON)
    assert (
        answer.text == "You're away until Tue 08:30. Routing and reminders skip you; /leads back to return."
    )
    assert "until you say you're back" in build_away(None, now=MON_1500_BST, zone=LONDON).text


def test_the_rota_says_who_is_available_and_why_not() -> None:
    people = [
        Presence("U0ANN001"),
        Presence("U0BOB001", Why.AWAY, utc(2026, 6, 2, 7, 30)),
        Presence("U0CAT001", Why.AWAY, None),
        Presence("U0DAN001", Why.DND, utc(2026, 6, 1, 15, 0)),
        Presence("U0EVE001", Why.OUTSIDE_HOURS, utc(2026, 6, 2, 7, 30)),
    ]
    text = build_rota(people, routing="round-robin", now=MON_1500_BST, zone=LONDON).blocks[0]["text"]["text"]
    assert text.splitlines() == [
        "*The rota*, in turn order:",
        "1. <@U0ANN001> — available now",
        "2. <@U0BOB001> — away until Tue 08:30",
        "3. <@U0CAT001> — away until they say they're back",
        "4. <@U0DAN001> — on Do Not Disturb until 16:00 today",
        "5. <@U0EVE001> — outside working hours (they open Tue 08:30)",
    ]


def test_only_slack_ids_become_mentions() -> None:
    assert mention("U0ANN001") == "<@U0ANN001>"
    assert mention("<!channel>") == "&lt;!channel&gt;"
    answer = build_territories({"CB": "U0ANN001", "PE19": "<!here>"}, routing="claim")
    text = str(answer.blocks[0]["text"]["text"])
    assert "`CB` → <@U0ANN001>" in text
    assert "<!here>" not in text
