"""The lead form: one FIELDS table; each problem lands on its own block, values come out normalised and typed;
an edit sends only what changed; the modal remembers what it needs."""

from datetime import UTC, datetime

import pytest

from leadbot import ids, texts
from leadbot.heatpunk import Lead, NewLead
from leadbot.leads.form import (
    BLOCK_IDS,
    FIELDS,
    Field,
    FormMemory,
    InvalidForm,
    describe_changes,
    form_values,
    is_email,
    is_phone,
    normalise_postcode,
    validate_edit,
    validate_form,
    values_before,
)

GOOD = {ids.NAME_INPUT: "Jane Smith", ids.EMAIL_INPUT: "jane@example.co.uk"}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("cb246yu", "CB24 6YU"),
        ("CB24 6YU", "CB24 6YU"),
        (" sw1a 1aa ", "SW1A 1AA"),
        ("m1 1ae", "M1 1AE"),
        ("EX23 8HE", "EX23 8HE"),
        ("gir0aa", "GIR 0AA"),
    ],
)
def test_uk_postcodes_are_normalised(typed: str, expected: str) -> None:
    assert normalise_postcode(typed) == expected


@pytest.mark.parametrize("typed", ["12345", "CB24", "ABC 123", "CB24 6Y", "Q1 1AA", ""])
def test_non_uk_postcodes_are_refused(typed: str) -> None:
    assert normalise_postcode(typed) is None


@pytest.mark.parametrize(
    "phone",
    [
        "07111111111",
        "07111 111111",
        "+44 7700 900123",
        "01223 123456",
        "0044 1223 123456",
        "+1 415 555 0100",
        "+33 1 23 45 67 89",
        "(01223) 123-456",
    ],
)
def test_plausible_phone_numbers(phone: str) -> None:
    assert is_phone(phone)


@pytest.mark.parametrize("phone", ["123", "1234567890", "phone me", "07111", "+44", "0711111111111111"])
def test_implausible_phone_numbers(phone: str) -> None:
    assert not is_phone(phone)


def errors_of(typed: dict[str, str]) -> dict[str, str]:
    with pytest.raises(InvalidForm) as caught:
        validate_form(typed)
    return caught.value.errors


def test_a_good_form_gives_a_typed_new_lead() -> None:
    lead = validate_form(
        {**GOOD, ids.POSTCODE_INPUT: "cb246yu", ids.LAT_INPUT: "52.2", ids.LNG_INPUT: "0.13"}
    )
    assert lead == NewLead(
        customer_name="Jane Smith",
        customer_email="jane@example.co.uk",
        postcode="CB24 6YU",
        lat=52.2,
        lng=0.13,
    )


@pytest.mark.parametrize(
    ("typed", "block", "message"),
    [
        ({ids.NAME_INPUT: "", ids.EMAIL_INPUT: "a@b.co"}, ids.NAME_INPUT, texts.NEED_NAME),
        ({ids.NAME_INPUT: "Jo"}, ids.EMAIL_INPUT, texts.NEED_CONTACT),
        ({**GOOD, ids.EMAIL_INPUT: "jane@"}, ids.EMAIL_INPUT, texts.BAD_EMAIL),
        ({**GOOD, ids.PHONE_INPUT: "123"}, ids.PHONE_INPUT, texts.BAD_PHONE),
        ({**GOOD, ids.POSTCODE_INPUT: "90210"}, ids.POSTCODE_INPUT, texts.BAD_POSTCODE),
        ({**GOOD, ids.LAT_INPUT: "52"}, ids.LNG_INPUT, texts.NEED_BOTH_COORDINATES),
        ({**GOOD, ids.LNG_INPUT: "1"}, ids.LAT_INPUT, texts.NEED_BOTH_COORDINATES),
        ({**GOOD, ids.LAT_INPUT: "91", ids.LNG_INPUT: "0"}, ids.LAT_INPUT, texts.BAD_LATITUDE),
        ({**GOOD, ids.LAT_INPUT: "1", ids.LNG_INPUT: "-181"}, ids.LNG_INPUT, texts.BAD_LONGITUDE),
        ({**GOOD, ids.LAT_INPUT: "north", ids.LNG_INPUT: "0"}, ids.LAT_INPUT, texts.BAD_LATITUDE),
    ],
)
def test_each_problem_is_reported_on_its_block(typed: dict[str, str], block: str, message: str) -> None:
    assert errors_of(typed)[block] == message


@pytest.mark.parametrize("field", FIELDS, ids=BLOCK_IDS)
def test_text_longer_than_its_input_is_refused(field: Field) -> None:
    typed = {**GOOD, ids.PHONE_INPUT: "07700 900123", field.block_id: "x" * (field.max_length + 1)}
    assert errors_of(typed)[field.block_id] == texts.TOO_LONG.format(limit=field.max_length)


def test_a_phone_alone_is_enough_contact() -> None:
    assert validate_form({ids.NAME_INPUT: "Jo", ids.PHONE_INPUT: "07700 900123"}).customer_email is None


def test_fields_name_each_input_once_in_the_forms_order() -> None:
    assert BLOCK_IDS == (
        ids.NAME_INPUT,
        ids.EMAIL_INPUT,
        ids.PHONE_INPUT,
        ids.ADDRESS_INPUT,
        ids.POSTCODE_INPUT,
        ids.LAT_INPUT,
        ids.LNG_INPUT,
    )
    assert set(NewLead.model_fields) == {field.attr for field in FIELDS}
    assert set(NewLead(customer_name="x").to_api()) <= {field.api_name for field in FIELDS}


