"""The owner and clock line on every card, row and digest; the ownership and contact controls; the Reassign…
modal and the question after the last attempt: words, values, escaping and Block Kit limits."""

from __future__ import annotations

import json
from datetime import date

import pytest

from leadbot import ids, texts
from leadbot.blocks.alerts import build_alert_card, build_digest, digest_line, digest_row
from leadbot.blocks.kit import Message
from leadbot.blocks.leads import build_lead_list, lead_row
from leadbot.blocks.messages import build_lead_message
from leadbot.blocks.owners import build_attempts_question, build_reassign_view, clock_line, owner_elements
from leadbot.blocks.values import (
    BadValue,
    ClaimButton,
    CloseButton,
    ContactOption,
    KeepTryingButton,
    OpenButton,
    ReassignButton,
    ReassignMemory,
    UnclaimButton,
)
from leadbot.leads.grammar import ListLeads
from leadbot.leads.permissions import CardButtons
from leadbot.routing.clock import ClockView
from leadbot.settings import DEFAULT_STATUSES
from tests.blocks.test_alerts_blocks import actions, assert_inert, lead, nasty
from tests.fakes.slack_blocks import check_blocks, check_view


def everything(message: Message) -> str:
    return message.text + json.dumps(message.blocks, ensure_ascii=False)


OWNED = ClockView(owner="U0SALES1", waiting_minutes=12.4, step="escalated")


@pytest.mark.parametrize(
    ("view", "line"),
    [
        (ClockView(), "Unclaimed"),
        (ClockView(waiting_minutes=4.2), "Unclaimed · ⏱ 4 min"),
        (
            ClockView(starts_at="Tue 08:30"),
            "Unclaimed · arrived out of hours · clock starts Tue 08:30",
        ),
        (ClockView(owner="U1", waiting_minutes=12), "Owner: <@U1> · ⏱ 12 min"),
        (ClockView(owner="U1", waiting_minutes=12, step="escalated"), "Owner: <@U1> · ⏱ 12 min, escalated"),
        (ClockView(owner="U1", waiting_minutes=95, step="nudged"), "Owner: <@U1> · ⏱ 1 h 35 min, nudged"),
        (
            ClockView(owner="U1", attempts=2, first_contact_minutes=7),
            "Owner: <@U1> · 2 attempts · first contact after 7 min",
        ),
        (
            ClockView(owner="U1", attempts=1, first_contact_minutes=3, reached=True),
            "Owner: <@U1> · 1 attempt · first contact after 3 min · reached",
        ),
        (ClockView(owner="U1", attempts=6, first_contact_minutes=3, closed=True), "Owner: <@U1> · closed"),
        (ClockView(owner="U1"), "Owner: <@U1>"),  # untimed (claimed before leadbot timed leads)
    ],
)
def test_clock_line_every_form(view: ClockView, line: str) -> None:
    assert clock_line(view) == line


def test_clock_line_short_form_for_rows() -> None:
    assert clock_line(ClockView(starts_at="Tue 08:30"), short=True) == "Unclaimed · clock starts Tue 08:30"
    contacted = ClockView(owner="U1", attempts=2, first_contact_minutes=7, reached=True)
    assert clock_line(contacted, short=True) == "Owner: <@U1> · 2 attempts · reached"


def test_clock_line_never_mentions_what_is_not_a_user_id() -> None:
    line = clock_line(ClockView(owner="<!channel>", starts_at="<!here>"))
    assert "<!" not in line
    assert "&lt;!channel&gt;" in line


def test_alert_card_shows_the_owner_and_offers_unclaim_reassign_and_log_contact() -> None:
    card = build_alert_card(lead(), statuses=DEFAULT_STATUSES, clock=OWNED)
    assert "Owner: <@U0SALES1> · ⏱ 12 min, escalated" in everything(card)
    elements = {element["action_id"]: element for element in actions(card)}
    assert ids.CLAIM_LEAD not in elements
    assert UnclaimButton.from_value(elements[ids.UNCLAIM_LEAD]["value"]) == UnclaimButton("32123", "U0SALES1")
    assert ReassignButton.from_value(elements[ids.REASSIGN_LEAD]["value"]) == ReassignButton(
        "32123", "U0SALES1"
    )
    options = elements[ids.LOG_CONTACT]["options"]
    assert [option["text"]["text"] for option in options] == [
        "Called — spoke",
        "No answer",
        "Voicemail",
        "Emailed",
        "Texted",
    ]
    assert [ContactOption.from_value(option["value"]).outcome for option in options] == [
        "spoke",
        "no_answer",
        "voicemail",
        "emailed",
        "texted",
    ]
    assert check_blocks(card.blocks) == []


