"""`/leads rota | territory | away | back` through Bolt: signed requests, the ack, the work pool, the store, and
the answer on the response_url; Do Not Disturb from the fake Slack's dnd.info; the clock injected."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from leadbot import texts
from leadbot.deps import Root
from leadbot.sandbox.service import Sandbox
from tests.deps import make_app
from tests.fakes.slack import SALES_USER, FakeSlack
from tests.listeners.conftest import ADMIN_USER, Bot, listener_settings

TUESDAY_10 = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)  # Tue 10:00 in London (GMT)
ANN, BOB = "U0ANN001", "U0BOB001"


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(TUESDAY_10)


@pytest.fixture
def team_bot(fake_slack: FakeSlack, sandbox: Sandbox, sqlite_url: str, clock: Clock) -> Iterator[Bot]:
    """leadbot with round-robin routing and the usual hours, on a clock the test moves."""
    fake_slack.grant("dnd:read")
    fake_slack.add_user(ADMIN_USER, "admin@example.co.uk", name="admin")
    fake_slack.add_user(ANN, "ann@example.co.uk", name="ann")
    fake_slack.add_user(BOB, "bob@example.co.uk", name="bob")
    settings = listener_settings(fake_slack, sandbox, sqlite_url, leadbot_routing="round-robin")
    closers: list[Callable[[], None]] = []
    root = Root(settings, heatpunk_backoff=0.01, clock=clock)
    closers.append(root.close)
    yield Bot(make_app(root), root.deps, fake_slack, sandbox)
    for close in reversed(closers):
        close()


def said(bot: Bot, text: str, *, user: str = ADMIN_USER) -> str:
    """Runs a command that answers after the ack; its answer's text."""
    sent = bot.command(text, user=user)
    assert sent.ack_body() == {}
    answer: dict[str, Any] = sent.answer()
    assert answer["response_type"] == "ephemeral"
    return str(answer["text"])


def rota_lines(bot: Bot) -> list[str]:
    sent = bot.command("rota", user=ADMIN_USER)
    assert sent.ack_body() == {}
    return str(sent.answer()["blocks"][0]["text"]["text"]).splitlines()


def test_an_admin_adds_shows_and_removes_people_on_the_rota(team_bot: Bot) -> None:
    assert said(team_bot, "rota") == texts.ROTA_EMPTY
    added = said(team_bot, f"rota add <@{ANN}|ann> <@{BOB}|bob>")
    assert added == f"Added to the end of the rota: <@{ANN}>, <@{BOB}>."
    again = said(team_bot, f"rota add <@{BOB}|bob> <@{SALES_USER}|sales>")
    assert again == f"Added to the end of the rota: <@{SALES_USER}>.\nAlready on the rota: <@{BOB}>."
    assert team_bot.deps.store.rota() == [ANN, BOB, SALES_USER]
    assert rota_lines(team_bot) == [
        "*The rota*, in turn order:",
        f"1. <@{ANN}> — available now",
        f"2. <@{BOB}> — available now",
        f"3. <@{SALES_USER}> — available now",
    ]
    removed = said(team_bot, f"rota remove <@{BOB}|bob> <@U0NOBODY>")
    assert removed == f"Taken off the rota: <@{BOB}>.\nNot on the rota: <@U0NOBODY>."
    assert team_bot.deps.store.rota() == [ANN, SALES_USER]


def test_the_rota_says_who_is_away_on_dnd_or_outside_hours(team_bot: Bot, clock: Clock) -> None:
    said(team_bot, f"rota add <@{ANN}> <@{BOB}> <@{SALES_USER}>")
    snooze_end = TUESDAY_10 + timedelta(minutes=45)
    team_bot.slack.set_dnd(ANN, snooze_enabled=True, snooze_endtime=int(snooze_end.timestamp()))
    assert said(team_bot, "away 2h", user=BOB).startswith("You're away until 12:00 today.")
    assert rota_lines(team_bot)[1:] == [
        f"1. <@{ANN}> — on Do Not Disturb until 10:45 today",
        f"2. <@{BOB}> — away until 12:00 today",
        f"3. <@{SALES_USER}> — available now",
    ]
    clock.now = TUESDAY_10.replace(hour=19)
    assert rota_lines(team_bot)[1:] == [
        f"1. <@{ANN}> — outside working hours (they open Wed 08:30)",
        f"2. <@{BOB}> — outside working hours (they open Wed 08:30)",
        f"3. <@{SALES_USER}> — outside working hours (they open Wed 08:30)",
    ]


