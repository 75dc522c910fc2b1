"""Routing decisions: UK postcodes, territories, the round-robin rota (fair, skipping who is away), choose_owner."""

from __future__ import annotations

from collections import Counter

import pytest

from leadbot.routing.rota import (
    Choice,
    choose_owner,
    lead_outward_code,
    next_in_rota,
    outward_code,
    outward_code_in,
    postcode_area,
    territory_owner,
    territory_prefix,
)

ROTA = ("U0ANN", "U0BOB", "U0CAT")


def everyone(_: str) -> bool:
    return True


def nobody(_: str) -> bool:
    return False


@pytest.mark.parametrize(
    ("text", "outward"),
    [
        ("cb24 6yu", "CB24"),
        ("PE19 1AB", "PE19"),
        ("EC1A 1BB", "EC1A"),
        ("W1A 0AX", "W1A"),
        ("M1 1AE", "M1"),
        ("  b33   8th ", "B33"),
        ("CB246YU", "CB24"),
        ("cb24", "CB24"),
        ("EC1A", "EC1A"),
    ],
)
def test_outward_codes(text: str, outward: str) -> None:
    assert outward_code(text) == outward


@pytest.mark.parametrize(
    "text", ["", "   ", "hello", "12345", "CB24 6Y", "CB24 66YU", "ABC1 1AA", "1CB 6YU", "CB 6YU", "CB"]
)
def test_junk_is_not_a_postcode(text: str) -> None:
    assert outward_code(text) is None


@pytest.mark.parametrize(("outward", "area"), [("CB24", "CB"), ("W1A", "W"), ("EC1A", "EC"), ("pe19", "PE")])
def test_postcode_areas(outward: str, area: str) -> None:
    assert postcode_area(outward) == area


def test_a_postcode_inside_an_address_last_match_wins() -> None:
    assert outward_code_in("1 High Street, Histon, Cambridge CB24 6YU") == "CB24"
    assert outward_code_in("was PE19 1AB, now 2 Mill Lane, EC1A 1BB, UK") == "EC1A"
    assert outward_code_in("Flat 2A, 10 Station Road") is None
    assert outward_code_in("XCB24 6YU") is None


def test_the_postcode_field_wins_and_the_address_fills_in_when_it_is_empty() -> None:
    assert lead_outward_code("PE19 1AB", "1 High St, CB24 6YU") == "PE19"
    assert lead_outward_code("", "1 High St, CB24 6YU") == "CB24"
    assert lead_outward_code(None, None) is None
    assert lead_outward_code("n/a", "somewhere") is None


@pytest.mark.parametrize(
    ("text", "prefix"), [("CB", "CB"), ("cb", "CB"), (" PE19 ", "PE19"), ("ec1a", "EC1A")]
)
def test_territory_prefixes_are_normalised(text: str, prefix: str) -> None:
    assert territory_prefix(text) == prefix


@pytest.mark.parametrize("text", ["", "CB24 6YU", "C3PO", "ABC", "12", "cb-24"])
def test_a_territory_that_is_not_an_area_or_district_is_refused_in_words(text: str) -> None:
    with pytest.raises(ValueError, match="isn't a postcode area or district"):
        territory_prefix(text)


def test_a_district_beats_its_area() -> None:
    territories = {"CB": "U0ANN", "CB24": "U0BOB", "EC": "U0CAT"}
    assert territory_owner("CB24", territories) == "U0BOB"
    assert territory_owner("CB1", territories) == "U0ANN"
    assert territory_owner("EC1A", territories) == "U0CAT"
    assert territory_owner("PE19", territories) is None
    assert territory_owner("C1", {"CB": "U0ANN"}) is None  # area C is not area CB


def test_next_in_rota_goes_round_in_order() -> None:
    assert next_in_rota(ROTA, None, everyone) == "U0ANN"
    assert next_in_rota(ROTA, "U0ANN", everyone) == "U0BOB"
    assert next_in_rota(ROTA, "U0CAT", everyone) == "U0ANN"
    assert next_in_rota(ROTA, "U0GONE", everyone) == "U0ANN"


def test_next_in_rota_skips_who_is_unavailable_or_skipped() -> None:
    assert next_in_rota(ROTA, "U0ANN", lambda user: user != "U0BOB") == "U0CAT"
    assert next_in_rota(ROTA, "U0ANN", everyone, skip={"U0BOB", "U0CAT"}) == "U0ANN"
    assert next_in_rota(ROTA, "U0ANN", lambda user: user == "U0ANN") == "U0ANN"
    assert next_in_rota(ROTA, "U0ANN", nobody) is None
    assert next_in_rota((), None, everyone) is None


