"""Leads as leadbot sees them, and the defensive parser for both documented fetch shapes."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

logger = logging.getLogger(__name__)

# API name → Lead attribute, for the documented text fields.
TEXT_FIELDS: Mapping[str, str] = {
    "status": "status",
    "customerName": "customer_name",
    "address": "address",
    "postcode": "postcode",
    "customerEmail": "customer_email",
    "customerPhone": "customer_phone",
    "origin": "origin",
}
LATITUDE_LIMIT, LONGITUDE_LIMIT = 90.0, 180.0
COORDINATE_FIELDS: Mapping[str, tuple[str, float]] = {
    "lat": ("lat", LATITUDE_LIMIT),
    "lng": ("lng", LONGITUDE_LIMIT),
}
NEW_LEAD_FIELDS: Mapping[str, str] = {
    "customerName": "customer_name",
    "customerEmail": "customer_email",
    "customerPhone": "customer_phone",
    "address": "address",
    "postcode": "postcode",
    "lat": "lat",
    "lng": "lng",
}
ID_KEYS = ("ID", "id", "leadID", "leadId")
DOCUMENTED = frozenset({*TEXT_FIELDS, *COORDINATE_FIELDS, "dateCreated", *ID_KEYS})

# The project meta fields the update endpoint accepts (see heatpunk-api-notes.md).
UPDATABLE_FIELDS = frozenset(
    {
        "customerName",
        "customerEmail",
        "customerPhone",
        "address",
        "postcode",
        "lat",
        "lng",
        "status",
        "projectName",
        "crmReference",
        "buildDate",
    }
)
BUILD_DATES = ("pre2000", "post2000", "post2006")

# A lead created outside these years is a broken row, not a lead: and every time inside them can be shown
# in any time zone and stored in any database (year 1 and 9999 overflow as soon as they are moved).
EARLIEST_CREATED = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_CREATED = datetime(2100, 1, 1, tzinfo=UTC)

LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # half an emoji: no encoding or database can hold it
# How a surrogate or NUL can get into what json.loads makes of UTF-8 bytes: its \u escape (\ud83d, \u0000;
# other escapes such as \u00e9 are harmless), a NUL byte, or a surrogate's own UTF-8 form (ED A0–BF), which
# json.loads lets through (it decodes with "surrogatepass").
UNSAFE_MARKERS = (b"\\u0000", b"\\ud", b"\\uD", b"\x00", b"\xed")
UNSAFE_BYTES = re.compile(rb"\\u(?:[dD][89a-fA-F]|0000)|\x00|\xed[\xa0-\xbf]")


class Lead(BaseModel):
    """One lead; `extra` keeps every field the API sent that leadbot does not model."""

    model_config = ConfigDict(frozen=True)

    id: str
    date_created: datetime
    status: str | None = None
    customer_name: str | None = None
    address: str | None = None
    postcode: str | None = None
    customer_email: str | None = None
    customer_phone: str | None = None
    lat: float | None = None
    lng: float | None = None
    origin: str | None = None
    extra: dict[str, Any] = Field(default_factory=dict)

    def api_fields(self) -> dict[str, Any]:
        """The lead's editable values under their API names (for diffs and forms)."""
        values: dict[str, Any] = {api: getattr(self, attr) for api, attr in TEXT_FIELDS.items()}
        values.update(lat=self.lat, lng=self.lng)
        return values


class NewLead(BaseModel):
    """A lead to create; only the fields `leads/create` documents."""

    customer_name: str
    customer_email: str | None = None
    customer_phone: str | None = None
    address: str | None = None
    postcode: str | None = None
    lat: float | None = None
    lng: float | None = None

    @classmethod
    def from_api(cls, values: Mapping[str, Any]) -> NewLead:
        """From API field names (as the create form produces them)."""
        return cls(**{attr: values.get(api) for api, attr in NEW_LEAD_FIELDS.items()})

    def to_api(self) -> dict[str, Any]:
        """The create body: API field names, unset fields left out."""
        values = {api: getattr(self, attr) for api, attr in NEW_LEAD_FIELDS.items()}
        return {key: value for key, value in values.items() if value is not None}


