"""Every message, card and modal leadbot builds stays inside Block Kit's limits and escapes lead text."""

import json
from datetime import UTC, datetime

import pytest

from leadbot import ids
from leadbot.blocks.alerts import build_alert_card, build_change_note, build_deleted_note, build_digest
from leadbot.blocks.kit import Message
from leadbot.blocks.leads import build_lead_card, build_lead_list
from leadbot.blocks.messages import (
    build_delete_prompt,
    build_error,
    build_help,
    build_lead_message,
    build_refusal,
    build_shared_card,
    build_usage,
    build_whoami,
)
from leadbot.blocks.modals import EDIT_FORM, build_duplicate_view, build_lead_form, build_message_view
from leadbot.blocks.text import escape, link, truncate
from leadbot.blocks.values import PageButton, RetryButton, StatusOption
from leadbot.heatpunk import Lead
from leadbot.leads.form import BLOCK_IDS
from leadbot.leads.grammar import FindLeads, ListLeads, Reason, Usage
from leadbot.leads.permissions import CardButtons, Denied
from leadbot.settings import DEFAULT_STATUSES
from leadbot.slack.marking import mark_blocks
from tests.fakes.slack_blocks import check_blocks, check_view

NASTY = "<!channel> & <@U123> <http://evil.example|click me>"
CREATED = datetime(2025, 3, 11, 11, 3, 29, tzinfo=UTC)


def nasty_lead(lead_id: str = "32123", *, size: int = 2000) -> Lead:
    return Lead(
        id=lead_id,
        date_created=CREATED,
        status=NASTY,
        customer_name=NASTY * 10,
        address=("<!here> " + "A" * size)[:size],
        postcode=NASTY,
        customer_email="a<b>@example.com",
        customer_phone="07111 <!channel> 111111",
        lat=52.2,
        lng=0.13,
        origin=NASTY,
        extra={f"field{n}<!here>": NASTY * 20 for n in range(60)},
    )


def all_text(value: object) -> str:
    return json.dumps(value)


def assert_inert(blocks: object) -> None:
    """No raw mention or link syntax from lead data survives into mrkdwn."""
    text = all_text(blocks)
    for raw in ("<!channel>", "<!here>", "<@U123>", "<http://evil.example|click me>"):
        assert raw not in text


def test_escape_makes_mentions_and_links_inert() -> None:
    assert escape("<!channel> & <http://x|y>") == "&lt;!channel&gt; &amp; &lt;http://x|y&gt;"


def test_truncate_never_splits_an_escape() -> None:
    cut = truncate(escape("a" * 8 + "&&&&"), 12)
    assert cut.endswith("…")
    assert len(cut) <= 12
    assert not cut[:-1].endswith(("&", "&a", "&am", "&amp"))


def test_links_cannot_break_out_of_their_url() -> None:
    assert link("tel:1>|x", "<!channel>") == "<tel:1%3E%7Cx|&lt;!channel&gt;>"


def test_card_shows_every_field_and_stays_within_limits() -> None:
    lead = nasty_lead()
    blocks = build_lead_card(lead, statuses=DEFAULT_STATUSES, buttons=CardButtons(share=True))
    assert check_blocks(blocks) == []
    assert_inert(blocks)
    text = all_text(blocks)
    assert "tel:" not in text  # "07111 <!channel> 111111" is not a number to call
    assert "07111 &lt;!channel&gt; 111111" in text
    assert "mailto:" in text
    assert "google.com/maps" in text
    assert "field0" in text
    assert "*More*" in text  # unknown fields stay visible, under More


def test_card_actions_carry_explicit_ids() -> None:
    blocks = build_lead_card(nasty_lead(), statuses=DEFAULT_STATUSES, buttons=CardButtons(share=True))
    actions = blocks[-1]
    assert actions["block_id"] == "lead_actions|32123"
    assert [element["action_id"] for element in actions["elements"]] == [
        ids.EDIT_LEAD,
        ids.SET_STATUS,
        ids.DELETE_LEAD,
        ids.SHARE_LEAD,
    ]
    delete = actions["elements"][2]
    assert delete["style"] == "danger"
    assert "confirm" in delete
    assert StatusOption.from_value(actions["elements"][1]["options"][0]["value"]) == StatusOption(
        "32123", "new"
    )


def test_card_map_falls_back_to_the_postcode() -> None:
    lead = Lead(id="1", date_created=CREATED, postcode="CB24 6YU")
    assert "query=CB24+6YU" in all_text(build_lead_card(lead, statuses=()))