def test_unowned_card_offers_claim_and_log_contact() -> None:
    card = build_alert_card(lead(), statuses=DEFAULT_STATUSES, clock=ClockView(waiting_minutes=4))
    assert "Unclaimed · ⏱ 4 min" in everything(card)
    names = [element["action_id"] for element in actions(card)]
    assert names[:2] == [ids.CLAIM_LEAD, ids.LOG_CONTACT]
    assert ids.UNCLAIM_LEAD not in names


def test_closed_card_says_closed_and_offers_no_log_contact() -> None:
    card = build_alert_card(
        lead(), statuses=DEFAULT_STATUSES, clock=ClockView(owner="U1", attempts=6, closed=True)
    )
    assert "Owner: <@U1> · closed" in everything(card)
    assert ids.LOG_CONTACT not in [element["action_id"] for element in actions(card)]


def test_cards_rows_and_digests_with_clocks_stay_inert_and_within_limits() -> None:
    hostile = ClockView(owner="U0SALES1", starts_at="<!channel> <@U123>")
    for view in (
        OWNED,
        hostile,
        ClockView(owner="U1", attempts=99, first_contact_minutes=10_000, reached=True),
    ):
        card = build_alert_card(nasty(), statuses=DEFAULT_STATUSES, clock=view)
        assert_inert(card)
        assert check_blocks(card.blocks) == []
        show = build_lead_message(nasty(), statuses=DEFAULT_STATUSES, buttons=CardButtons(), clock=view)
        assert_inert(show)
        assert check_blocks(show.blocks) == []
        row = lead_row(nasty(), view)
        assert_inert(build_digest([(nasty(), False)], clocks={"32123": view}))
        assert check_blocks([row]) == []
        assert "<!channel>" not in json.dumps(row)


def test_list_rows_show_the_short_clock_line_for_leads_with_one() -> None:
    leads = [lead("1"), lead("2")]
    blocks = build_lead_list(
        leads, heading="*2 leads*", page=1, query=ListLeads(date(2025, 3, 1)), clocks={"1": OWNED}
    )
    rows = {
        block["block_id"]: block["text"]["text"]
        for block in blocks
        if block.get("block_id", "").startswith("lead_row")
    }
    assert rows["lead_row|1"].endswith("\nOwner: <@U0SALES1> · ⏱ 12 min, escalated")
    assert "Owner" not in rows["lead_row|2"]
    assert "Unclaimed" not in rows["lead_row|2"]


def test_digest_rows_offer_view_and_claim_for_unowned_leads() -> None:
    unowned = digest_row(lead("1"), gone=False, clock=ClockView(starts_at="Tue 08:30"))
    assert "Unclaimed · clock starts Tue 08:30" in unowned["text"]["text"]
    assert unowned["accessory"]["action_id"] == ids.OPEN_LEAD
    packed = digest_row(lead("1"), gone=False, clock=ClockView(), claim_here=True)  # no room for a Claim row
    assert ClaimButton.from_value(packed["accessory"]["value"]) == ClaimButton("1")
    owned = digest_row(lead("2"), gone=False, clock=OWNED)
    assert "Owner: <@U0SALES1>" in owned["text"]["text"]
    assert OpenButton.from_value(owned["accessory"]["value"]) == OpenButton("2")
    unknown = digest_row(lead("3"), gone=False)
    assert unknown["accessory"]["action_id"] == ids.OPEN_LEAD
    assert "Unclaimed" not in unknown["text"]["text"]
    line = digest_line(lead("4"), gone=False, clock=ClockView(waiting_minutes=4))
    assert line.endswith(" · Unclaimed · ⏱ 4 min")
    digest = build_digest([(lead("1"), False), (lead("2"), False)], clocks={"1": ClockView(), "2": OWNED})
    assert check_blocks(digest.blocks) == []
    kinds = [(block["type"], block.get("block_id", "").split("|")[0]) for block in digest.blocks]
    assert kinds == [  # View beside each row; a Claim row under the unowned one only
        ("section", ids.DIGEST_HEADING_BLOCK),
        ("section", ids.DIGEST_LEAD_BLOCK),
        ("actions", ids.DIGEST_CLAIM_BLOCK),
        ("section", ids.DIGEST_LEAD_BLOCK),
    ]


