"""What a lead made from a message shows: the filled form's note, the thread reply and the DM — words, escaping,
the Open button's value and Block Kit's limits."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from leadbot import ids, texts
from leadbot.blocks.from_message import build_source_dm, build_source_reply
from leadbot.blocks.modals import CREATE_FORM, build_lead_form
from leadbot.blocks.values import OpenButton
from leadbot.heatpunk import Lead
from leadbot.leads.from_message import read_lead
from tests.fakes.slack_blocks import check_blocks, check_view

WHEN = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def lead(name: str | None) -> Lead:
    return Lead(
        id="40001", date_created=WHEN, status="new", customer_name=name, customer_phone="07700 900123"
    )


def test_the_filled_form_notes_what_was_read_in_a_context_line() -> None:
    reading = read_lead("Mrs Jane Doe 07911 123456 wants a heat pump, CB24 6YU")
    form = build_lead_form(
        CREATE_FORM, values=reading.form_values(), private_metadata="{}", note=reading.notes
    )
    assert check_view(form) == []
    [note] = [block for block in form["blocks"] if block.get("block_id") == ids.FORM_CONTEXT_BLOCK]
    assert note["type"] == "context"
    assert note["elements"][0]["text"] == texts.FROM_MESSAGE_CONTEXT.format(notes=reading.notes)
    assert form["blocks"].index(note) < [b["type"] for b in form["blocks"]].index("input")


def test_a_note_from_the_message_is_escaped() -> None:
    form = build_lead_form(CREATE_FORM, values={}, private_metadata="{}", note="Read <!channel> & more")
    assert "&lt;!channel&gt; &amp; more" in json.dumps(form)


def test_the_thread_reply_names_the_creator_and_opens_the_lead() -> None:
    reply = build_source_reply(lead("Jane Doe"), "U0SALES1")
    assert check_blocks(reply.blocks) == []
    assert reply.text.startswith("<@U0SALES1> created lead 40001 from this message: Jane Doe.")  # plain words
    assert "*Jane Doe*" in reply.blocks[0]["text"]["text"]
    [button] = reply.blocks[1]["elements"]
    assert (button["action_id"], button["value"]) == (ids.OPEN_LEAD, OpenButton("40001").to_value())


def test_the_reply_escapes_the_customers_name_and_mentions_only_real_ids() -> None:
    reply = build_source_reply(lead("<!channel> *Boss* <https://evil.example|click>"), "<!here>")
    shown = json.dumps(reply.payload())
    assert "<!channel>" not in shown
    assert "<https://evil" not in shown
    assert "<@<!here>>" not in shown
    assert "&lt;!here&gt;" in shown


def test_a_lead_without_a_name_is_called_by_its_id() -> None:
    reply = build_source_reply(lead(None), "U0SALES1")
    assert "*Lead 40001*" in json.dumps(reply.blocks)
    assert "Lead 40001" in reply.text  # the notification line: plain words


def test_the_dm_names_the_channel_only_when_it_is_a_channel_id() -> None:
    assert "<#G0PRIVAT>" in build_source_dm(lead("Jane Doe"), "G0PRIVAT").text
    dm = build_source_dm(lead("Jane Doe"), "D0DIRECT")
    assert texts.FROM_MESSAGE_SOMEWHERE in dm.text
    assert check_blocks(dm.blocks) == []
