"""Who may do what: deleters, admins, and the checks a command passes before it runs (answered in the ack)."""

from __future__ import annotations

from datetime import date

import pytest

from leadbot import texts
from leadbot.leads import grammar
from leadbot.leads.permissions import (
    CardButtons,
    Denied,
    can_delete,
    canonical_status,
    card_buttons,
    refusal,
)
from leadbot.settings import Settings, load_settings

ADMIN, DELETER, MEMBER = "U0ADMIN1", "U0DELETR", "U0MEMBER"


def settings(**overrides: object) -> Settings:
    values = {"leadbot_admins": (ADMIN,), "leadbot_statuses": ("new", "Quote", "Site visit")}
    return load_settings(env_file=None, **(values | overrides))


def test_everyone_may_delete_until_deleters_are_named() -> None:
    assert can_delete(settings(), MEMBER)
    assert not can_delete(settings(leadbot_deleters=(DELETER,)), MEMBER)
    assert can_delete(settings(leadbot_deleters=(DELETER,)), DELETER)


def test_a_card_offers_delete_only_to_who_may_delete() -> None:
    restricted = settings(leadbot_deleters=(DELETER,))
    assert card_buttons(restricted, MEMBER) == CardButtons(delete=False, share=True)
    assert card_buttons(restricted, DELETER) == CardButtons(delete=True, share=True)


def test_statuses_are_matched_whatever_their_case() -> None:
    assert canonical_status(("new", "Site visit"), "SITE VISIT") == "Site visit"
    assert canonical_status(("new",), "Bogus") is None


@pytest.mark.parametrize(
    ("command", "user", "expected"),
    [
        (grammar.ListLeads(date(2025, 3, 1)), MEMBER, None),
        (grammar.ShowLead("1"), MEMBER, None),
        (grammar.SetStatus("1", "quote"), MEMBER, None),
        (
            grammar.SetStatus("1", "Bogus"),
            MEMBER,
            grammar.Usage(grammar.Reason.UNKNOWN_STATUS, "status", "Bogus", ("new", "Quote", "Site visit")),
        ),
        (grammar.DeleteLead("1"), MEMBER, Denied(texts.NOT_A_DELETER)),
        (grammar.DeleteLead("1"), DELETER, None),
        (grammar.MapEmail(MEMBER, "x@example.co.uk"), MEMBER, Denied(texts.NOT_ADMIN)),
        (
            grammar.MapEmail(MEMBER, "not an email"),
            MEMBER,
            Denied(texts.NOT_ADMIN),
        ),  # who may, before what was typed
        (grammar.UnmapEmail(MEMBER), MEMBER, Denied(texts.NOT_ADMIN)),
        (grammar.MapEmail(ADMIN, "x@example.co.uk"), ADMIN, Denied(texts.NO_SELF_MAP)),
        (grammar.MapEmail(MEMBER, "not an email"), ADMIN, grammar.Usage(grammar.Reason.BAD_EMAIL, "admin")),
        (grammar.MapEmail(MEMBER, "x@example.co.uk"), ADMIN, None),
        (grammar.UnmapEmail(ADMIN), ADMIN, None),
    ],
)
def test_refusals(command: grammar.Command, user: str, expected: Denied | grammar.Usage | None) -> None:
    assert refusal(command, user, settings(leadbot_deleters=(DELETER,))) == expected