def test_a_list_of_100_huge_leads_pages_within_limits() -> None:
    leads = [nasty_lead(str(n)) for n in range(100)]
    query = FindLeads("x" * 1000)
    first = build_lead_list(leads, heading="*100 leads*", page=1, query=query)
    last = build_lead_list(leads, heading="*100 leads*", page=5, query=query)
    for blocks in (first, last):
        assert check_blocks(blocks) == []
        assert_inert(blocks)
    assert [e["action_id"] for e in first[-1]["elements"]] == [ids.PAGE_NEXT]
    assert [e["action_id"] for e in last[-1]["elements"]] == [ids.PAGE_PREVIOUS]
    assert PageButton.from_value(first[-1]["elements"][0]["value"]) == PageButton(query, 2)
    assert PageButton.from_value(last[-1]["elements"][0]["value"]) == PageButton(query, 4)
    assert "Page 5 of 5" in all_text(last)


def test_a_short_list_has_no_paging() -> None:
    blocks = build_lead_list([nasty_lead()], heading="h", page=1, query=ListLeads(CREATED.date()))
    assert all(block.get("block_id") != ids.PAGE_BLOCK for block in blocks)


def test_forms_with_maximal_values_are_valid_modals() -> None:
    values = {block: "x" * 5000 for block in BLOCK_IDS}
    view = build_lead_form(
        EDIT_FORM,
        values=values,
        private_metadata="{}",
        notice=escape(NASTY),
    )
    assert check_view(view) == []
    assert_inert(view)
    inputs = [block for block in view["blocks"] if block["type"] == "input"]
    assert [block["label"]["text"] for block in inputs] == [
        "Customer name",
        "Email",
        "Phone",
        "Address",
        "Postcode",
        "Latitude",
        "Longitude",
    ]
    assert all(block["block_id"] == block["element"]["action_id"] for block in inputs)
    assert all(len(b["element"]["initial_value"]) <= b["element"]["max_length"] for b in inputs)


def test_message_and_duplicate_views_are_valid() -> None:
    assert check_view(build_message_view("A title longer than twenty-four", "x" * 5000)) == []
    duplicates = build_duplicate_view(
        [nasty_lead(str(n)) for n in range(30)], private_metadata="{}", warning="w"
    )
    assert check_view(duplicates) == []
    assert_inert(duplicates)
    assert duplicates["submit"]["text"] == "Create anyway"


@pytest.mark.parametrize(
    "message",
    [
        build_help(),
        build_usage(Usage(Reason.UNKNOWN_SUBCOMMAND, "list", "lsit")),
        build_usage(Usage(Reason.UNKNOWN_SUBCOMMAND, None, NASTY)),
        build_usage(Usage(Reason.UNKNOWN_STATUS, "status", NASTY * 10, ("new", "Quote"))),
        build_refusal(Denied("Only admins.")),
        build_error("Heatpunk didn't answer — try again", retry=ListLeads(CREATED.date())),
        build_whoami("a@b.co", "from your Slack profile", can_delete=True, is_admin=True),
        build_delete_prompt(nasty_lead()),
        build_lead_message(nasty_lead(), statuses=DEFAULT_STATUSES, buttons=CardButtons()),
        build_shared_card(nasty_lead(), user_id="U1", statuses=DEFAULT_STATUSES),
    ],
)
def test_every_message_has_a_fallback_and_fits(message: Message) -> None:
    assert message.text
    assert check_blocks(message.blocks) == []
    assert check_blocks(mark_blocks(message.blocks)) == []
    assert_inert(message.payload())


def test_help_lists_the_daily_commands_with_examples_only_where_they_add_something() -> None:
    text = all_text(build_help().payload())
    for name in ("list", "find", "show", "new", "edit", "status", "delete", "whoami", "away", "back"):
        assert f"`/leads {name}" in text
    for example in ("/leads list 2w", "/leads find 07700 900123", "/leads status 32123 Quote"):
        assert f"e.g. `{example}`" in text
    assert "e.g. `/leads new`" not in text  # an example that only repeats the command is left out
    assert "e.g. `/leads whoami`" not in text
    for admin_only in ("/leads admin", "/leads rota", "/leads territory"):
        assert admin_only not in text


def test_admins_also_see_the_admin_commands() -> None:
    text = all_text(build_help(admin=True).payload())
    for admin_only in ("/leads admin map", "/leads rota add", "/leads territory PE19"):
        assert admin_only in text


