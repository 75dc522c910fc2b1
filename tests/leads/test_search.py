"""`/leads find` matching: name, email, address and postcode ignoring case and spaces; phones by their digits."""

from datetime import UTC, datetime

import pytest

from leadbot.heatpunk import Lead
from leadbot.leads.search import lead_matches, phone_digits

LEAD = Lead(
    id="32123",
    date_created=datetime(2025, 3, 11, 11, 3, tzinfo=UTC),
    customer_name="John Doe",
    customer_email="Test@Test.com",
    customer_phone="07111111111",
    address="8 The Rowans, Milton, Cambridge",
    postcode="CB24 6YU",
)


@pytest.mark.parametrize(
    "query",
    [
        "john",
        "DOE",
        "test@test",
        "07111 111111",
        "+44 7111 111111",
        "cb246yu",
        "CB24 6YU",
        "rowans, milton",
        "32123",
    ],
)
def test_search_matches(query: str) -> None:
    assert lead_matches(LEAD, query)


@pytest.mark.parametrize("query", ["jane", "0722", "CB25", "   "])
def test_search_misses(query: str) -> None:
    assert not lead_matches(LEAD, query)


def test_phone_numbers_compare_the_uk_way() -> None:
    assert phone_digits("+44 7111 111111") == phone_digits("07111 111111") == "07111111111"
    assert phone_digits("0044 1223 123456") == phone_digits("(01223) 123-456") == "01223123456"
