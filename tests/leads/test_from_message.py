"""Reading a lead from a Slack message: a table of messages as people paste them, and what the form gets."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadbot import ids, texts
from leadbot.leads.form import validate_form
from leadbot.leads.from_message import clean, read_lead


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    postcode: str | None = None
    address: str | None = None


WEB_FORM = """---------- Forwarded message ---------
From: Heatpunk Website <noreply@heatpunk.co.uk>
Date: Mon, 30 Nov 2026 at 09:12
Subject: New enquiry: air source heat pump
To: <mailto:sales@example.co.uk|sales@example.co.uk>

*Name:* Jane Doe
*Phone:* <tel:07700900123|07700 900123>
*Email:* <mailto:jane.doe@example.com|jane.doe@example.com>
*Address:* 8 The Rowans, Milton
*Town:* Cambridge
*Postcode:* cb24 6yu
*Message:* We'd like a quote for a heat pump &amp; solar. Call after 5pm please."""

CASES = [
    Case("web form, forwarded, mrkdwn and Slack links", WEB_FORM, "Jane Doe", "jane.doe@example.com",
         "07700 900123", "CB24 6YU", "8 The Rowans, Milton, Cambridge"),
    Case("free text from the issue", "Mrs Jane Doe 07911 123456 wants a heat pump, CB24 6YU",
         "Mrs Jane Doe", None, "07911 123456", "CB24 6YU", None),
    Case("labels in upper case, no markup",
         "NAME: Tom Baker\nTELEPHONE: 01223 456789\nE-MAIL: tom@baker.org.uk\nPOSTCODE: SW1A 1AA",
         "Tom Baker", "tom@baker.org.uk", "01223 456789", "SW1A 1AA", None),
    Case("first name and surname", "First name: Priya\nSurname: Patel\nMobile: 07700 900456\nPost code: M1 1AE",
         "Priya Patel", None, "07700 900456", "M1 1AE", None),
    Case("two numbers: the mobile preferred", "Sam Hill, home 01632 960123, mobile 07700 900789, LS1 4AP",
         "Sam Hill", None, "07700 900789", "LS1 4AP", None),
    Case("two numbers both landlines: the first", "Call Ann Lee on 01632 960001 or 020 7946 0958",
         None, None, "01632 960001", None, None),
    Case("international number kept as given", "Pierre Dupont, +33 6 12 34 56 78, pierre@exemple.fr",
         "Pierre Dupont", "pierre@exemple.fr", "+33 6 12 34 56 78", None, None),
    Case("+44 with (0) in national format", "Customer: Rhys Evans\nPhone: +44 (0)7700 900321",
         "Rhys Evans", None, "07700 900321", None, None),
    Case("0044 prefix", "ring 0044 7911 123456 re the quote", None, None, "07911 123456", None, None),
    Case("nothing at all", "Anyone free to cover the stand at the trade show on Friday?",
         None, None, None, None, None),
    Case("emoji and emoji codes", ":fire: hot lead :fire: Mr Bob Green 🔥 07700 900111 :house: NR1 3QU",
         "Mr Bob Green", None, "07700 900111", "NR1 3QU", None),
    Case("email signature: the sender's details left out",
         "New lead for us: Mrs Olive Stone, 07700 900222, olive.stone@example.com\n\nThanks,\nDave Smith\n"
         "Sales Manager | Acme Heat Ltd\n01632 960555 | dave@acmeheat.co.uk\n12 Mill Lane, Ely CB7 4AA",
         "Mrs Olive Stone", "olive.stone@example.com", "07700 900222", None, None),
    Case("only a signature number: not the customer's",
         "Can someone call the lady from the show back?\n\nKind regards\nDave\n07700 900999",
         None, None, None, None, None),
    Case("two postcodes: the one by the address",
         "Office is CB1 2AB but install at 14 Church Road, Histon CB24 9AB for Mr Karl Marx 07700 900333",
         "Mr Karl Marx", None, "07700 900333", "CB24 9AB", "14 Church Road, Histon"),
    Case("two postcodes, address on its own lines",
         "Referral via John (PE1 1AB)\nGeorge Eliot\n07700 900444\n3 Station Road\nMarch\nPE15 8NQ",
         "George Eliot", None, "07700 900444", "PE15 8NQ", "3 Station Road, March"),
    Case("phone note, name on its own line",
         "Ada Lovelace\n07700 900555\nada@example.org\n5 High Street, Cottenham, Cambridge CB24 8RX",
         "Ada Lovelace", "ada@example.org", "07700 900555", "CB24 8RX", "5 High Street, Cottenham, Cambridge"),
    Case("postcode without a space", "Ms Lin Wu, postcode sw1a1aa, lin@wu.example", "Ms Lin Wu",
         "lin@wu.example", None, "SW1A 1AA", None),
    Case("not a postcode: no such outward code", "Order QV1 1AA for Mr Ian Holm, 07700 900666",
         "Mr Ian Holm", None, "07700 900666", None, None),
    Case("a reference number is not a phone", "Ref 1234567890 from Dr Who, who@tardis.example",
         "Dr Who", "who@tardis.example", None, None, None),
    Case("dates and times are not phones", "Visit booked 12/03/2027 at 10:30 for Mx Alex Kay",
         "Mx Alex Kay", None, None, None, None),
    Case("no-reply sender skipped, customer email in the text",
         "From: Website <noreply@example.co.uk>\nA new enquiry from Beth Gibbons, beth@portishead.example",
         "Beth Gibbons", "beth@portishead.example", None, None, None),
    Case("a forwarded email from the customer themself",
         "From: Joe Strummer <joe@clash.example>\nSubject: heat pump\n\nHi, can you quote for "
         "10 Acacia Avenue, Leeds LS6 2AB? 07700 900777",
         None, "joe@clash.example", "07700 900777", "LS6 2AB", "10 Acacia Avenue, Leeds"),
    Case("bold values and italics", "*Name*: _Nina Simone_\n*Tel*: *07700 900888*\n*Postcode*: *BS1 5TR*",
         "Nina Simone", None, "07700 900888", "BS1 5TR", None),
    Case("Slack tel link with only a target", "Call <tel:+447700900123> for Mrs May", "Mrs May", None,
         "07700 900123", None, None),
    Case("escaped HTML in the address", "Address: Flat 2, 7 Rose &amp; Crown Yard, Bath\nPostcode: BA1 1AA",
         None, None, None, "BA1 1AA", "Flat 2, 7 Rose & Crown Yard, Bath"),
    Case("address line with the postcode in it", "Name: Ken Dodd\nAddress: 1 Knotty Ash, Liverpool L14 1AA",
         "Ken Dodd", None, None, "L14 1AA", "1 Knotty Ash, Liverpool"),
    Case("a mention and a channel link are not the customer",
         "<@U0SALES1> can you take this? <#C0SALES|sales> Mr Ed Sheeran 07700 900100",
         "Mr Ed Sheeran", None, "07700 900100", None, None),
    Case("drama-range landline still counts", "Landline only: 0113 496 0123, Mrs Ivy Bell", "Mrs Ivy Bell",
         None, "0113 496 0123", None, None),
    Case("London postcode with a letter after the district", "Mr Sid James, 22 Baker Street, London W1U 8ED",
         "Mr Sid James", None, None, "W1U 8ED", "22 Baker Street, London"),
    Case("cued name", "Spoke to Harriet Vane this morning, wants ASHP, 07700 900200", "Harriet Vane", None,
         "07700 900200", None, None),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_a_message_reads_as_a_lead(case: Case) -> None:
    reading = read_lead(case.text)
    got = (reading.name, reading.email, reading.phone, reading.postcode, reading.address)
    assert got == (case.name, case.email, case.phone, case.postcode, case.address), reading.notes


def test_the_table_is_long_enough() -> None:
    assert len(CASES) >= 25


def test_the_web_form_fills_the_create_form() -> None:
    values = read_lead(WEB_FORM).form_values()
    assert values == {
        ids.NAME_INPUT: "Jane Doe",
        ids.EMAIL_INPUT: "jane.doe@example.com",
        ids.PHONE_INPUT: "07700 900123",
        ids.ADDRESS_INPUT: "8 The Rowans, Milton, Cambridge",
        ids.POSTCODE_INPUT: "CB24 6YU",
    }


def test_the_notes_say_what_was_read_and_what_was_not_found() -> None:
    reading = read_lead("Mrs Jane Doe 07911 123456 wants a heat pump, CB24 6YU")
    assert reading.notes == texts.READ_SOME.format(
        read="name, phone and postcode", missing="email or address"
    )
    assert read_lead(WEB_FORM).notes == texts.READ_ALL.format(read="name, email, phone, address and postcode")
    assert read_lead("see you at lunch").notes == texts.READ_NOTHING


def test_the_notes_say_which_number_and_postcode_were_chosen() -> None:
    notes = read_lead("Sam Hill, home 01632 960123, mobile 07700 900789, LS1 4AP").notes
    assert texts.READ_TOOK_MOBILE.format(phone="07700 900789", others="01632 960123") in notes
    notes = read_lead("Office is CB1 2AB but install at 14 Church Road, Histon CB24 9AB").notes
    assert texts.READ_TOOK_POSTCODE.format(postcode="CB24 9AB", others="CB1 2AB") in notes
    assert texts.READ_INTERNATIONAL in read_lead("+33 6 12 34 56 78").notes
    assert texts.READ_SIGNATURE_SKIPPED in read_lead("Call him back?\n\nCheers\nDave\n07700 900999").notes


def test_cleaning_keeps_what_links_show_and_drops_markup() -> None:
    assert clean("*Email:* <mailto:a@b.co|a@b.co> :tada: &lt;ok&gt;") == "Email: a@b.co <ok>"
    assert clean("<https://example.com|our site> <https://x.example>") == "our site https://x.example"


PIECES = st.sampled_from(
    [
        "Name: ", "*Phone:* ", "Email: ", "Postcode: ", "Address: ", "Mrs ", "Jane ", "Doe", "07700 900123",
        "+33 6 12 34 56 78", "0044 7911 123456", "01632 960123", "CB24 6YU", "sw1a1aa", "jane@example.com",
        "<mailto:a@b.co|a@b.co>", "<tel:+447700900123|07700 900123>", ", ", "\n", "Thanks,\n", ":fire:", "🔥",
        "8 The Rowans", "Cambridge", "&amp;", "<@U0SALES1>", "*", "_", "(", ")",
    ]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=300), st.lists(PIECES | st.text(max_size=5), max_size=30).map("".join)))
def test_whatever_is_read_the_form_accepts(text: str) -> None:
    reading = read_lead(text)
    values = {ids.NAME_INPUT: "Someone", ids.PHONE_INPUT: "07700 900123"} | reading.form_values()
    for block, value in values.items():
        assert value, block
        assert value == value.strip(), block
    validate_form(values)  # raises InvalidForm if anything read is something the form refuses
    assert reading.notes