def test_round_robin_is_fair_over_100_leads() -> None:
    counts: Counter[str] = Counter()
    cursor = None
    for _ in range(100):
        choice = choose_owner(
            "round-robin",
            postcode=None,
            address=None,
            rota=ROTA,
            cursor=cursor,
            territories={},
            available=everyone,
        )
        assert choice.owner is not None
        counts[choice.owner] += 1
        cursor = choice.cursor
    assert set(counts) == set(ROTA)
    assert max(counts.values()) - min(counts.values()) <= 1


def test_round_robin_stays_fair_among_those_present_when_one_is_away_part_of_the_time() -> None:
    rota = ("U0ANN", "U0BOB", "U0CAT", "U0DAN")
    counts: Counter[str] = Counter()
    cursor = None
    for lead in range(100):
        away = {"U0BOB"} if 20 <= lead < 60 else set()
        choice = choose_owner(
            "round-robin",
            postcode=None,
            address=None,
            rota=rota,
            cursor=cursor,
            territories={},
            available=lambda user, away=away: user not in away,
        )
        assert choice.owner is not None
        assert choice.owner not in away
        counts[choice.owner] += 1
        cursor = choice.cursor
    present = [counts[user] for user in rota if user != "U0BOB"]
    assert max(present) - min(present) <= 1
    assert counts["U0BOB"] < min(present)
    assert sum(counts.values()) == 100


def test_claim_routing_gives_nobody_and_keeps_the_cursor() -> None:
    choice = choose_owner(
        "claim",
        postcode="CB24 6YU",
        address=None,
        rota=ROTA,
        cursor="U0BOB",
        territories={"CB": "U0ANN"},
        available=everyone,
    )
    assert choice == Choice(None, "U0BOB", "claim")


def test_round_robin_moves_the_cursor_to_who_was_chosen() -> None:
    choice = choose_owner(
        "round-robin",
        postcode="CB24 6YU",
        address=None,
        rota=ROTA,
        cursor="U0ANN",
        territories={"CB": "U0CAT"},
        available=everyone,
    )
    assert choice == Choice("U0BOB", "U0BOB", "round-robin")


def test_round_robin_with_nobody_available() -> None:
    choice = choose_owner(
        "round-robin",
        postcode=None,
        address=None,
        rota=ROTA,
        cursor="U0ANN",
        territories={},
        available=nobody,
    )
    assert choice == Choice(None, "U0ANN", "nobody available")


def test_territory_goes_to_the_territory_owner_without_moving_the_cursor() -> None:
    territories = {"CB": "U0CAT", "CB24": "U0BOB"}
    choice = choose_owner(
        "territory",
        postcode="cb24 6yu",
        address=None,
        rota=ROTA,
        cursor="U0ANN",
        territories=territories,
        available=everyone,
    )
    assert choice == Choice("U0BOB", "U0ANN", "territory CB24")
    choice = choose_owner(
        "territory",
        postcode="",
        address="4 Hills Road, Cambridge CB2 1TN",
        rota=ROTA,
        cursor=None,
        territories=territories,
        available=everyone,
    )
    assert choice == Choice("U0CAT", None, "territory CB")


def test_territory_owner_away_falls_back_to_round_robin() -> None:
    choice = choose_owner(
        "territory",
        postcode="CB24 6YU",
        address=None,
        rota=ROTA,
        cursor="U0ANN",
        territories={"CB": "U0BOB"},
        available=lambda user: user != "U0BOB",
    )
    assert choice == Choice("U0CAT", "U0CAT", "territory CB (away) → round-robin")


def test_territory_without_a_match_or_a_postcode_falls_back_to_round_robin() -> None:
    common = {"rota": ROTA, "cursor": None, "territories": {"CB": "U0CAT"}, "available": everyone}
    assert choose_owner("territory", postcode="PE19 1AB", address=None, **common) == Choice(
        "U0ANN", "U0ANN", "no territory for PE19 → round-robin"
    )
    assert choose_owner("territory", postcode=None, address="no postcode here", **common) == Choice(
        "U0ANN", "U0ANN", "no postcode → round-robin"
    )


def test_territory_with_nobody_available() -> None:
    choice = choose_owner(
        "territory",
        postcode="CB24 6YU",
        address=None,
        rota=ROTA,
        cursor="U0ANN",
        territories={"CB": "U0BOB"},
        available=nobody,
    )
    assert choice == Choice(None, "U0ANN", "territory CB (away) → nobody available")


def test_an_unknown_routing_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown routing"):
        choose_owner(
            "lottery", postcode=None, address=None, rota=ROTA, cursor=None, territories={}, available=everyone
        )
