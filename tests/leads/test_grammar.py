"""Reading `/leads …`: subcommands, nearest-usage on mistakes, dates, users and search matching."""

from datetime import UTC, date, datetime

import pytest

from leadbot.heatpunk import Lead
from leadbot.leads.grammar import UsageError, lead_matches, parse_command, parse_since, parse_user

TODAY = date(2026, 11, 29)


def test_empty_text_is_help() -> None:
    assert parse_command("").name == "help"


def test_subcommand_and_arguments() -> None:
    command = parse_command("  STATUS 123  Quote ")
    assert (command.name, command.args, command.text) == ("status", ("123", "Quote"), "STATUS 123  Quote")


@pytest.mark.parametrize(
    ("text", "nearest"), [("lsit", "list"), ("shwo 1", "show"), ("delet 4", "delete"), ("xyzzy", None)]
)
def test_unknown_words_point_to_the_nearest_subcommand(text: str, nearest: str | None) -> None:
    with pytest.raises(UsageError) as caught:
        parse_command(text)
    assert caught.value.subcommand == nearest


@pytest.mark.parametrize(
    ("text", "subcommand"),
    [
        ("show", "show"),
        ("show 1 2", "show"),
        ("edit", "edit"),
        ("status 1", "status"),
        ("find x", "find"),
        ("list 1d 2d", "list"),
        ("new please", "new"),
        ("delete <!channel>", "delete"),
        ("admin map", "admin"),
        ("admin map U123ABC notanemail extra", "admin"),
        ("admin frobnicate", "admin"),
    ],
)
def test_wrong_arguments_give_that_subcommands_usage(text: str, subcommand: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_command(text)
    assert caught.value.subcommand == subcommand


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", TODAY),
        ("yesterday", date(2026, 11, 28)),
        ("7d", date(2026, 11, 22)),
        ("2w", date(2026, 11, 15)),
        ("0d", TODAY),
        ("2026-01-31", date(2026, 1, 31)),
        ("7D", date(2026, 11, 22)),
    ],
)
def test_since(text: str, expected: date) -> None:
    assert parse_since(text, TODAY) == expected


@pytest.mark.parametrize("text", ["tomorrow", "2026-13-01", "2027-01-01", "99999d", "1y", "-3d"])
def test_bad_since(text: str) -> None:
    with pytest.raises(UsageError):
        parse_since(text, TODAY)


def test_users_from_mentions_or_ids() -> None:
    assert parse_user("<@U012AB3CD|sam>") == "U012AB3CD"
    assert parse_user("<@U012AB3CD>") == "U012AB3CD"
    assert parse_user("U012AB3CD") == "U012AB3CD"
    assert parse_user("@sam") is None


LEAD = Lead(
    id="32123",
    date_created=datetime(2025, 3, 11, 11, 3, tzinfo=UTC),
    customer_name="John Doe",
    customer_email="Test@Test.com",
    customer_phone="07111111111",
    address="8 The Rowans, Milton, Cambridge",
    postcode="CB24 6YU",
)


@pytest.mark.parametrize(
    "query",
    [
        "john",
        "DOE",
        "test@test",
        "07111 111111",
        "+44 7111 111111",
        "cb246yu",
        "CB24 6YU",
        "rowans, milton",
        "32123",
    ],
)
def test_search_matches(query: str) -> None:
    assert lead_matches(LEAD, query)


@pytest.mark.parametrize("query", ["jane", "0722", "CB25", "   "])
def test_search_misses(query: str) -> None:
    assert not lead_matches(LEAD, query)
