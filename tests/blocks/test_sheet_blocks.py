"""The call sheet (issue 12): one builder for the alert card, `/leads show` and the shared card; source in words;
phones in one format; Slack's date token; change notes that say who; wording. Pure functions, no Slack."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from leadbot import ids, texts
from leadbot.alerts.detect import made_by
from leadbot.blocks.alerts import CardState, build_alert_card, build_change_note
from leadbot.blocks.kit import Message
from leadbot.blocks.messages import build_lead_message, build_notice, build_shared_card, build_usage
from leadbot.blocks.sheet import area, build_call_sheet, source_words, town_of
from leadbot.blocks.text import date_token, lead_phone_link, phone_words, plain_words
from leadbot.heatpunk import Lead
from leadbot.leads.grammar import Reason, Usage
from leadbot.leads.permissions import CardButtons, near_status
from leadbot.routing.clock import ClockView
from leadbot.settings import DEFAULT_STATUSES
from leadbot.store import AuditEntry
from tests.fakes.slack_blocks import check_blocks

NASTY = "<!channel> & <@U123> <http://evil.example|click me>"
CREATED = datetime(2025, 3, 11, 11, 3, 29, tzinfo=UTC)  # 11:03 in London (GMT)
SPEEDY_FACEBOOK = "https://easy-pv.co.uk/speedy-pv?utm_source=facebook"


def sandbox_lead(**fields: Any) -> Lead:
    """A lead as the sandbox sends one: notes, project and property type, a utm origin."""
    values: dict[str, Any] = {
        "id": "1042",
        "date_created": CREATED,
        "status": "new",
        "customer_name": "Jane Doe",
        "address": "14 Mill Lane\nHistoric Village, Cambridge, Cambridgeshire",
        "postcode": "CB24 6YU",
        "customer_email": "jane.doe@gmail.com",
        "customer_phone": "07700900123",
        "lat": 52.2,
        "lng": 0.13,
        "origin": SPEEDY_FACEBOOK,
        "extra": {
            "projectType": "solar",
            "propertyType": "semi-detached",
            "notes": "Please call after 5pm\nSouth-facing roof",
        },
    }
    return Lead(**(values | fields))


def maximal_lead(lead_id: str = "9" * 40) -> Lead:
    """Every field at its longest and nastiest: text at Slack's limits and past them, 60 unknown fields."""
    big = (NASTY + " 👷‍♀️ Zoë \u202e\ufffd ") * 200
    return Lead(
        id=lead_id,
        date_created=CREATED,
        status=big[:500],
        customer_name=big,
        address="\n".join([big[:1990]] * 3),
        postcode=big[:300],
        customer_email=big[:400] + "@example.com",
        customer_phone="07111 <!channel> 111111" * 30,
        lat=89.999999,
        lng=-179.999999,
        origin=SPEEDY_FACEBOOK + "&utm_medium=" + big[:1000],
        extra={
            "projectType": big,
            "propertyType": big,
            "notes": big + "\n> quoted\n```code```",
            "message": big,
            "comments": big,
            "bestTimeToCall": big,
            **{f"field{n}<!here>": big for n in range(60)},
        },
    )


def everything(message: Message) -> str:
    return message.text + json.dumps(message.blocks)


def assert_inert(message: Message) -> None:
    for raw in ("<!channel>", "<!here>", "<@U123>", "<http://evil"):
        assert raw not in everything(message)


def block(message: Message, base: str, lead_id: str = "1042") -> dict[str, Any]:
    return next(b for b in message.blocks if b.get("block_id") == ids.block_id(base, lead_id))


def text_of(found: dict[str, Any]) -> str:
    if found["type"] == "context":
        return str(found["elements"][0]["text"])
    return str(found["text"]["text"])


# --- the layout ---------------------------------------------------------------------------------------