def test_usage_names_the_nearest_subcommand() -> None:
    text = all_text(build_usage(Usage(Reason.UNKNOWN_SUBCOMMAND, "list", "lsit")).payload())
    assert "Did you mean `/leads list`?" in text
    assert "/leads list [SINCE]" in text


def test_retry_button_only_when_asked() -> None:
    assert build_error("x").blocks[-1]["type"] == "section"
    retry = build_error("x", retry=ListLeads(CREATED.date())).blocks[-1]["elements"][0]
    assert RetryButton.from_value(retry["value"]) == RetryButton(ListLeads(CREATED.date()))


def test_a_retry_too_long_for_a_button_is_left_out() -> None:
    assert build_error("x", retry=FindLeads("x" * 2000)).blocks[-1]["type"] == "section"


def test_usage_words_each_reason_without_reading_its_message() -> None:
    unknown = all_text(build_usage(Usage(Reason.UNKNOWN_SUBCOMMAND, "show", "shwo")).payload())
    assert "Did you mean `/leads show`?" in unknown
    bad_id = all_text(build_usage(Usage(Reason.BAD_LEAD_ID, "delete", "<!channel>")).payload())
    assert "Did you mean" not in bad_id
    assert "&lt;!channel&gt;" in bad_id
    assert "/leads delete ID" in bad_id


def test_lead_times_show_in_uk_time() -> None:
    summer = Lead(id="1", date_created=datetime(2025, 7, 1, 11, 0, tzinfo=UTC))
    assert "Tue 01 Jul 2025, 12:00" in all_text(build_lead_card(summer, statuses=()))
    assert "Tue 01 Jul 2025, 11:00" not in all_text(build_lead_card(summer, statuses=()))  # never UTC


FAKE_ROW = "Eve\n• fake row\u202e\u200b"


def lead_texts(blocks: object) -> list[str]:
    """Every text a person reads in these blocks (mrkdwn and plain_text), and every button label."""
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            if value.get("type") in ("mrkdwn", "plain_text") and isinstance(value.get("text"), str):
                found.append(value["text"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(blocks)
    return found


def test_a_name_cannot_fake_extra_lines_or_turn_text_around() -> None:
    lead = Lead(
        id="32123",
        date_created=CREATED,
        customer_name=FAKE_ROW,
        status="Quote\n• 99 more",
        postcode="CB24\u20286YU",
        origin="web\u202eform",
    )
    query = ListLeads(CREATED.date())
    shown = {
        "card": build_lead_card(lead, statuses=DEFAULT_STATUSES, buttons=CardButtons(share=True)),
        "row": build_lead_list([lead], heading="*1 lead*", page=1, query=query),
        "message": build_lead_message(lead, statuses=DEFAULT_STATUSES, buttons=CardButtons()).payload(),
        "alert": build_alert_card(lead, statuses=DEFAULT_STATUSES).payload(),
        "digest": build_digest([(lead, False), (lead, True)]).payload(),
        "note": build_change_note(lead, [["Status", "new\n• x", FAKE_ROW]]).payload(),
        "deleted": build_deleted_note(lead).payload(),
        "delete": build_delete_prompt(lead).payload(),
        "duplicates": build_duplicate_view([lead], private_metadata="{}", warning="w"),
    }
    for name, blocks in shown.items():
        texts = lead_texts(blocks)
        if isinstance(blocks, dict) and "text" in blocks and isinstance(blocks["text"], str):
            texts.append(blocks["text"])  # the notification fallback
        for text in texts:
            assert not any(char in text for char in "\u202e\u200b\u2028"), (name, text)
            assert not any(fake in text for fake in ("\n• fake", "\n• 99", "\n• x")), (name, text)
        assert any("Eve • fake row" in text for text in texts), name


def test_a_name_of_nothing_visible_shows_the_lead_id() -> None:
    lead = Lead(id="32123", date_created=CREATED, customer_name="\u200b\u202e\n")
    header = build_lead_card(lead, statuses=())[0]
    assert header["text"]["text"] == "Lead 32123"


def test_a_phone_with_junk_gets_no_link_that_joins_its_digits() -> None:
    lead = Lead(id="1", date_created=CREATED, customer_phone="123|evil <x> ext 9")
    text = all_text(build_lead_card(lead, statuses=()))
    assert "tel:" not in text
    assert "123|evil &lt;x&gt; ext 9" in text
    good = Lead(id="2", date_created=CREATED, customer_phone="01223 123456")
    assert "<tel:+441223123456|01223 123456>" in all_text(build_lead_card(good, statuses=()))
