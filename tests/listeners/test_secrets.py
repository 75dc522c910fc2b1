"""No configured secret leaves for Slack, whatever brings it in: a lead's text, Heatpunk's error words, or what
a person typed (an ack). Every call the fake Slack recorded and every response_url post is searched."""

from __future__ import annotations

import json

from leadbot.settings import Settings
from tests.fakes.slack import BOT_TOKEN, SIGNING_SECRET
from tests.listeners.conftest import Bot


def secrets_of(settings: Settings) -> list[str]:
    return [
        value.get_secret_value()
        for value in (settings.slack_bot_token, settings.slack_signing_secret, settings.heatpunk_api_key)
        if value is not None
    ]


def everything_sent(bot: Bot) -> str:
    """Every Web API call's arguments and every response_url body leadbot sent, as one text."""
    calls = [call.params for call in bot.slack.calls]
    posts = [post.body for post in bot.slack.responses]
    return json.dumps([calls, posts], ensure_ascii=False)


def planted(bot: Bot) -> str:
    """Every secret leadbot has, one after another, as a person could paste them into a lead."""
    return " ".join(secrets_of(bot.deps.settings))


def test_a_secret_in_a_lead_reaches_no_slack_message(bot: Bot) -> None:
    secrets = planted(bot)
    lead_id = bot.sandbox.add_lead(customerName=f"Eve {secrets}", address=secrets, postcode="CB24 6YU")
    bot.command(f"show {lead_id}").answer()
    bot.command("find Eve").answer()
    bot.command("list 1d").answer()
    sent = everything_sent(bot)
    assert "Eve" in sent
    for secret in secrets_of(bot.deps.settings):
        assert secret not in sent


def test_a_secret_in_heatpunks_error_words_reaches_no_answer(bot: Bot) -> None:
    lead_id = bot.sandbox.add_lead(customerName="Plain Person")
    bot.sandbox.fail_next(status=400, body={"errors": {"x-api-key": planted(bot), "token": BOT_TOKEN}})
    answer = bot.command(f"show {lead_id}").answer()
    assert answer["text"]
    sent = everything_sent(bot)
    for secret in secrets_of(bot.deps.settings):
        assert secret not in sent


def test_a_secret_typed_into_a_command_is_not_echoed_in_the_ack(bot: Bot) -> None:
    ack = bot.command(f"status 1001 {SIGNING_SECRET}").ack_body()
    assert ack["text"]
    assert SIGNING_SECRET not in json.dumps(ack)