def test_the_alert_is_a_call_sheet_in_the_order_a_salesperson_reads_it() -> None:
    card = build_alert_card(sandbox_lead(), statuses=DEFAULT_STATUSES, clock=ClockView(owner="U0SALES1"))
    kinds = [b["type"] for b in card.blocks]
    assert kinds == ["header", "section", "section", "context", "section", "context", "actions"]
    header = card.blocks[0]
    assert header["text"] == {"type": "plain_text", "text": "Jane Doe", "emoji": True}
    call = text_of(block(card, ids.SHEET_CALL_BLOCK))
    assert call.startswith(":telephone_receiver: <tel:+447700900123|07700 900123>")
    assert ":round_pushpin: CB24 6YU Cambridge" in call
    assert "*Solar*" in call
    stamp = int(CREATED.timestamp())
    assert call.endswith(f"<!date^{stamp}^{{date_short_pretty}} {{time}}|Tue 11 Mar 2025, 11:03>")
    assert text_of(block(card, ids.SHEET_NOTES_BLOCK)) == "> Please call after 5pm\n> South-facing roof"
    assert text_of(block(card, ids.ALERT_STATE_BLOCK)).startswith("Owner: <@U0SALES1>")
    details = text_of(block(card, ids.SHEET_DETAILS_BLOCK))
    assert "*Email:* <mailto:jane.doe@gmail.com|jane.doe@gmail.com>" in details
    assert "*Address:* 14 Mill Lane, Historic Village, Cambridge, Cambridgeshire" in details
    assert "*Property:* Semi-detached" in details
    facts = text_of(block(card, ids.SHEET_FACTS_BLOCK))
    assert facts.startswith(
        ":new: New lead · Status: new · Source: Speedy PV · Facebook · Lead `1042` · <https://"
    )
    assert "google.com/maps" in facts
    shown = everything(card)
    for raw in ("projectType", "propertyType", "null", "utm_source", "Other details"):
        assert raw not in shown


def test_show_and_share_use_the_same_sheet_and_keep_their_buttons() -> None:
    lead = sandbox_lead()
    show = build_lead_message(
        lead, statuses=DEFAULT_STATUSES, buttons=CardButtons(share=True), clock=ClockView()
    )
    shared = build_shared_card(lead, user_id="U0SALES1", statuses=DEFAULT_STATUSES)
    alert = build_alert_card(lead, statuses=DEFAULT_STATUSES)
    sheet = build_call_sheet(lead)
    for message in (show, shared):
        assert message.blocks[0] == sheet[0]  # the same header
        assert block(message, ids.SHEET_CALL_BLOCK) == block(alert, ids.SHEET_CALL_BLOCK)
        assert block(message, ids.SHEET_DETAILS_BLOCK) == block(alert, ids.SHEET_DETAILS_BLOCK)
    actions = [e["action_id"] for b in show.blocks if b["type"] == "actions" for e in b["elements"]]
    assert actions == [
        ids.EDIT_LEAD,
        ids.SET_STATUS,
        ids.DELETE_LEAD,
        ids.SHARE_LEAD,
        ids.CLAIM_LEAD,
        ids.LOG_CONTACT,
    ]
    assert text_of(block(show, ids.OWNER_STATE_BLOCK)) == "Unclaimed"
    assert "Shared by <@U0SALES1>" in json.dumps(shared.blocks)
    alert_actions = [e["action_id"] for b in alert.blocks if b["type"] == "actions" for e in b["elements"]]
    assert alert_actions == [ids.CLAIM_LEAD, ids.LOG_CONTACT, ids.SET_STATUS, ids.EDIT_LEAD, ids.ALERT_MENU]


def test_empty_and_null_fields_are_hidden_and_unknown_ones_stay_under_more() -> None:
    lead = Lead(
        id="7",
        date_created=CREATED,
        customer_name="Sam",
        customer_phone="",
        address=None,
        extra={"notes": None, "projectType": "", "message": "  ", "propertyType": [], "x": None, "utm": {}},
    )
    card = build_alert_card(lead, statuses=())
    shown = everything(card)
    assert [b["type"] for b in card.blocks] == ["header", "section", "context", "context", "actions"]
    assert texts.SHEET_NO_PHONE in shown
    for hidden in ("null", "None", "*More*", "Notes", "Project", "Property", "[]", "{}"):
        assert hidden not in shown
    more = build_alert_card(
        Lead(id="8", date_created=CREATED, extra={"roofPitch": 35, "zz": "y"}), statuses=()
    )
    assert text_of(block(more, f"{ids.SHEET_MORE_BLOCK}0", "8")) == "*More*\n*roofPitch:* 35\n*zz:* y"


