"""Leads as leadbot sees them, and the defensive parser for both documented fetch shapes."""

from __future__ import annotations

import logging
import math
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


def parse_datetime(value: Any) -> datetime | None:
    """ISO 8601 (`…Z` or offset, or naive meaning UTC) → aware UTC datetime; None when unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


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


def parse_lead(lead_id: Any, row: Any) -> Lead:
    """One row → Lead; raises ValueError (naming the ID) when the row can't be a lead."""
    parsed_id = parse_id(lead_id)
    if parsed_id is None:
        raise ValueError(f"lead with unusable ID {str(lead_id)[:40]!r}")
    if not isinstance(row, Mapping):
        raise ValueError(f"lead {parsed_id} is not an object")
    created = parse_datetime(row.get("dateCreated"))
    if created is None:
        raise ValueError(f"lead {parsed_id} has an unreadable dateCreated")
    values: dict[str, Any] = {"id": parsed_id, "date_created": created}
    extra: dict[str, Any] = {}
    for key, raw in row.items():
        key = str(key)
        if key in TEXT_FIELDS:
            values[TEXT_FIELDS[key]] = text = _text(raw)
            if raw is not None and text is None:
                extra[key] = raw
        elif key in COORDINATE_FIELDS:
            attr, limit = COORDINATE_FIELDS[key]
            values[attr] = coordinate(raw, limit)
            if raw not in (None, "") and values[attr] is None:
                extra[key] = raw
        elif key not in DOCUMENTED:
            extra[key] = raw
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
    elif rows is not None:
        raise ValueError("the leads list is neither an object nor an array")


def parse_leads(body: Any) -> list[Lead]:
    """Both documented fetch shapes → leads; malformed rows and repeated IDs are skipped with a warning."""
    if isinstance(body, Mapping) and "rows" not in body and "leads" not in body:
        if not body:
            return []
        raise ValueError("the answer has no rows")
    leads: dict[str, Lead] = {}
    for lead_id, row in _rows(body):
        try:
            lead = parse_lead(lead_id, row)
        except ValueError as problem:
            logger.warning("Skipped a lead Heatpunk sent: %s", problem)
            continue
        if lead.id in leads:
            logger.warning("Skipped a second copy of lead %s", lead.id)
            continue
        leads[lead.id] = lead
    return list(leads.values())
