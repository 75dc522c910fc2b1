"""Reading `/leads …` into typed commands: subcommands, nearest usage on mistakes (as data), dates, users."""

from datetime import date

import pytest

from leadbot.leads.grammar import (
    MAX_DAYS,
    Command,
    CreateLead,
    DeleteLead,
    EditLead,
    FindLeads,
    Help,
    ListLeads,
    MapEmail,
    Reason,
    SetStatus,
    ShowLead,
    UnmapEmail,
    Usage,
    UsageError,
    WhoAmI,
    parse_command,
    parse_since,
    parse_user,
    retyped,
)

TODAY = date(2026, 11, 29)


def parse(text: str) -> Command:
    return parse_command(text, TODAY)


def usage_of(text: str) -> Usage:
    with pytest.raises(UsageError) as caught:
        parse(text)
    return caught.value.usage


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("", Help()),
        ("help", Help()),
        ("list", ListLeads(date(2026, 11, 22))),
        ("LIST 2w", ListLeads(date(2026, 11, 15))),
        ("find 07700  900123", FindLeads("07700 900123")),
        ("show 32123", ShowLead("32123")),
        ("new", CreateLead()),
        ("edit 32123", EditLead("32123")),
        ("  STATUS 123  Site visit ", SetStatus("123", "Site visit")),
        ("delete A-1_b", DeleteLead("A-1_b")),
        ("whoami", WhoAmI()),
        ("admin map <@U012AB3CD|sam> sam@example.co.uk", MapEmail("U012AB3CD", "sam@example.co.uk")),
        ("admin UNMAP U012AB3CD", UnmapEmail("U012AB3CD")),
    ],
)
def test_each_subcommand_reads_into_its_typed_command(text: str, command: Command) -> None:
    assert parse(text) == command


@pytest.mark.parametrize(
    ("text", "nearest"), [("lsit", "list"), ("shwo 1", "show"), ("delet 4", "delete"), ("xyzzy", None)]
)
def test_unknown_words_point_to_the_nearest_subcommand(text: str, nearest: str | None) -> None:
    usage = usage_of(text)
    assert (usage.reason, usage.subcommand, usage.word) == (
        Reason.UNKNOWN_SUBCOMMAND,
        nearest,
        text.split()[0],
    )


@pytest.mark.parametrize(
    ("text", "reason", "subcommand"),
    [
        ("show", Reason.NEEDS_ONE_ID, "show"),
        ("show 1 2", Reason.NEEDS_ONE_ID, "show"),
        ("edit", Reason.NEEDS_ONE_ID, "edit"),
        ("status 1", Reason.STATUS_NEEDS_TWO, "status"),
        ("find x", Reason.FIND_NEEDS_TEXT, "find"),
        ("list 1d 2d", Reason.ONE_SINCE, "list"),
        ("list someday", Reason.BAD_SINCE, "list"),
        ("list 2027-01-01", Reason.SINCE_IN_FUTURE, "list"),
        ("list 9999d", Reason.SINCE_TOO_FAR, "list"),
        ("new please", Reason.NO_ARGUMENTS, "new"),
        ("delete <!channel>", Reason.BAD_LEAD_ID, "delete"),
        ("status <@U1> Quote", Reason.BAD_LEAD_ID, "status"),
        ("admin map", Reason.ADMIN_USAGE, "admin"),
        ("admin map U123ABC notanemail extra", Reason.ADMIN_USAGE, "admin"),
        ("admin frobnicate", Reason.ADMIN_USAGE, "admin"),
    ],
)
def test_wrong_arguments_give_that_subcommands_usage(text: str, reason: Reason, subcommand: str) -> None:
    usage = usage_of(text)
    assert (usage.reason, usage.subcommand) == (reason, subcommand)


def test_the_offending_word_is_kept_short() -> None:
    assert usage_of("delete " + "<" * 100).word == "<" * 40
    assert MAX_DAYS == 3650


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


@pytest.mark.parametrize(
    "command",
    [
        Help(),
        ListLeads(date(2026, 11, 22)),
        FindLeads("07700 900123"),
        ShowLead("32123"),
        CreateLead(),
        EditLead("32123"),
        SetStatus("123", "Site visit"),
        DeleteLead("A-1_b"),
        WhoAmI(),
        MapEmail("U012AB3CD", "sam@example.co.uk"),
        UnmapEmail("U012AB3CD"),
    ],
)
def test_a_command_from_a_button_reads_again_as_typed(command: Command) -> None:
    assert retyped(command, TODAY) == command


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        (ListLeads(date(1, 1, 1)), Reason.SINCE_TOO_FAR),
        (ListLeads(date(2026, 12, 25)), Reason.SINCE_IN_FUTURE),
        (ShowLead("1 2"), Reason.NEEDS_ONE_ID),
        (SetStatus("<!here>", "Quote"), Reason.BAD_LEAD_ID),
        (MapEmail("not a user", "sam@example.co.uk"), Reason.ADMIN_USAGE),
        (UnmapEmail("<!channel>"), Reason.ADMIN_USAGE),
        (FindLeads(" "), Reason.FIND_NEEDS_TEXT),
    ],
)
def test_a_forged_command_is_refused_as_typing_it_would_be(command: Command, reason: Reason) -> None:
    with pytest.raises(UsageError) as refused:
        retyped(command, TODAY)
    assert refused.value.usage.reason is reason
