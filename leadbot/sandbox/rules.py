"""The sandbox's request rules, as the docs state them, kept apart so each refusal reads as spec."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

# Written from the API docs, not shared with the client: a simulator that copied the client's
# assumptions could never catch them being wrong.
CREATE_TEXT_FIELDS = ("customerName", "address", "postcode", "customerEmail", "customerPhone")
UPDATE_TEXT_FIELDS = (*CREATE_TEXT_FIELDS, "projectName", "crmReference")
UPDATABLE = frozenset({*UPDATE_TEXT_FIELDS, "lat", "lng", "status", "buildDate"})
BUILD_DATES = ("pre2000", "post2000", "post2006")
COORDINATE_LIMITS: Mapping[str, float] = MappingProxyType({"lat": 90.0, "lng": 180.0})
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class Refusal(Exception):
    """An answer the API gives instead of doing the work: a status and the message for `{"error": …}`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_json(raw: bytes) -> Any:
    """The body as JSON whatever its Content-Type (the docs' curl examples send none), else a 400."""
    if not raw.strip():
        raise Refusal(400, "The request body is empty: send a JSON object.")
    try:
        return json.loads(raw, parse_constant=_no_constants)
    except json.JSONDecodeError as error:
        raise Refusal(
            400,
            f"The request body is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}.",
        ) from None
    except (UnicodeDecodeError, ValueError) as error:
        raise Refusal(400, f"The request body is not valid JSON: {error}.") from None


def _quoted(value: Any) -> str:
    return f'"{value}"' if isinstance(value, str) else json.dumps(value)


def require_email(body: Mapping[str, Any]) -> str:
    value = body.get("userEmail")
    if value is None or (isinstance(value, str) and not value.strip()):
        raise Refusal(400, "userEmail is required: the email of a Pro team member.")
    if not isinstance(value, str):
        raise Refusal(400, "userEmail must be a string.")
    return value.strip()


def require_day(body: Mapping[str, Any]) -> str:
    """furthestDate as YYYY-MM-DD (a real date), the inclusive lower bound on dateCreated's UTC day."""
    value = body.get("furthestDate")
    if value is None or value == "":
        raise Refusal(400, "furthestDate is required, in the format YYYY-MM-DD.")
    if isinstance(value, str) and _DAY.fullmatch(value):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise Refusal(400, f"Invalid furthestDate {_quoted(value)}: use the format YYYY-MM-DD, e.g. 2025-09-10.")


def require_lead_id(body: Mapping[str, Any]) -> tuple[int | None, str]:
    """(number, as written); the number is None when no lead could have that ID (a 404, not a 400)."""
    value = body.get("leadID")
    if value is None or (isinstance(value, str) and not value.strip()):
        raise Refusal(400, "leadID is required.")
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise Refusal(400, "leadID must be a number or a string.")
    shown = str(value).strip()
    if isinstance(value, float):
        return (int(value) if value.is_integer() else None), shown
    if isinstance(value, int):
        return value, shown
    return (int(shown) if shown.isdigit() else None), shown


def _coordinate(name: str, value: Any) -> float | None:
    if value is None:
        return None
    limit = COORDINATE_LIMITS[name]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise Refusal(400, f"{name} must be a number between -{limit:g} and {limit:g}.")
    if not -limit <= value <= limit:
        raise Refusal(400, f"{name} must be a number between -{limit:g} and {limit:g}.")
    return value


def _text(name: str, value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise Refusal(400, f"{name} must be a string.")
    return value


def new_lead_fields(body: Mapping[str, Any]) -> dict[str, Any]:
    """The documented create fields: customerName and an email or phone are required; extras are ignored."""
    values: dict[str, Any] = {name: _text(name, body.get(name)) for name in CREATE_TEXT_FIELDS}
    missing = []
    if not (values["customerName"] or "").strip():
        missing.append("customerName")
    if not ((values["customerEmail"] or "").strip() or (values["customerPhone"] or "").strip()):
        missing.append("customerEmail or customerPhone")
    if missing:
        raise Refusal(400, f"Missing required field: {' and '.join(missing)}.")
    for name in COORDINATE_LIMITS:
        values[name] = _coordinate(name, body.get(name))
    return values


def update_changes(body: Mapping[str, Any], statuses: Iterable[str]) -> dict[str, Any]:
    """The `fields` object, checked field by field against the documented project meta fields."""
    fields = body.get("fields")
    if fields is None:
        raise Refusal(400, "fields is required: an object of the fields to change.")
    if not isinstance(fields, Mapping):
        raise Refusal(400, "fields must be an object.")
    if not fields:
        raise Refusal(400, "fields is empty: name at least one field to change.")
    accepted = tuple(statuses)
    changes: dict[str, Any] = {}
    for name, value in fields.items():
        if name not in UPDATABLE:
            raise Refusal(400, f'Unknown field "{name}": the fields are {", ".join(sorted(UPDATABLE))}.')
        if name == "status" and value not in accepted:
            raise Refusal(400, f"Invalid status {_quoted(value)}: use one of {', '.join(accepted)}.")
        if name == "buildDate" and value is not None and value not in BUILD_DATES:
            raise Refusal(400, f"Invalid buildDate {_quoted(value)}: use one of {', '.join(BUILD_DATES)}.")
        if name in COORDINATE_LIMITS:
            changes[name] = _coordinate(name, value)
        else:
            changes[name] = value if name in ("status", "buildDate") else _text(name, value)
    return changes