def test_a_known_field_gets_its_plain_label_and_a_second_note_field_is_not_lost() -> None:
    lead = sandbox_lead(extra={"message": "First", "comments": "Second", "bestTimeToCall": "evening"})
    card = build_alert_card(lead, statuses=())
    assert text_of(block(card, ids.SHEET_NOTES_BLOCK)) == "> First"
    details = text_of(block(card, ids.SHEET_DETAILS_BLOCK))
    assert "*Comments:* Second" in details
    assert "*Best time to call:* evening" in details
    assert "*More*" not in everything(card)


@pytest.mark.parametrize("state", ["new", "changed", "deleted"])
def test_a_lead_at_every_fields_maximum_stays_within_block_kit_and_inert(state: CardState) -> None:
    lead = maximal_lead()
    card = build_alert_card(
        lead, statuses=DEFAULT_STATUSES, clock=ClockView(owner="U1"), state=state, updated_at=CREATED
    )
    assert check_blocks(card.blocks) == []
    assert_inert(card)
    assert len(card.blocks[0]["text"]["text"]) <= 150
    assert len(card.text) <= 3000


def test_show_and_share_of_a_maximal_lead_stay_within_block_kit() -> None:
    lead = maximal_lead()
    for message in (
        build_lead_message(
            lead, statuses=DEFAULT_STATUSES, buttons=CardButtons(share=True), clock=ClockView(), note="*x*"
        ),
        build_shared_card(lead, user_id="U1", statuses=DEFAULT_STATUSES),
    ):
        assert check_blocks(message.blocks) == []
        assert_inert(message)
        assert "more fields than Slack can show" in everything(
            message
        )  # more unknown fields than Slack can show: said, not dropped


def test_unicode_is_kept_and_quoted_notes_cannot_break_out() -> None:
    lead = sandbox_lead(
        customer_name="Zoë Ó Súilleabháin 👷‍♀️ \ufffd",
        extra={"notes": "Line one\n> quoted <!here>\n```code```\u202e"},
    )
    card = build_alert_card(lead, statuses=())
    assert card.blocks[0]["text"]["text"] == "Zoë Ó Súilleabháin 👷‍♀️ \ufffd"
    notes = text_of(block(card, ids.SHEET_NOTES_BLOCK))
    assert notes == "> Line one\n> &gt; quoted &lt;!here&gt;\n> ```code```"


def test_long_notes_are_cut_to_fit() -> None:
    card = build_alert_card(sandbox_lead(extra={"notes": "word " * 2000}), statuses=())
    notes = text_of(block(card, ids.SHEET_NOTES_BLOCK))
    assert notes.startswith("> word")
    assert notes.endswith("…")
    assert len(notes) <= 3000


def test_a_deleted_card_is_struck_through_without_buttons() -> None:
    card = build_alert_card(sandbox_lead(), statuses=DEFAULT_STATUSES, state="deleted")
    assert text_of(block(card, ids.SHEET_CALL_BLOCK)) == ":wastebasket: ~Jane Doe~ — *Deleted in Heatpunk*"
    assert not [b for b in card.blocks if b["type"] == "actions"]
    assert card.text.startswith("Deleted in Heatpunk: Jane Doe")


# --- area, source, phone, age -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "postcode", "town"),
    [
        ("1 High Street, Cambridge", "CB24 6YU", "Cambridge"),
        ("14 Mill Lane\nHistoric Village\nCambridge\nCambridgeshire\nCB24 6YU", "CB24 6YU", "Cambridge"),
        ("12 Smith & Sons Yard, Leeds, West Yorkshire, LS1 4DY", "LS1 4DY", "Leeds"),
        ("Rose Cottage, 3 The Green, Belfast, County Antrim", "BT1 1AA", "Belfast"),
        ("Flat 2, 9 Elm Road, Bristol, City of Bristol, UK", None, "Bristol"),
        ("3 Kent Road, Kent", None, None),
        ("", "CB24 6YU", None),
        (None, None, None),
    ],
)
def test_the_town_is_the_last_address_part_that_is_not_a_postcode_or_county(
    address: str | None, postcode: str | None, town: str | None
) -> None:
    assert town_of(address, postcode) == town


