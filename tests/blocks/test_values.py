"""Buttons carry typed values: each round-trips through its JSON, stays within Slack's limits, and anything
else (damaged, or command text from an older leadbot) is refused as BadValue, never misread."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from leadbot.blocks.values import (
    AlertDeleteOption,
    BadValue,
    ClaimButton,
    DeleteButton,
    EditButton,
    OpenButton,
    PageButton,
    RetryButton,
    ShareButton,
    StatusOption,
    command_data,
    command_from,
)
from leadbot.leads import grammar
from leadbot.limits import BUTTON_VALUE, OPTION_VALUE

LONGEST_ID = "L" * 40
COMMANDS: list[grammar.Command] = [
    grammar.Help(),
    grammar.ListLeads(date(2025, 3, 1)),
    grammar.FindLeads("07700 900123 “Jane” <!channel>"),
    grammar.ShowLead("1042"),
    grammar.CreateLead(),
    grammar.EditLead("1042"),
    grammar.SetStatus("1042", "Site visit"),
    grammar.DeleteLead("1042"),
    grammar.WhoAmI(),
    grammar.MapEmail("U012AB3CD", "sam@installer.co.uk"),
    grammar.UnmapEmail("U012AB3CD"),
]
VALUES = [
    OpenButton("1042"),
    EditButton("A-1_b"),
    DeleteButton(LONGEST_ID),
    ShareButton("1042"),
    ClaimButton("1042"),
    StatusOption("1042", "Quote"),
    AlertDeleteOption("1042"),
    PageButton(grammar.ListLeads(date(2025, 3, 1)), 2),
    PageButton(grammar.FindLeads("jane"), 5),
    *(RetryButton(command) for command in COMMANDS),
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_every_value_round_trips(value: Any) -> None:
    text = value.to_value()
    assert type(value).from_value(text) == value
    assert len(text) <= BUTTON_VALUE


@pytest.mark.parametrize("command", COMMANDS, ids=repr)
def test_commands_are_short_keyed_json(command: grammar.Command) -> None:
    data = command_data(command)
    assert command_from(data) == command
    assert all(len(key) == 1 for key in data)


def test_menu_options_fit_slacks_150_characters() -> None:
    assert len(StatusOption(LONGEST_ID, "S" * 80).to_value()) <= OPTION_VALUE
    assert len(AlertDeleteOption(LONGEST_ID).to_value()) <= OPTION_VALUE


def test_the_same_lead_on_different_buttons_stays_a_different_value() -> None:
    assert OpenButton("1") != EditButton("1")
    assert OpenButton("1").to_value() == '{"l":"1"}'


def test_values_posted_before_they_were_typed_still_read() -> None:
    """Alert cards stay in channels for days: their bare IDs and `id|status` options keep working."""
    assert ClaimButton.from_value("1042") == ClaimButton("1042")
    assert OpenButton.from_value("1042") == OpenButton("1042")
    assert StatusOption.from_value("1042|Site visit") == StatusOption("1042", "Site visit")
    assert AlertDeleteOption.from_value("delete|1042") == AlertDeleteOption("1042")


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        (RetryButton, "list 3d"),  # command text, as Retry carried it before
        (RetryButton, "show 1042"),
        (PageButton, '{"c": "list 60d", "p": 2}'),  # paging as it was
        (PageButton, '{"q": {"k": "show", "l": "1"}, "p": 2}'),  # not a list or a search
        (PageButton, '{"q": {"k": "list", "d": "2025-03-01"}, "p": 0}'),
        (PageButton, '{"q": {"k": "list", "d": "someday"}, "p": 2}'),
        (RetryButton, '{"c": {"k": "rm -rf"}}'),
        (RetryButton, '{"c": {"k": "find", "t": "x"}}'),
        (OpenButton, "show 1042"),
        (OpenButton, '{"l": "<!channel>"}'),
        (OpenButton, '{"l": 1042}'),
        (OpenButton, ""),
        (OpenButton, "{"),
        (OpenButton, "[1042]"),
        (StatusOption, '{"l": "1042"}'),
        (StatusOption, "<!channel>|Quote"),
        (AlertDeleteOption, "archive|1042"),
        (AlertDeleteOption, '{"a": "archive", "l": "1042"}'),
    ],
)
def test_anything_else_is_a_bad_value(kind: type, text: str) -> None:
    with pytest.raises(BadValue):
        kind.from_value(text)
