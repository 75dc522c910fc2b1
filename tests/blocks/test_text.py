"""Lead text made safe for one line of Block Kit, and phone numbers made into `tel:` links only when real."""

from __future__ import annotations

import pytest

from leadbot.blocks.text import escape, escape_lines, inline, lead_phone_link, tel_url

RLO = "\u202e"


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("Eve\n• fake row", "Eve • fake row"),
        ("Eve\r\n\r\nSmith", "Eve Smith"),
        ("Eve\u2028Smith\u2029Jones\x85Doe", "Eve Smith Jones Doe"),
        ("Eve\tSmith\x0bx\x0cy", "Eve Smith x y"),
        (f"Eve {RLO}htimS", "Eve htimS"),
        ("Ja\u200bne\u2066 \u2069Doe\ufeff", "Jane Doe"),
        ("Eve \u200b Doe", "Eve Doe"),
        ("Nul\x00l\x07ed", "Nul l ed"),
        ("  lots   of    space  ", "lots of space"),
        ("Eve \ud83d", "Eve"),  # half an emoji
        ("Ja\u200dne", "Jane"),  # a joiner between plain letters joins nothing
        ("\u200d\u200dEve\u200d", "Eve"),
        ("tag\U000e0041\U000e0042s", "tags"),  # invisible tag characters smuggle text
    ],
)
def test_inline_text_is_one_plain_line(typed: str, shown: str) -> None:
    assert inline(typed) == shown


def test_inline_keeps_joiners_that_make_an_emoji_or_a_word() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # ZWNJ is part of the spelling
    assert inline(f"The {family} family") == f"The {family} family"
    assert inline(persian) == persian


def test_escape_is_one_line_and_inert() -> None:
    assert escape("<!channel>\n<@U1>") == "&lt;!channel&gt; &lt;@U1&gt;"


def test_multiline_text_keeps_its_lines_but_no_control_characters() -> None:
    assert (
        escape_lines("8 The Rowans\r\nMilton\u2028<!here>\x00\u202e") == "8 The Rowans\nMilton\n&lt;!here&gt;"
    )
    assert escape_lines("a\n\n\n\nb") == "a\nb"


@pytest.mark.parametrize(
    ("typed", "url"),
    [
        ("07700 900123", "tel:+447700900123"),  # a drama number: possible, never valid
        ("1234567890", "tel:+441234567890"),
        ("+44 (0)1223 123456", "tel:+441223123456"),
        ("01223 123456 ext 9", "tel:+441223123456;ext=9"),
        ("+1 650-253-0000", "tel:+16502530000"),
        ("00353 1 234 5678", "tel:+35312345678"),
    ],
)
def test_a_real_number_links_in_e164(typed: str, url: str) -> None:
    assert tel_url(typed) == url


@pytest.mark.parametrize(
    "typed", ["123|evil … ext 9", "123", "call me", "", "0", "07700 900123 or 07700 900456 " * 10]
)
def test_anything_else_gets_no_link(typed: str) -> None:
    assert tel_url(typed) is None


def test_a_phone_without_a_link_is_shown_escaped_on_one_line() -> None:
    assert lead_phone_link("123|<!channel>\n ext 9") == "123|&lt;!channel&gt; ext 9"
    assert lead_phone_link("07700 900123") == "<tel:+447700900123|07700 900123>"