def test_the_area_is_postcode_and_town_either_alone() -> None:
    assert area(sandbox_lead(postcode="cb24 6yu")) == "CB24 6YU Cambridge"
    assert area(sandbox_lead(postcode=None)) == "Cambridge"
    assert area(sandbox_lead(address=None)) == "CB24 6YU"
    assert area(sandbox_lead(address=None, postcode=None)) is None


@pytest.mark.parametrize(
    ("origin", "creator", "words"),
    [
        (SPEEDY_FACEBOOK, None, "Speedy PV · Facebook"),
        ("https://easy-pv.co.uk/speedy-pv", None, "Speedy PV"),
        ("https://easy-pv.co.uk/speedy-pv?utm_source=fb&utm_medium=cpc", None, "Speedy PV · Facebook · ads"),
        (
            "https://heatpunk.co.uk/speedy-heatpunk?utm_source=google&utm_medium=organic",
            None,
            "Speedy Heatpunk · Google · organic",
        ),
        (
            "https://www.brightside-solar.co.uk/get-a-quote?utm_source=newsletter&utm_medium=email",
            None,
            "Brightside Solar · Newsletter · email",
        ),
        ("https://www.brightsidesolar.co.uk/get-a-quote", None, "Brightsidesolar"),
        ("https://example.com/?utm_source=ShinyNet", None, "Example · ShinyNet"),
        ("api", "U0SALES1", "Added in Slack by <@U0SALES1>"),
        ("API", None, "Heatpunk API"),  # not known to be leadbot's
        ("api", "not a user <!here>", "Added in Slack by not a user &lt;!here&gt;"),
        ("manual", None, "manual"),
        ("javascript:alert(1)", None, "javascript:alert(1)"),
        (NASTY, None, "&lt;!channel&gt; &amp; &lt;@U123&gt; &lt;http://evil.example|click me&gt;"),
        (
            "https://easy-pv.co.uk/x?utm_source=" + NASTY,
            None,
            "X · &lt;!channel&gt;",  # & ends the parameter
        ),
        ("", None, None),
        (None, "U1", None),
    ],
)
def test_the_source_in_words(origin: str | None, creator: str | None, words: str | None) -> None:
    assert source_words(origin, creator) == words


@pytest.mark.parametrize(
    ("typed", "shown", "tel"),
    [
        ("07700900123", "07700 900123", "tel:+447700900123"),
        ("+44 7700 900123", "07700 900123", "tel:+447700900123"),
        ("0044 (0)1223 123456", "01223 123456", "tel:+441223123456"),
        ("01223123456", "01223 123456", "tel:+441223123456"),
        ("+33 1 23 45 67 89", "+33 1 23 45 67 89", "tel:+33123456789"),
        ("020 7946 0000 ext 12", "020 7946 0000 x12", "tel:+442079460000;ext=12"),
    ],
)
def test_phones_in_one_format_with_an_e164_link(typed: str, shown: str, tel: str) -> None:
    assert phone_words(typed) == shown
    assert lead_phone_link(typed) == f"<{tel}|{shown}>"


def test_a_phone_that_is_not_a_number_is_shown_as_text() -> None:
    assert phone_words("call after 6pm!!") is None
    assert lead_phone_link("call after 6pm!! <!here>") == "call after 6pm!! &lt;!here&gt;"


def test_the_age_is_slacks_date_token_with_a_uk_fallback() -> None:
    summer = datetime(2025, 7, 1, 11, 0, tzinfo=UTC)
    assert (
        date_token(summer)
        == f"<!date^{int(summer.timestamp())}^{{date_short_pretty}} {{time}}|Tue 01 Jul 2025, 12:00>"
    )


def test_a_lead_added_in_slack_names_who_added_it() -> None:
    lead = sandbox_lead(origin="api")
    card = build_alert_card(lead, statuses=(), created_by="U0SALES1")
    assert "Source: Added in Slack by <@U0SALES1>" in text_of(block(card, ids.SHEET_FACTS_BLOCK))
    show = build_lead_message(lead, statuses=(), buttons=CardButtons(), created_by="U0SALES1")
    assert "Added in Slack by <@U0SALES1>" in everything(show)


# --- change notes -----------------------------------------------------------------------------------


