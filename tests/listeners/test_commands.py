"""`/leads` in this process: answers in the ack when they are known, after it when they need Heatpunk; the
buttons that run a command again (Retry, Previous / Next) carry the typed command, never command text."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from leadbot import ids, texts
from leadbot.blocks.values import OpenButton, PageButton, RetryButton
from leadbot.leads.grammar import FindLeads, ListLeads, SetStatus, ShowLead, WhoAmI
from leadbot.listeners.commands import handle_leads_command
from leadbot.sandbox.service import Sandbox
from tests.fakes.slack import SALES_EMAIL, SALES_USER, FakeSlack
from tests.listeners.conftest import ADMIN_USER, Bot, listener_settings


def elements(message: dict[str, Any], action_id: str) -> list[dict[str, Any]]:
    return [
        element
        for block in message["blocks"]
        for element in ([block.get("accessory")] if block.get("accessory") else block.get("elements", []))
        if element.get("action_id") == action_id
    ]


class RecordingAck:
    """Stands in for Bolt's ack when a handler is called directly."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, **kwargs: Any) -> None:
        self.calls.append(kwargs)


def test_a_handler_is_a_plain_function_a_test_can_call(bot: Bot) -> None:
    ack = RecordingAck()
    handle_leads_command(ack, {"text": "help", "user_id": SALES_USER}, deps=bot.deps)
    [answer] = ack.calls
    assert answer["response_type"] == "ephemeral"
    assert "/leads list 2w" in json.dumps(answer["blocks"])


def test_help_usage_and_refusals_are_answered_in_the_ack(bot: Bot) -> None:
    assert "/leads status 32123 Quote" in json.dumps(bot.command("").ack_body())
    assert "Did you mean `/leads list`?" in json.dumps(bot.command("lsit 7d").ack_body())
    assert "isn't one of the statuses" in json.dumps(bot.command("status 1001 Bogus").ack_body())
    assert bot.command("delete 1001").ack_body()["text"] == texts.NOT_A_DELETER
    assert bot.command("admin unmap <@U0OTHER1>").ack_body()["text"] == texts.NOT_ADMIN
    assert bot.sandbox.requests == []


def test_list_answers_after_the_ack_with_typed_open_buttons(bot: Bot) -> None:
    sent = bot.command("list 2w")
    assert sent.ack_body() == {}
    answer = sent.answer()
    opened = [OpenButton.from_value(button["value"]) for button in elements(answer, ids.OPEN_LEAD)]
    assert opened
    assert [int(button.lead_id) for button in opened] == sorted(
        (int(b.lead_id) for b in opened), reverse=True
    )


def test_next_carries_the_typed_query_and_shows_that_page_in_place(bot: Bot) -> None:
    answer = bot.command("list 60d").answer()
    [next_button] = elements(answer, ids.PAGE_NEXT)
    paging = PageButton.from_value(next_button["value"])
    assert isinstance(paging.query, ListLeads)
    assert paging.page == 2
    page2 = bot.click(ids.PAGE_NEXT, next_button["value"]).answer()
    assert page2["replace_original"] is True
    assert "Page 2 of" in json.dumps(page2)
    [previous] = elements(page2, ids.PAGE_PREVIOUS)
    assert PageButton.from_value(previous["value"]) == PageButton(paging.query, 1)


def test_a_page_of_a_search_runs_the_search_again(bot: Bot) -> None:
    for n in range(25):
        bot.sandbox.add_lead(customerName=f"Pager Person {n}", customerPhone="07700 900555")
    value = PageButton(FindLeads("pager person"), 2).to_value()
    page2 = bot.click(ids.PAGE_NEXT, value).answer()
    assert "25 leads match “pager person”" in page2["text"]
    assert "Page 2 of 2" in json.dumps(page2)


def test_retry_carries_the_failed_command_and_runs_it_again(bot: Bot) -> None:
    bot.sandbox.fail_next(count=3, status=503)
    failed = bot.command("list 3d").answer()
    assert ids.RETRY_BLOCK in json.dumps(failed)
    [retry] = elements(failed, ids.RETRY)
    assert isinstance(RetryButton.from_value(retry["value"]).command, ListLeads)
    again = bot.click(ids.RETRY, retry["value"]).answer()
    assert "since" in again["text"]


