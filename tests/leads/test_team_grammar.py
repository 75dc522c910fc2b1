"""`/leads rota | territory | away | back`: every form, every usage mistake (as data, and in words), and who may."""

from __future__ import annotations

from datetime import date

import pytest

from leadbot import texts
from leadbot.blocks.messages import build_help, usage_problem
from leadbot.leads.grammar import (
    AddToRota,
    AwayFor,
    AwayUntilDate,
    AwayUntilTime,
    AwayUntilTomorrow,
    AwayUntilWeekday,
    ComeBack,
    Command,
    GoAway,
    Reason,
    RemoveFromRota,
    RemoveTerritory,
    SetTerritory,
    ShowRota,
    ShowTerritories,
    TeamCommand,
    Usage,
    UsageError,
    parse_command,
)
from leadbot.leads.permissions import Denied, refusal
from leadbot.settings import Settings, load_settings

TODAY = date(2026, 11, 29)  # a Sunday


def parse(text: str) -> Command | TeamCommand:
    return parse_command(text, TODAY)


def usage_of(text: str) -> Usage:
    with pytest.raises(UsageError) as caught:
        parse(text)
    return caught.value.usage


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("rota", ShowRota()),
        ("ROTA add <@U0ANN001|ann> <@U0BOB001>", AddToRota(("U0ANN001", "U0BOB001"))),
        ("rota add <@U0ANN001|ann> U0ANN001", AddToRota(("U0ANN001",))),
        ("rota remove <@U0ANN001|ann>", RemoveFromRota(("U0ANN001",))),
        ("territory", ShowTerritories()),
        ("territory cb <@U0SAM001|sam>", SetTerritory("CB", "U0SAM001")),
        ("territory PE19 <@U0SAM001>", SetTerritory("PE19", "U0SAM001")),
        ("territory ec1a U0SAM001", SetTerritory("EC1A", "U0SAM001")),
        ("territory remove cb", RemoveTerritory("CB")),
        ("away", GoAway()),
        ("away 2h", GoAway(AwayFor(120))),
        ("away 30m", GoAway(AwayFor(30))),
        ("away 1h30m", GoAway(AwayFor(90))),
        ("away for 2d", GoAway(AwayFor(2 * 24 * 60))),
        ("away until 17:00", GoAway(AwayUntilTime(17, 0))),
        ("away until 9.05", GoAway(AwayUntilTime(9, 5))),
        ("away until tomorrow", GoAway(AwayUntilTomorrow())),
        ("away until mon", GoAway(AwayUntilWeekday(0))),
        ("away until Thursday", GoAway(AwayUntilWeekday(3))),
        ("away until 2026-12-24", GoAway(AwayUntilDate(date(2026, 12, 24)))),
        ("back", ComeBack()),
        ("BACK", ComeBack()),
    ],
)
def test_each_team_command_reads_into_its_typed_command(text: str, command: TeamCommand) -> None:
    assert parse(text) == command


@pytest.mark.parametrize(
    ("text", "reason", "word"),
    [
        ("rota add", Reason.ROTA_USAGE, ""),
        ("rota list", Reason.ROTA_USAGE, ""),
        ("rota remove", Reason.ROTA_USAGE, ""),
        ("rota add @sam", Reason.ROTA_USAGE, "@sam"),
        ("rota add <@U0ANN001> everyone", Reason.ROTA_USAGE, "everyone"),
        ("territory CB", Reason.TERRITORY_USAGE, ""),
        ("territory CB <@U0ANN001> <@U0BOB001>", Reason.TERRITORY_USAGE, ""),
        ("territory remove", Reason.TERRITORY_USAGE, ""),
        ("territory CB sam", Reason.TERRITORY_USAGE, "sam"),
        ("territory CB24-6YU <@U0ANN001>", Reason.BAD_TERRITORY, "CB24-6YU"),
        ("territory remove ABC", Reason.BAD_TERRITORY, "ABC"),
        ("away soon", Reason.AWAY_USAGE, "soon"),
        ("away 0m", Reason.AWAY_USAGE, "0m"),
        ("away for", Reason.AWAY_USAGE, "for"),
        ("away until", Reason.AWAY_USAGE, "until"),
        ("away until 25:00", Reason.AWAY_USAGE, "until 25:00"),
        ("away until monkey", Reason.AWAY_USAGE, "until monkey"),
        ("away 2h until 17:00", Reason.AWAY_USAGE, "2h until 17:00"),
        ("away 400d", Reason.AWAY_TOO_LONG, ""),
        ("away until 2028-01-01", Reason.AWAY_TOO_LONG, ""),
        ("away until 2026-11-29", Reason.AWAY_DAY_PASSED, "2026-11-29"),
        ("away until 2026-01-01", Reason.AWAY_DAY_PASSED, "2026-01-01"),
        ("back now", Reason.NO_ARGUMENTS, ""),
    ],
)
def test_team_usage_mistakes_name_the_subcommand_and_the_word(text: str, reason: Reason, word: str) -> None:
    usage = usage_of(text)
    assert (usage.reason, usage.subcommand, usage.word) == (reason, text.split()[0], word)
    assert usage_problem(usage)  # said in words


def test_team_usage_mistakes_in_words() -> None:
    assert usage_problem(usage_of("rota add")) == texts.ROTA_USAGE_PROBLEM
    assert (
        usage_problem(usage_of("rota add @sam")) == "`@sam` isn't a person: mention them with @, e.g. `@sam`."
    )
    assert usage_problem(usage_of("territory CB")) == texts.TERRITORY_USAGE_PROBLEM
    assert "`ABC` isn't a postcode area or district" in usage_problem(usage_of("territory remove ABC"))
    assert "can't read `soon` as time away" in usage_problem(usage_of("away soon"))
    assert "at most 366 days" in usage_problem(usage_of("away 400d"))
    assert usage_problem(usage_of("away until <!channel>")).count("&lt;!channel&gt;") == 1
    assert "`2026-11-29` isn't after today" in usage_problem(usage_of("away until 2026-11-29"))


def test_near_misses_point_to_the_team_subcommands() -> None:
    assert usage_of("rotaa").subcommand == "rota"
    assert usage_of("territroy CB").subcommand == "territory"


def test_help_has_one_line_for_each_team_command() -> None:
    help_text = str(build_help(admin=True).blocks[0]["text"]["text"])
    for example in (
        "/leads rota add @sam @ann",
        "/leads territory PE19 @sam",
        "/leads away until tomorrow",
        "/leads back",
    ):
        assert example in help_text
    assert help_text.index("/leads back") < help_text.index("/leads help")
    assert len(help_text) <= 3000


@pytest.fixture
def settings() -> Settings:
    return load_settings(env_file=None, leadbot_admins=("U0ADMIN1",))


@pytest.mark.parametrize(
    "text",
    [
        "rota",
        "rota add <@U0ANN001>",
        "rota remove <@U0ANN001>",
        "territory",
        "territory CB <@U0ANN001>",
        "territory remove CB",
    ],
)
def test_only_admins_see_and_change_the_rota_and_territories(settings: Settings, text: str) -> None:
    command = parse(text)
    assert refusal(command, "U0SALES1", settings) == Denied(texts.TEAM_NOT_ADMIN)
    assert refusal(command, "U0ADMIN1", settings) is None


@pytest.mark.parametrize("text", ["away", "away 2h", "away until mon", "back"])
def test_anyone_may_go_away_and_come_back(settings: Settings, text: str) -> None:
    assert refusal(parse(text), "U0SALES1", settings) is None