def parse_id(value: Any) -> str | None:
    """IDs come as numbers or strings; inside leadbot they are non-empty strings."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def safe_text(text: str) -> str:
    """Text every encoding and database takes: half emojis become U+FFFD, NUL characters are dropped."""
    if text.isascii():  # no surrogate can hide in ASCII: the common case skips the regex
        return text.replace("\x00", "") if "\x00" in text else text
    return LONE_SURROGATE.sub("\ufffd", text).replace("\x00", "")


def safe_value(value: Any) -> Any:
    """A JSON value with `safe_text` applied to every string in it, object keys included."""
    kind = type(value)
    if kind is str:
        return safe_text(value)
    if value is None or kind is int or kind is float or kind is bool:
        return value
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, Mapping):
        return {safe_text(str(key)): safe_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [safe_value(item) for item in value]
    return value


def parse_datetime(value: Any) -> datetime | None:
    """ISO 8601 (`…Z` or offset, or naive meaning UTC) → aware UTC datetime; None when unreadable or
    outside EARLIEST_CREATED … LATEST_CREATED."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        parsed = parsed.astimezone(UTC)
    except (ValueError, OverflowError):  # 9999-12-31T23:30-01:00 is past the last moment datetime holds
        return None
    return parsed if EARLIEST_CREATED <= parsed < LATEST_CREATED else None


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return str(value)
    return None


def coordinate(value: Any, limit: float) -> float | None:
    """A finite number within ±limit, from a number or text; None for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and -limit <= number <= limit else None


def may_hold_unsafe_text(content: bytes) -> bool:
    """Whether JSON parsed from these bytes may hold a lone surrogate or a NUL; when not, the parser skips
    the per-string `safe_value` walk (the common case: a 10k-lead answer parses in two thirds of the time).
    Plain substring searches first (a 10k-lead answer in about 1 ms each); the pattern only where they hit."""
    if not any(marker in content for marker in UNSAFE_MARKERS):
        return False
    return UNSAFE_BYTES.search(content) is not None


def parse_lead(lead_id: Any, row: Any, *, clean: bool = False) -> Lead:
    """One row → Lead; raises ValueError (naming the ID) when the row can't be a lead.

    Every string the row carries is made safe here (`safe_value`), the one place rows enter leadbot, unless
    the caller knows the answer holds no unsafe text (`clean`, from `may_hold_unsafe_text`).
    """
    if not clean:
        lead_id, row = safe_value(lead_id), safe_value(row)
    parsed_id = parse_id(lead_id)
    if parsed_id is None:
        raise ValueError(f"lead with unusable ID {str(lead_id)[:40]!r}")
    if not isinstance(row, Mapping):
        raise ValueError(f"lead {parsed_id} is not an object")
    created = parse_datetime(row.get("dateCreated"))
    if created is None:
        raise ValueError(f"lead {parsed_id} has an unreadable or impossible dateCreated")
    values: dict[str, Any] = {"id": parsed_id, "date_created": created}
    extra: dict[str, Any] = {}
    for key, raw in row.items():
        attr = TEXT_FIELDS.get(key)
        if attr is not None:
            if type(raw) is str:  # the common case first: a 10k-lead answer is 70k of these
                values[attr] = raw
                continue
            values[attr] = text = _text(raw)
            if raw is not None and text is None:
                extra[key] = raw
        elif key in COORDINATE_FIELDS:
            attr, limit = COORDINATE_FIELDS[key]
            values[attr] = coordinate(raw, limit)
            if raw not in (None, "") and values[attr] is None:
                extra[key] = raw
        elif key not in DOCUMENTED:
            extra[str(key)] = raw
    return Lead(**values, extra=extra)


def _rows(body: Any) -> Iterator[tuple[Any, Any]]:
    """Yields (id, row) from `{"rows": {id: row}}`, `{"rows": [...]}` or a plain array."""
    rows = body.get("rows", body.get("leads")) if isinstance(body, Mapping) else body
    if isinstance(rows, Mapping):
        yield from rows.items()
    elif isinstance(rows, list):
        for row in rows:
            found = next((row[k] for k in ID_KEYS if isinstance(row, Mapping) and k in row), None)
            yield found, row
    elif rows is None:  # `null` is a broken answer, not "no leads": an empty list or object says that
        raise ValueError("the answer's leads list is null")
    else:
        raise ValueError("the leads list is neither an object nor an array")


def parse_leads(body: Any, *, clean: bool = False) -> list[Lead]:
    """Both documented fetch shapes → leads; malformed rows and repeated IDs are skipped with a warning.
    `clean`: the body is known to hold no lone surrogate or NUL (see `may_hold_unsafe_text`)."""
    if isinstance(body, Mapping) and "rows" not in body and "leads" not in body:
        if not body:
            return []
        raise ValueError("the answer has no rows")
    leads: dict[str, Lead] = {}
    for lead_id, row in _rows(body):
        try:
            lead = parse_lead(lead_id, row, clean=clean)
        except ValueError as problem:
            logger.warning("Skipped a lead Heatpunk sent: %s", problem)
            continue
        if lead.id in leads:
            logger.warning("Skipped a second copy of lead %s", lead.id)
            continue
        leads[lead.id] = lead
    return list(leads.values())
