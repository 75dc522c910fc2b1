"""The row parser: both fetch shapes, and whatever a row holds — it skips what it must, never crashes."""

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadbot.heatpunk.models import Lead, parse_datetime, parse_leads

DOC_ROW = {
    "dateCreated": "2025-03-11T11:03:29.000Z",
    "status": "new",
    "customerName": "John Doe",
    "address": "8 The Rowans, Milton, Cambridge, Cambridgeshire, CB24 6YU",
    "customerEmail": "test@test.com",
    "customerPhone": "07111111111",
}


def test_reads_the_rows_shape_with_ids_as_keys() -> None:
    [lead] = parse_leads({"rows": {"32123": DOC_ROW}})
    assert lead.id == "32123"
    assert lead.date_created == datetime(2025, 3, 11, 11, 3, 29, tzinfo=UTC)
    assert lead.customer_name == "John Doe"
    assert lead.customer_phone == "07111111111"


def test_reads_the_array_shape_with_numeric_ids() -> None:
    [lead] = parse_leads([{"ID": 1, **DOC_ROW, "origin": "https://easy-pv.co.uk/speedy-pv"}])
    assert lead.id == "1"
    assert lead.origin == "https://easy-pv.co.uk/speedy-pv"


def test_undocumented_fields_are_kept() -> None:
    [lead] = parse_leads({"rows": {"7": {**DOC_ROW, "projectType": "heat pump", "roof": {"pitch": 35}}}})
    assert lead.extra == {"projectType": "heat pump", "roof": {"pitch": 35}}


def test_wrongly_typed_documented_fields_are_kept_not_dropped() -> None:
    [lead] = parse_leads({"rows": {"7": {**DOC_ROW, "customerName": ["a"], "lat": "north"}}})
    assert lead.customer_name is None
    assert lead.extra == {"customerName": ["a"], "lat": "north"}


def test_malformed_rows_are_skipped_with_a_warning_naming_them(caplog: pytest.LogCaptureFixture) -> None:
    body = {"rows": {"1": DOC_ROW, "2": {**DOC_ROW, "dateCreated": "last tuesday"}, "3": "not a row"}}
    assert [lead.id for lead in parse_leads(body)] == ["1"]
    assert "lead 2" in caplog.text
    assert "lead 3" in caplog.text


def test_rows_without_an_id_are_skipped() -> None:
    assert parse_leads([DOC_ROW, {"ID": None, **DOC_ROW}, {"ID": True, **DOC_ROW}]) == []


def test_a_repeated_id_is_kept_once(caplog: pytest.LogCaptureFixture) -> None:
    leads = parse_leads([{"ID": 5, **DOC_ROW}, {"ID": "5", **DOC_ROW, "status": "Quote"}])
    assert [(lead.id, lead.status) for lead in leads] == [("5", "new")]
    assert "second copy of lead 5" in caplog.text


def test_empty_answers_are_no_leads() -> None:
    assert parse_leads([]) == []
    assert parse_leads({"rows": {}}) == []
    assert parse_leads({"rows": []}) == []
    assert parse_leads({}) == []


def test_an_answer_without_rows_is_an_error() -> None:
    with pytest.raises(ValueError, match="no rows"):
        parse_leads({"error": "oops"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-11T11:03:29.000Z", datetime(2025, 3, 11, 11, 3, 29, tzinfo=UTC)),
        ("2025-03-11T12:03:29+01:00", datetime(2025, 3, 11, 11, 3, 29, tzinfo=UTC)),
        ("2025-03-11 11:03:29", datetime(2025, 3, 11, 11, 3, 29, tzinfo=UTC)),
        ("2025-03-11", datetime(2025, 3, 11, tzinfo=UTC)),
        ("", None),
        ("yesterday", None),
    ],
)
def test_dates_are_aware_utc(text: str, expected: datetime | None) -> None:
    assert parse_datetime(text) == expected


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=3000),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=6,
)
documented = st.sampled_from(
    [
        "dateCreated",
        "status",
        "customerName",
        "address",
        "postcode",
        "customerEmail",
        "customerPhone",
        "lat",
        "lng",
        "origin",
        "ID",
    ]
)
rows = st.dictionaries(documented | st.text(max_size=20), json_values, max_size=14)
ids = st.one_of(st.integers(), st.text(max_size=50), st.none(), st.booleans(), st.floats())


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=12), rows, max_size=8))
def test_any_rows_object_parses_without_crashing(body: dict[str, Any]) -> None:
    leads = parse_leads({"rows": body})
    assert len({lead.id for lead in leads}) == len(leads)
    assert all(isinstance(lead, Lead) and lead.date_created.tzinfo is not None for lead in leads)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.builds(lambda row, lead_id: {**row, "ID": lead_id}, rows, ids), max_size=8))
def test_any_array_parses_without_crashing(body: list[dict[str, Any]]) -> None:
    leads = parse_leads(body)
    assert all(lead.id and lead.id == lead.id.strip() for lead in leads)


@settings(max_examples=200, deadline=None)
@given(
    name=st.text(max_size=5000),
    extra=st.dictionaries(
        st.text(min_size=1, max_size=30).filter(lambda k: k not in DOC_ROW and k != "ID"),
        json_values,
        max_size=5,
    ),
    lat=st.one_of(st.none(), st.floats(), st.text(max_size=10)),
)
def test_a_valid_row_keeps_its_text_exactly_and_every_extra_field(
    name: str, extra: dict[str, Any], lat: Any
) -> None:
    extra = {
        key: value
        for key, value in extra.items()
        if key not in ("lat", "lng", "origin", "id", "leadID", "leadId")
    }
    [lead] = parse_leads({"rows": {"9": {**DOC_ROW, "customerName": name, "lat": lat, **extra}}})
    assert lead.customer_name == name
    assert all(lead.extra[key] == value or value != value for key, value in extra.items())
    assert lead.lat is None or -90 <= lead.lat <= 90
