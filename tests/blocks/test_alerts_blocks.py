"""Alert builders: content, states, escaping of hostile lead text, and Block Kit limits at their worst."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from leadbot import ids
from leadbot.blocks.alerts import (
    DIGEST_MAX,
    CardState,
    build_alert_card,
    build_change_note,
    build_deleted_note,
    build_digest,
    build_health,
    build_recovered,
    build_watching,
    digest_pages,
    text_size,
)
from leadbot.blocks.kit import Message
from leadbot.blocks.values import AlertDeleteOption, ClaimButton, EditButton, OpenButton, StatusOption
from leadbot.heatpunk import Lead
from leadbot.limits import MESSAGE_TEXT_BUDGET
from leadbot.routing.clock import ClockView
from leadbot.settings import DEFAULT_STATUSES
from tests.fakes.slack_blocks import check_blocks

NASTY = "<!channel> & <@U123> <http://evil.example|click me>"
CREATED = datetime(2025, 3, 11, 11, 3, 29, tzinfo=UTC)  # 11:03 in London (GMT)


def lead(lead_id: str = "32123", **fields: Any) -> Lead:
    values: dict[str, Any] = {
        "id": lead_id,
        "date_created": CREATED,
        "status": "new",
        "customer_name": "Jane Doe",
        "address": "1 High Street, Cambridge",
        "postcode": "CB24 6YU",
        "customer_email": "jane@example.co.uk",
        "customer_phone": "07700 900123",
        "origin": "https://easy-pv.co.uk/speedy-pv",
    }
    return Lead(**(values | fields))


def nasty(lead_id: str = "32123", size: int = 2000) -> Lead:
    return lead(
        lead_id,
        status=NASTY,
        customer_name=NASTY * 10,
        address=("<!here> " + "A" * size)[:size],
        postcode=NASTY,
        customer_email="a<b>@example.com",
        customer_phone="07111 <!channel> 111111",
        origin=NASTY * 20,
        extra={"notes": NASTY},
    )


def everything(message: Message) -> str:
    return message.text + json.dumps(message.blocks)


def assert_inert(message: Message) -> None:
    """No raw `<`: nothing from the lead can become a mention or a link (leadbot's own links excepted)."""
    for raw in ("<!channel>", "<!here>", "<@U123>", "<http://evil"):
        assert raw not in everything(message)


def actions(message: Message) -> list[dict[str, Any]]:
    return [
        element for block in message.blocks if block["type"] == "actions" for element in block["elements"]
    ]


def test_card_shows_what_a_salesperson_needs() -> None:
    card = build_alert_card(lead(), statuses=DEFAULT_STATUSES)
    text = everything(card)
    for expected in (
        "Jane Doe",
        "1 High Street, Cambridge",
        "CB24 6YU",
        "tel:+447700900123",
        "mailto:jane@example.co.uk",
        "Source: Speedy PV",  # the origin in words
        "Tue 11 Mar 2025, 11:03",  # the date token's fallback
        "32123",
        "google.com/maps",
    ):
        assert expected in text
    assert card.text.startswith("New lead: Jane Doe (CB24 6YU)")
    assert check_blocks(card.blocks) == []


def test_card_buttons_and_their_values() -> None:
    elements = {
        element["action_id"]: element
        for element in actions(build_alert_card(lead(), statuses=("new", "Quote")))
    }
    assert ClaimButton.from_value(elements[ids.CLAIM_LEAD]["value"]) == ClaimButton("32123")
    assert EditButton.from_value(elements[ids.EDIT_LEAD]["value"]) == EditButton("32123")
    assert [StatusOption.from_value(o["value"]) for o in elements[ids.SET_STATUS]["options"]] == [
        StatusOption("32123", "new"),
        StatusOption("32123", "Quote"),
    ]
    [delete] = elements[ids.ALERT_MENU]["options"]
    assert AlertDeleteOption.from_value(delete["value"]) == AlertDeleteOption("32123")
    card = build_alert_card(lead(), statuses=DEFAULT_STATUSES)
    for block in card.blocks:
        if block["type"] in ("actions", "section"):
            assert block["block_id"]


def test_claimed_card_names_the_claimer_and_drops_claim() -> None:
    card = build_alert_card(lead(), statuses=DEFAULT_STATUSES, clock=ClockView(owner="U0SALES1"))
    assert "Owner: <@U0SALES1>" in everything(card)
    assert ids.CLAIM_LEAD not in [element["action_id"] for element in actions(card)]


def test_deleted_card_has_no_buttons() -> None:
    card = build_alert_card(lead(), statuses=DEFAULT_STATUSES, state="deleted")
    assert actions(card) == []
    assert "Deleted in Heatpunk" in card.text
    assert "~Jane Doe~" in everything(card)


def test_changed_card_says_when() -> None:
    later = CREATED + timedelta(hours=2)
    card = build_alert_card(
        lead(status="Quote"), statuses=DEFAULT_STATUSES, state="changed", updated_at=later
    )
    assert "Updated Tue 11 Mar 2025, 13:03" in everything(card)
    assert card.text.startswith("New lead: Jane Doe")  # an edit doesn't turn it into another kind of card
    assert "updated in Heatpunk" not in everything(card)


def test_hostile_lead_is_inert_and_within_limits() -> None:
    states: tuple[CardState, ...] = ("new", "changed", "deleted")
    for state in states:
        card = build_alert_card(
            nasty(), statuses=DEFAULT_STATUSES, state=state, updated_at=CREATED, clock=ClockView(owner="U1")
        )
        assert_inert(card)
        assert check_blocks(card.blocks) == []
        assert len(card.text) <= 3000


def plain_leads(count: int) -> list[Lead]:
    """Leads as a burst brings them: ordinary names, postcodes and statuses of ordinary length."""
    return [
        lead(str(40_000 + n), customer_name=f"Jane Doe {n}", postcode=f"CB{n % 90} {n % 9}YU")
        for n in range(count)
    ]


def menu_leads(message: Message) -> list[str]:
    """The lead IDs a digest's View buttons or View menus open, in order."""
    accessories = [block["accessory"] for block in message.blocks if "accessory" in block]
    return [
        OpenButton.from_value(value).lead_id
        for accessory in accessories
        for value in (
            [accessory["value"]] if "value" in accessory else [o["value"] for o in accessory["options"]]
        )
    ]


def test_an_ordinary_burst_gets_a_view_button_per_lead_and_a_big_one_menus() -> None:
    """Up to 40 leads: one click from the digest to a card; more: ten lines and a menu to a section."""
    small = build_digest([(nasty(str(n)), False) for n in range(30)])
    assert [block["accessory"]["type"] for block in small.blocks if "accessory" in block] == ["button"] * 30
    big_page = digest_pages([nasty(str(n)) for n in range(120)])[0]
    big = build_digest([(one, False) for one in big_page])
    assert {block["accessory"]["type"] for block in big.blocks if "accessory" in block} == {"static_select"}
    assert menu_leads(small) == [str(n) for n in range(30)]


def assert_fits(digest: Message) -> None:
    assert check_blocks(digest.blocks) == []
    assert len(digest.blocks) <= 50
    assert text_size(digest.blocks) <= MESSAGE_TEXT_BUDGET
    assert len(digest.text) <= 3000


def test_a_burst_of_500_leads_packs_into_five_digests_each_lead_once() -> None:
    burst = plain_leads(500)
    pages = digest_pages(burst)
    assert len(pages) <= 5  # 13 at 40 a message
    shown: list[str] = []
    for page in pages:
        digest = build_digest([(one, False) for one in page])
        assert_fits(digest)
        assert digest.text == f"{len(page)} new leads in Heatpunk"
        text = "\n".join(block["text"]["text"] for block in digest.blocks)
        for one in page:
            assert (
                f"*{one.customer_name}* · new · {one.postcode} · Tue 11 Mar 2025, 11:03 · `{one.id}`" in text
            )
        shown += menu_leads(digest)
    assert shown == [one.id for one in burst]  # every lead in exactly one digest, in order


def test_hostile_leads_digests_stay_within_every_limit_and_inert() -> None:
    burst = [nasty(str(n)) for n in range(120)]
    pages = digest_pages(burst)
    assert sum(len(page) for page in pages) == 120
    for page in pages:
        digest = build_digest([(one, int(one.id) % 7 == 0) for one in page])
        assert_fits(digest)
        assert_inert(digest)
        assert menu_leads(digest) == [one.id for one in page if int(one.id) % 7 != 0]
        menus = [block["accessory"] for block in digest.blocks if "accessory" in block]
        assert {menu["action_id"] for menu in menus} == {ids.OPEN_LEAD}


def test_a_digest_whose_leads_grew_since_planning_falls_back_to_short_lines() -> None:
    (page, *_) = digest_pages(plain_leads(500))
    grown = [(nasty(one.id), False) for one in page]
    digest = build_digest(grown)
    assert_fits(digest)
    assert_inert(digest)
    assert menu_leads(digest) == [one.id for one in page]


def test_digest_pages_never_exceed_the_block_limit() -> None:
    tiny = [
        lead(str(n), customer_name="A", postcode="", address="", status="") for n in range(DIGEST_MAX + 5)
    ]
    pages = digest_pages(tiny)
    assert max(len(page) for page in pages) <= DIGEST_MAX
    for page in pages:
        assert_fits(build_digest([(one, False) for one in page]))


def test_notes_list_changes_escaped() -> None:
    changes: list[list[Any]] = [
        ["Status", "new", "Quote"],
        ["Name", "Jane", NASTY],
        ["custom", None, {"a": NASTY}],
    ]
    note = build_change_note(lead(customer_name=NASTY), changes)
    assert "• Status: new → Quote" in note.text
    assert "• custom: — →" in note.text
    assert_inert(note)
    huge = build_change_note(lead(), [[f"f{n}", "x" * 3000, "y" * 3000] for n in range(40)])
    assert check_blocks(huge.blocks) == []
    many = build_change_note(lead(), [[f"f{n}", "a", "b"] for n in range(40)])
    assert "…and 20 more" in many.text
    back = build_change_note(lead(), [], returned=True)
    assert "is back in Heatpunk" in back.text
    deleted = build_deleted_note(nasty())
    assert_inert(deleted)
    assert check_blocks(deleted.blocks) == []


def test_notices() -> None:
    assert build_watching(1234).text == "leadbot is watching 1,234 leads; new ones will appear here"
    health = build_health("Heatpunk rejected leadbot's API key.", 5)
    assert "rejected leadbot's API key" in health.text
    assert "5 times in a row" in health.text
    assert "can't post new-lead alerts" in build_health("Slack is down.", 5, source="slack").text
    assert "working again" in build_recovered().text