def audit(at: datetime, after: dict[str, Any], user: str = "U0SAM", action: str = "status") -> AuditEntry:
    return AuditEntry(1, at, user, "sam@example.co.uk", action, "1042", None, after)


def test_a_change_made_through_leadbot_is_matched_to_who_made_it() -> None:
    seen = CREATED + timedelta(minutes=5)
    changes = [["Status", "new", "Quote"], ["Phone", "07700 900123", "07700 900999"]]
    log = [
        audit(CREATED, {"status": "Quote"}),
        audit(CREATED, {"customerPhone": "07700 900999 "}, "U0EVE", "edit"),
    ]
    assert made_by(changes, log, seen_at=seen) == ["U0SAM", "U0EVE"]


@pytest.mark.parametrize(
    ("at", "after"),
    [
        (CREATED, {"status": "Sale"}),  # another value
        (CREATED, {"postcode": "Quote"}),  # another field
        (CREATED - timedelta(hours=2), {"status": "Quote"}),  # long before the poller saw it: someone else's
        (CREATED + timedelta(hours=1), {"status": "Quote"}),  # after it was seen
    ],
)
def test_a_change_without_a_matching_audit_entry_was_made_in_heatpunk(
    at: datetime, after: dict[str, Any]
) -> None:
    assert made_by(
        [["Status", "new", "Quote"]], [audit(at, after)], seen_at=CREATED + timedelta(minutes=1)
    ) == [None]


def test_change_notes_say_who_or_that_it_was_in_heatpunk() -> None:
    lead = sandbox_lead()
    both = build_change_note(
        lead, [["Status", "new", "Quote"], ["Phone", None, "<!here>"]], by=["U0SAM", None]
    )
    text = both.blocks[0]["text"]["text"]
    assert text.splitlines() == [
        "*Jane Doe* changed:",
        "• Status → Quote by <@U0SAM> (was new)",
        "• Phone → &lt;!here&gt; in Heatpunk (was —)",
    ]
    assert both.text.startswith("Jane Doe changed:")  # plain words in the notification
    heatpunk = build_change_note(lead, [["Status", "new", "Quote"]], by=[None])
    assert heatpunk.blocks[0]["text"]["text"] == "*Jane Doe* was changed in Heatpunk:\n• Status: new → Quote"
    assert build_change_note(lead, [["Status", "new", "Quote"]]) == heatpunk


# --- wording ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Quoted", "Quote"),
        ("quotes", "Quote"),
        ("sales", "Sale"),
        ("complete", "Completed"),
        ("banana", None),
    ],
)
def test_a_near_miss_status_gets_did_you_mean(typed: str, meant: str | None) -> None:
    statuses = ("new", "Lead", "Quote", "Sale", "Install", "Completed", "Rejected")
    assert near_status(statuses, typed) == meant
    answer = build_usage(Usage(Reason.UNKNOWN_STATUS, "status", typed, statuses))
    shown = answer.blocks[0]["text"]["text"].splitlines()[0]
    if meant:
        assert shown.endswith(f"Did you mean `{meant}`?")
    else:
        assert "Did you mean" not in shown


def test_status_replies_read_naturally_and_fallbacks_are_plain_words() -> None:
    reply = build_notice(texts.STATUS_SET.format(lead_id="1042", status="Quote", before="new"))
    assert reply.text == "Lead 1042 moved to Quote (was new)."
    for message in (
        build_notice("*Bold* _it_ ~gone~ `code` <https://x.example|a link> <@U0SAM> a_b@example.com"),
        build_alert_card(sandbox_lead(customer_name="*Dave* _the_ ~builder~"), statuses=()),
        build_change_note(sandbox_lead(), [["Status", "new", "Quote"]], by=["U0SAM"]),
        build_shared_card(sandbox_lead(), user_id="U0SAM", statuses=()),
    ):
        assert not any(mark in message.text for mark in "*~"), message.text
        assert "|" not in message.text.replace("click me", "")
        assert " _" not in message.text
        assert "_ " not in message.text
    assert plain_words("*Bold* <https://x.example|a link> <@U0SAM> a_b@example.com") == (
        "Bold a link <@U0SAM> a_b@example.com"  # `code` stays: it reads as quoting in plain words too
    )