TYPED = {
    ids.NAME_INPUT: "Jane Smith",
    ids.EMAIL_INPUT: "",
    ids.PHONE_INPUT: "07700 900111",
    ids.ADDRESS_INPUT: "",
    ids.POSTCODE_INPUT: "M1 1AE",
    ids.LAT_INPUT: "52.5",
    ids.LNG_INPUT: "-1.25",
}
LEAD = Lead(id="32123", date_created=datetime(2025, 3, 11, tzinfo=UTC), **validate_form(TYPED).model_dump())


def test_an_edit_form_starts_from_the_values_the_lead_was_created_with() -> None:
    assert form_values(LEAD) == TYPED


def test_an_edit_sends_only_what_changed_under_api_names() -> None:
    original = form_values(LEAD)
    typed = {**original, ids.PHONE_INPUT: "07700 900222", ids.POSTCODE_INPUT: "m11ae"}
    changed = validate_edit(original, typed)
    assert changed == {"customerPhone": "07700 900222"}  # the postcode normalises back to what it was
    assert describe_changes(changed) == "phone"
    assert values_before(original, changed) == {"customerPhone": "07700 900111"}


def test_coordinates_change_as_a_pair_and_cleared_text_is_sent_empty() -> None:
    original = form_values(LEAD)
    typed = {**original, ids.LAT_INPUT: "52.6", ids.POSTCODE_INPUT: ""}
    changed = validate_edit(original, typed)
    assert changed == {"postcode": "", "lat": 52.6, "lng": -1.25}
    assert describe_changes(changed) == "postcode, latitude, longitude"


def test_the_modal_remembers_its_lead_its_reply_and_what_was_typed() -> None:
    memory = FormMemory("32123", "https://hooks.example/1", "C1", original=form_values(LEAD), typed=GOOD)
    again = FormMemory.from_text(memory.to_text())
    assert again.lead_id == "32123"
    assert again.response_url == "https://hooks.example/1"
    assert again.typed == GOOD
    assert again.original == {block: value for block, value in form_values(LEAD).items() if value}


def test_the_reply_address_is_dropped_first_when_the_memory_is_too_long() -> None:
    typed = {field.block_id: "é" * field.max_length for field in FIELDS}
    memory = FormMemory(None, "https://hooks.example/" + "x" * 1500, "C1", typed=typed)
    text = memory.to_text()
    assert len(text) <= 3000
    assert FormMemory.from_text(text) == FormMemory(None, None, "C1", typed=typed)


@pytest.mark.parametrize("text", ["", "{", "[]", '{"t": "not a dict", "o": 3}'])
def test_an_unreadable_memory_is_forgotten(text: str) -> None:
    assert FormMemory.from_text(text) == FormMemory()


def test_an_edit_checks_only_what_changed() -> None:
    original = {**form_values(LEAD), ids.PHONE_INPUT: "1234567890", ids.POSTCODE_INPUT: "D02 X285"}
    assert validate_edit(original, {**original, ids.NAME_INPUT: "New Name"}) == {"customerName": "New Name"}
    with pytest.raises(InvalidForm) as refused:
        validate_edit(original, {**original, ids.POSTCODE_INPUT: "D02 X286"})
    assert refused.value.errors == {ids.POSTCODE_INPUT: texts.BAD_POSTCODE}


def test_an_edit_checks_what_a_change_makes_of_the_whole() -> None:
    no_email = {**form_values(LEAD), ids.EMAIL_INPUT: ""}
    with pytest.raises(InvalidForm) as refused:
        validate_edit(no_email, {**no_email, ids.PHONE_INPUT: ""})
    assert refused.value.errors == {ids.EMAIL_INPUT: texts.NEED_CONTACT}
    with pytest.raises(InvalidForm) as half:
        validate_edit(form_values(LEAD), {**form_values(LEAD), ids.LNG_INPUT: ""})
    assert half.value.errors == {ids.LNG_INPUT: texts.NEED_BOTH_COORDINATES}
    nothing = {ids.NAME_INPUT: "No Contact"}  # a lead Heatpunk holds without email or phone
    assert validate_edit(nothing, {ids.NAME_INPUT: "Still None"}) == {"customerName": "Still None"}


@pytest.mark.parametrize(
    "email",
    [
        "jane@example.co.uk",
        "o'neil+leads@mail.example.ie",
        "j.s@x-y.io",
        "zoë@exämple.de",
        "a" * 64 + "@b.uk",
    ],
)
def test_emails_as_mail_servers_take_them(email: str) -> None:
    assert is_email(email)


@pytest.mark.parametrize(
    "email",
    [
        "jane@example",
        ".jane@example.co.uk",
        "ja..ne@example.co.uk",
        "jane@-example.co.uk",
        "jane@example-.co.uk",
        "jane@example..uk",
        "jane@example.c0m",
        "jane smith@example.co.uk",
        "<jane>@example.co.uk",
        "jane@example.co.uk\n",
        "a" * 65 + "@b.uk",
        "a@" + "b" * 64 + ".uk",
        "a@" + ".".join(["b" * 63] * 4) + ".uk",
    ],
)
def test_impossible_emails_are_refused(email: str) -> None:
    assert not is_email(email)
