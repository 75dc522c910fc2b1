"""Checks and normalises what people type into the create / edit modal, block by block."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from leadbot import ids, texts
from leadbot.heatpunk.models import LATITUDE_LIMIT, LONGITUDE_LIMIT, coordinate

_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[A-Za-z]{2,}$")
_PHONE_JUNK = re.compile(r"[\s\-().]")
_UK_PHONE = re.compile(r"^(?:\+44|0044|0)(?:\(0\))?[1-9]\d{8,9}$")
_INTERNATIONAL_PHONE = re.compile(r"^(?:\+|00)[1-9]\d{6,14}$")
_OUTWARD = (
    r"[A-PR-UWYZ]\d\d?|[A-PR-UWYZ][A-HK-Y]\d\d?|[A-PR-UWYZ]\d[A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y]\d[ABEHMNPRVWXY]"
)
_POSTCODE = re.compile(rf"^(GIR0AA|(?:{_OUTWARD})\d[ABD-HJLNP-UW-Z]{{2}})$")

# Longest value each input takes (Slack's plain_text_input max_length).
MAX_LENGTHS: Mapping[str, int] = {
    ids.NAME_INPUT: 150,
    ids.EMAIL_INPUT: 254,
    ids.PHONE_INPUT: 40,
    ids.ADDRESS_INPUT: 1000,
    ids.POSTCODE_INPUT: 10,
    ids.LAT_INPUT: 20,
    ids.LNG_INPUT: 20,
}


@dataclass
class FormResult:
    """Clean values under API names, or errors keyed by block ID (for `response_action: errors`)."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def is_email(text: str) -> bool:
    return bool(_EMAIL.match(text))


def normalise_postcode(text: str) -> str | None:
    """`cb246yu` → `CB24 6YU`; None when it is not a UK postcode."""
    compact = re.sub(r"\s+", "", text).upper()
    if not _POSTCODE.match(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"


def is_phone(text: str) -> bool:
    """A plausible UK (07…, 01…, +44…) or international (+… / 00…) number."""
    compact = _PHONE_JUNK.sub("", text)
    return bool(_UK_PHONE.match(compact) or _INTERNATIONAL_PHONE.match(compact))


def validate_form(raw: Mapping[str, str]) -> FormResult:
    """Validates the modal's inputs (block ID → text as typed) into API field values."""
    result = FormResult()
    text = {key: (raw.get(key) or "").strip() for key in ids.FORM_INPUTS}
    if not text[ids.NAME_INPUT]:
        result.errors[ids.NAME_INPUT] = texts.NEED_NAME
    result.values["customerName"] = text[ids.NAME_INPUT]
    if text[ids.EMAIL_INPUT] and not is_email(text[ids.EMAIL_INPUT]):
        result.errors[ids.EMAIL_INPUT] = texts.BAD_EMAIL
    if text[ids.PHONE_INPUT] and not is_phone(text[ids.PHONE_INPUT]):
        result.errors[ids.PHONE_INPUT] = texts.BAD_PHONE
    if not text[ids.EMAIL_INPUT] and not text[ids.PHONE_INPUT]:
        result.errors[ids.EMAIL_INPUT] = texts.NEED_CONTACT
    result.values["customerEmail"] = text[ids.EMAIL_INPUT] or None
    result.values["customerPhone"] = text[ids.PHONE_INPUT] or None
    result.values["address"] = text[ids.ADDRESS_INPUT] or None
    if text[ids.POSTCODE_INPUT]:
        postcode = normalise_postcode(text[ids.POSTCODE_INPUT])
        if postcode is None:
            result.errors[ids.POSTCODE_INPUT] = texts.BAD_POSTCODE
        result.values["postcode"] = postcode
    else:
        result.values["postcode"] = None
    _validate_coordinates(text[ids.LAT_INPUT], text[ids.LNG_INPUT], result)
    for key, limit in MAX_LENGTHS.items():
        if len(text[key]) > limit:
            result.errors[key] = texts.TOO_LONG.format(limit=limit)
    return result


def _validate_coordinates(lat_text: str, lng_text: str, result: FormResult) -> None:
    result.values["lat"] = result.values["lng"] = None
    if not lat_text and not lng_text:
        return
    if not lat_text or not lng_text:
        missing = ids.LAT_INPUT if not lat_text else ids.LNG_INPUT
        result.errors[missing] = texts.NEED_BOTH_COORDINATES
        return
    lat, lng = coordinate(lat_text, LATITUDE_LIMIT), coordinate(lng_text, LONGITUDE_LIMIT)
    if lat is None:
        result.errors[ids.LAT_INPUT] = texts.BAD_LATITUDE
    if lng is None:
        result.errors[ids.LNG_INPUT] = texts.BAD_LONGITUDE
    result.values["lat"], result.values["lng"] = lat, lng