def test_a_digest_too_big_for_claim_rows_puts_claim_in_place_of_view() -> None:
    leads = [(lead(str(n)), False) for n in range(30)]
    digest = build_digest(leads, clocks={str(n): ClockView() for n in range(30)})
    assert len(digest.blocks) == 31
    assert {block["accessory"]["action_id"] for block in digest.blocks[1:]} == {ids.CLAIM_LEAD}
    assert check_blocks(digest.blocks) == []


def test_show_card_carries_the_owner_line_and_its_controls() -> None:
    show = build_lead_message(lead(), statuses=DEFAULT_STATUSES, buttons=CardButtons(), clock=ClockView())
    blocks = {block.get("block_id"): block for block in show.blocks}
    assert blocks["owner_state|32123"]["elements"][0]["text"] == "Unclaimed"
    names = [element["action_id"] for element in blocks["owner_actions|32123"]["elements"]]
    assert names == [ids.CLAIM_LEAD, ids.LOG_CONTACT]
    plain = build_lead_message(lead(), statuses=DEFAULT_STATUSES, buttons=CardButtons())
    assert "owner_actions|32123" not in json.dumps(plain.blocks)


def test_owner_elements_for_each_state() -> None:
    assert [e["action_id"] for e in owner_elements("1", ClockView())] == [ids.CLAIM_LEAD, ids.LOG_CONTACT]
    assert [e["action_id"] for e in owner_elements("1", OWNED)] == [
        ids.UNCLAIM_LEAD,
        ids.REASSIGN_LEAD,
        ids.LOG_CONTACT,
    ]


def test_reassign_view_remembers_the_owner_and_the_card() -> None:
    memory = ReassignMemory(
        "32123", "U0SALES1", "C0ALERTS", "1700000000.000100", "https://hooks.slack.com/x", "digest"
    )
    view = build_reassign_view(memory)
    assert check_view(view) == []
    assert ReassignMemory.from_value(str(view["private_metadata"])) == memory
    assert "Owner now: <@U0SALES1>." in json.dumps(view)
    unowned = ReassignMemory("32123", None)
    assert ReassignMemory.from_value(unowned.to_value()) == unowned
    hostile = build_reassign_view(memory, notice=texts.REASSIGN_TO_BOT)
    assert texts.REASSIGN_TO_BOT in json.dumps(hostile)


def test_attempts_question_has_close_and_keep_trying() -> None:
    question = build_attempts_question("32123", NASTY_TITLE, 6)
    assert "That's 6 attempts on lead 32123" in question.text
    assert "<!channel>" not in everything(question)
    [close, keep] = actions(question)
    assert CloseButton.from_value(close["value"]) == CloseButton("32123")
    assert KeepTryingButton.from_value(keep["value"]) == KeepTryingButton("32123")
    assert (close["text"]["text"], keep["text"]["text"]) == ("Close lead", "Keep trying")
    assert check_blocks(question.blocks) == []


NASTY_TITLE = "<!channel> Jane"


@pytest.mark.parametrize(
    "value",
    ['{"l":"1","o":"shouted"}', '{"l":"1"}', "no_answer", '{"o":"no_answer"}'],
)
def test_unreadable_contact_values_are_refused(value: str) -> None:
    with pytest.raises(BadValue):
        ContactOption.from_value(value)


@pytest.mark.parametrize("value", ['{"l":"1"}', '{"l":"1","w":""}', '{"l":"1","w":3}'])
def test_owner_buttons_need_the_owner_shown(value: str) -> None:
    with pytest.raises(BadValue):
        UnclaimButton.from_value(value)


@pytest.mark.parametrize(
    "value", ['{"l":"1"}', '{"l":"1","w":null,"c":"C","t":"1","u":"","k":"other"}', "[]"]
)
def test_unreadable_reassign_memory_is_refused(value: str) -> None:
    with pytest.raises(BadValue):
        ReassignMemory.from_value(value)