def test_retry_checks_the_command_again(bot: Bot) -> None:
    value = RetryButton(SetStatus("1001", "Bogus")).to_value()
    assert "isn't one of the statuses" in json.dumps(bot.click(ids.RETRY, value).answer())
    assert bot.sandbox.requests == []


def test_a_failure_that_retrying_cannot_fix_has_no_retry(bot: Bot) -> None:
    answer = bot.command("show 424242").answer()
    assert "Lead 424242 was not found" in answer["text"]
    assert not elements(answer, ids.RETRY)


def test_old_command_text_on_retry_and_paging_is_answered_in_words(bot: Bot) -> None:
    for action_id, value in [
        (ids.RETRY, "list 3d"),
        (ids.PAGE_NEXT, json.dumps({"c": "list 60d", "p": 2})),
        (ids.PAGE_PREVIOUS, "{broken"),
    ]:
        answer = bot.click(action_id, value).answer()
        assert answer["text"] == texts.OLD_BUTTON
        assert answer["replace_original"] is False
    assert bot.sandbox.requests == []


def test_commands_act_as_the_person_who_asked(bot: Bot) -> None:
    whoami = bot.command("whoami").answer()
    assert SALES_EMAIL in whoami["text"]
    answer = bot.click(ids.RETRY, RetryButton(WhoAmI()).to_value(), user=ADMIN_USER).answer()
    assert "admin@example.co.uk" in answer["text"]
    assert "map members' emails" in answer["text"]


def test_open_shows_the_card_as_show_does(bot: Bot) -> None:
    lead_id = bot.sandbox.add_lead(customerName="Opened Person")
    by_command = bot.command(f"show {lead_id}").answer()
    by_button = bot.click(ids.OPEN_LEAD, OpenButton(lead_id).to_value()).answer()
    assert by_button["blocks"] == by_command["blocks"]
    retry = RetryButton(ShowLead(lead_id)).to_value()
    assert bot.click(ids.RETRY, retry).answer()["blocks"] == by_command["blocks"]


@pytest.fixture
def bot_on_each_database(
    database_url: str, build_bot: Callable[..., Bot], fake_slack: FakeSlack, sandbox: Sandbox
) -> Bot:
    """The admin's bot on SQLite, then on PostgreSQL (the database first, so it is dropped last)."""
    sandbox.set_team({"admin@example.co.uk": "owner"})
    fake_slack.add_user(ADMIN_USER, "admin@example.co.uk", name="admin")
    return build_bot(listener_settings(fake_slack, sandbox, database_url))


@pytest.mark.parametrize(
    ("email", "words"),
    [
        ("a" * 310 + "@example.co.uk", texts.EMAIL_TOO_LONG),  # over 320 characters
        ("a" * 65 + "@example.co.uk", texts.EMAIL_TOO_LONG),  # more than 64 before the @
        ("sam..smith@example.co.uk", texts.BAD_EMAIL),
        ("sam@-example.co.uk", texts.BAD_EMAIL),
        ("sam@example.c0m", texts.BAD_EMAIL),
    ],
)
def test_an_admin_mapping_an_impossible_email_is_told_in_words(
    bot_on_each_database: Bot, email: str, words: str
) -> None:
    bot = bot_on_each_database
    ack = bot.command(f"admin map <@U0OTHER1> {email}", user=ADMIN_USER).ack_body()
    assert words in ack["text"]
    assert bot.deps.store.get_email_override("U0OTHER1") is None
    assert bot.slack.responses == []


def test_an_email_of_every_allowed_length_is_mapped(bot_on_each_database: Bot) -> None:
    bot = bot_on_each_database
    longest = "a" * 64 + "@" + ".".join(["b" * 63, "c" * 63, "d" * 63, "e" * 60, "uk"])
    assert len(longest) == 320
    answer = bot.command(f"admin map <@U0OTHER1> {longest}", user=ADMIN_USER).answer()
    assert "now acts as" in answer["text"]
    assert bot.deps.store.get_email_override("U0OTHER1") == longest
