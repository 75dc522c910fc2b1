"""The create / edit form's checks: each problem lands on its own block, values come out normalised."""

import pytest

from leadbot import ids, texts
from leadbot.leads.validation import is_phone, normalise_postcode, validate_form

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


def test_a_good_form_gives_clean_values() -> None:
    result = validate_form(
        {**GOOD, ids.POSTCODE_INPUT: "cb246yu", ids.LAT_INPUT: "52.2", ids.LNG_INPUT: "0.13"}
    )
    assert result.errors == {}
    assert result.values["postcode"] == "CB24 6YU"
    assert (result.values["lat"], result.values["lng"]) == (52.2, 0.13)


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
    assert validate_form(typed).errors[block] == message


def test_a_phone_alone_is_enough_contact() -> None:
    assert validate_form({ids.NAME_INPUT: "Jo", ids.PHONE_INPUT: "07700 900123"}).errors == {}
