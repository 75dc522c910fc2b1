"""The row parser: both fetch shapes, and whatever a row holds — it skips what it must, never crashes."""

import json
import math
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadbot.heatpunk.models import (
    TEXT_FIELDS,
    Lead,
    may_hold_unsafe_text,
    parse_datetime,
    parse_id,
    parse_leads,
    safe_text,
    safe_value,
)

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
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=300),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=6,
)
offsets = st.timedeltas(
    min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23, minutes=59)
)
moments = st.datetimes(
    min_value=datetime(1970, 1, 2),
    max_value=datetime(2999, 12, 30),
    timezones=st.none() | st.just(UTC) | offsets.map(timezone),
)
# dateCreated as the API writes it (…Z, an offset, naive, a bare date, padded) or anything else at all.
created = st.one_of(
    moments.map(lambda moment: moment.isoformat()),
    moments.map(lambda moment: moment.replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"),
    moments.map(lambda moment: f" {moment.date().isoformat()} "),
    json_values,
)
texts = st.text(max_size=40) | st.integers() | st.floats() | json_values
coordinates = st.floats() | st.floats(-200, 200).map(str) | st.text(max_size=8) | json_values
documented_fields = {
    **dict.fromkeys(
        ["status", "customerName", "address", "postcode", "customerEmail", "customerPhone", "origin"], texts
    ),
    "lat": coordinates,
    "lng": coordinates,
}
rows = st.builds(
    lambda extra, documented: {**extra, **documented},
    st.dictionaries(st.text(max_size=20), json_values, max_size=4),
    st.fixed_dictionaries({"dateCreated": created}, optional=documented_fields),
)
# IDs as numbers, as numeric text (padded) or anything else; few values, so rows often share one.
ids = st.one_of(
    st.integers(1, 5),
    st.integers(1, 5).map(lambda n: f" {n} "),
    st.integers(1, 5).map(float),
    st.floats(),
    st.sampled_from([math.inf, -math.inf, math.nan, 2.5]),
    st.text(max_size=12),
    st.none(),
    st.booleans(),
)


def as_text(value: Any) -> str | None:
    """What a documented text field should hold: text as sent (made safe), a finite number written out, else
    nothing."""
    if isinstance(value, str):
        return safe_text(value)
    finite_number = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    return str(value) if finite_number else None


def first_usable_rows(rows: list[tuple[Any, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """ID → the first row sent under it that has a usable ID and a readable dateCreated."""
    usable: dict[str, dict[str, Any]] = {}
    for lead_id, row in rows:
        parsed = parse_id(safe_value(lead_id))
        if parsed is not None and parse_datetime(row.get("dateCreated")) is not None:
            usable.setdefault(parsed, row)
    return usable


def assert_parsed_as_specified(leads: list[Lead], expected: dict[str, dict[str, Any]]) -> None:
    """Each usable row became one lead (the first copy of a repeated ID) with a clean ID, an aware UTC
    creation time, its text fields as sent, and coordinates only within range."""
    assert sorted(lead.id for lead in leads) == sorted(expected)
    for lead in leads:
        row = expected[lead.id]
        assert lead.id == lead.id.strip()
        assert lead.date_created == parse_datetime(row["dateCreated"])
        assert lead.date_created.utcoffset() == timedelta(0)
        for api_name, attribute in TEXT_FIELDS.items():
            assert getattr(lead, attribute) == as_text(row.get(api_name))
        assert lead.lat is None or -90 <= lead.lat <= 90
        assert lead.lng is None or -180 <= lead.lng <= 180


@given(st.dictionaries(ids.map(str), rows, max_size=8))
def test_any_rows_object_parses_without_crashing(body: dict[str, Any]) -> None:
    assert_parsed_as_specified(parse_leads({"rows": body}), first_usable_rows(list(body.items())))


@given(st.lists(st.builds(lambda row, lead_id: {**row, "ID": lead_id}, rows, ids), max_size=8))
def test_any_array_parses_without_crashing(body: list[dict[str, Any]]) -> None:
    assert_parsed_as_specified(parse_leads(body), first_usable_rows([(row["ID"], row) for row in body]))


@given(
    name=st.text(max_size=5000),
    extra=st.dictionaries(
        st.text(min_size=1, max_size=30).filter(
            lambda k: safe_text(k) not in DOC_ROW and safe_text(k) != "ID"
        ),
        json_values,
        max_size=5,
    ),
    lat=st.one_of(st.none(), st.floats(), st.text(max_size=10)),
)
def test_a_valid_row_keeps_its_safe_text_exactly_and_every_extra_field(
    name: str, extra: dict[str, Any], lat: Any
) -> None:
    extra = {
        key: value
        for key, value in extra.items()
        if safe_text(key) not in ("lat", "lng", "origin", "id", "leadID", "leadId")
    }
    [lead] = parse_leads({"rows": {"9": {**DOC_ROW, "customerName": name, "lat": lat, **extra}}})
    assert lead.customer_name == safe_text(name)
    assert all(
        lead.extra[safe_text(key)] == safe_value(value) or value != value for key, value in extra.items()
    )
    assert lead.lat is None or -90 <= lead.lat <= 90


def test_half_an_emoji_and_nul_characters_are_made_safe_in_every_string_of_the_row() -> None:
    row = {
        **DOC_ROW,
        "customerName": "Eve \ud83d",
        "address": "1 High St\x00",
        "notes": {"ke\x00y": ["x\udc00y", {"deep\ud800": "z\x00"}]},
    }
    [lead] = parse_leads({"rows": {"7\x00": row}})
    assert lead.id == "7"
    assert lead.customer_name == "Eve \ufffd"
    assert lead.address == "1 High St"
    assert lead.extra == {"notes": {"key": ["x\ufffdy", {"deep\ufffd": "z"}]}}
    lead.model_dump_json().encode()  # encodable as UTF-8 everywhere it goes


@pytest.mark.parametrize(
    "created", ["9999-12-31T23:30:00-01:00", "0001-01-01T00:00:00Z", "1899-12-31T12:00:00Z", "2200-01-01"]
)
def test_an_impossible_creation_time_skips_that_row_only(
    created: str, caplog: pytest.LogCaptureFixture
) -> None:
    body = {"rows": {"1": DOC_ROW, "2": {**DOC_ROW, "dateCreated": created}}}
    assert [lead.id for lead in parse_leads(body)] == ["1"]
    assert "lead 2" in caplog.text
    assert parse_datetime(created) is None


@pytest.mark.parametrize(
    ("content", "unsafe"),
    [
        (b'{"rows": {"1": {"customerName": "Zo\\u00eb \xc3\xa9 \xf0\x9f\x98\x80"}}}', False),
        (b'{"customerName": "Eve \\ud83d"}', True),  # half an emoji, escaped
        (b'{"customerName": "Eve \\uDE00"}', True),
        (b'{"address": "1 High St\\u0000"}', True),
        (b'{"customerName": "Eve \xed\xa0\xbd"}', True),  # a surrogate's own UTF-8 bytes
        (b'{"\x00": 1}', True),  # a NUL byte (or UTF-16, which json.loads also reads)
        (b'{"customerName": "\xed\x9f\xbf"}', False),  # U+D7FF, the last character before them
    ],
)
def test_an_answer_that_cannot_hold_unsafe_text_is_told_apart(content: bytes, unsafe: bool) -> None:
    assert may_hold_unsafe_text(content) is unsafe


@given(
    name=st.text(max_size=50),
    extra=st.dictionaries(st.text(max_size=10), json_values, max_size=3),
    ascii_only=st.booleans(),
)
def test_skipping_the_safety_walk_for_a_clean_answer_reads_the_same_leads(
    name: str, extra: dict[str, Any], ascii_only: bool
) -> None:
    row = {**extra, **DOC_ROW, "customerName": name}
    content = json.dumps({"rows": {"9": row}}, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    checked = parse_leads(json.loads(content))
    if not may_hold_unsafe_text(content):
        assert parse_leads(json.loads(content), clean=True) == checked
    for lead in checked:
        lead.model_dump_json().encode()