def test_an_admin_sets_lists_and_removes_territories(team_bot: Bot) -> None:
    assert said(team_bot, "territory") == texts.TERRITORIES_EMPTY
    assert said(team_bot, f"territory cb <@{ANN}|ann>") == (
        f"Leads in `CB` now go to <@{ANN}> (nobody had it before)."
    )
    assert (
        said(team_bot, f"territory CB <@{BOB}|bob>")
        == f"Leads in `CB` now go to <@{BOB}> (before: <@{ANN}>)."
    )
    assert said(team_bot, f"territory CB <@{BOB}|bob>") == f"Leads in `CB` already go to <@{BOB}>."
    said(team_bot, f"territory pe19 <@{ANN}>")
    sent = team_bot.command("territory", user=ADMIN_USER)
    listing = str(sent.answer()["blocks"][0]["text"]["text"])
    assert listing.splitlines()[1:] == [f"`CB` → <@{BOB}>", f"`PE19` → <@{ANN}>"]
    assert said(team_bot, "territory remove cb").startswith(
        f"`CB` is no longer anyone's territory (it was <@{BOB}>'s)"
    )
    assert said(team_bot, "territory remove cb") == "`CB` wasn't anyone's territory, so nothing changed."
    assert team_bot.deps.store.territories() == {"PE19": ANN}


def test_people_who_are_not_admins_are_refused_in_words_in_the_ack(team_bot: Bot) -> None:
    for text in ("rota", f"rota add <@{SALES_USER}>", f"territory CB <@{SALES_USER}>", "territory remove CB"):
        assert team_bot.command(text, user=SALES_USER).ack_body()["text"] == texts.TEAM_NOT_ADMIN
    assert team_bot.deps.store.rota() == []
    assert team_bot.deps.store.territories() == {}


def test_usage_mistakes_are_answered_in_the_ack(team_bot: Bot) -> None:
    ack = team_bot.command("away soon", user=SALES_USER).ack_body()
    assert "can't read `soon` as time away" in json.dumps(ack)
    assert "/leads away until tomorrow" in json.dumps(ack)
    ack = team_bot.command("territory Cambridge <@U0ANN001>", user=ADMIN_USER).ack_body()
    assert "`Cambridge` isn't a postcode area or district" in json.dumps(ack)


def test_anyone_goes_away_and_comes_back(team_bot: Bot, clock: Clock) -> None:
    store = team_bot.deps.store
    answer = said(team_bot, "away until tomorrow", user=SALES_USER)
    assert answer == "You're away until Wed 08:30. Routing and reminders skip you; /leads back to return."
    assert store.away(clock.now) == {SALES_USER: datetime(2026, 3, 11, 8, 30, tzinfo=UTC)}
    assert said(team_bot, "away until fri", user=SALES_USER).startswith("You're away until Fri 08:30.")
    assert said(team_bot, "away until 2026-12-24", user=SALES_USER).startswith(
        "You're away until Thu 24 Dec 08:30."
    )
    assert said(team_bot, "away until 17:00", user=SALES_USER).startswith("You're away until 17:00 today.")
    assert said(team_bot, "away 30m", user=SALES_USER).startswith("You're away until 10:30 today.")
    assert said(team_bot, "away", user=SALES_USER) == texts.AWAY_UNTIL_BACK
    assert store.away(clock.now + timedelta(days=400)) == {SALES_USER: None}
    assert said(team_bot, "back", user=SALES_USER) == texts.BACK
    assert store.away(clock.now) == {}
    assert said(team_bot, "back", user=SALES_USER) == texts.NOT_AWAY


def test_time_away_runs_out_by_itself(team_bot: Bot, clock: Clock) -> None:
    said(team_bot, "away 30m", user=SALES_USER)
    clock.now += timedelta(minutes=30)
    assert team_bot.deps.store.away(clock.now) == {}
    assert said(team_bot, "back", user=SALES_USER) == texts.NOT_AWAY
