"""The create / edit lead form in one place: its FIELDS, how typed text becomes a NewLead, what changed.

Every part of the form reads FIELDS: the modal builder (label, length, placeholder, hint), validation, the
edit diff and its description, the values an edit form starts from, and what the modal remembers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from leadbot import ids, texts
from leadbot.heatpunk import Lead, NewLead
from leadbot.heatpunk.models import LATITUDE_LIMIT, LONGITUDE_LIMIT, coordinate
from leadbot.limits import PRIVATE_METADATA

# Addresses as mail servers take them (RFC 5321 limits, dot-atoms; letters of any script allowed).
EMAIL_MAX, EMAIL_LOCAL_MAX, EMAIL_DOMAIN_MAX = 320, 64, 255
_EMAIL_LOCAL = re.compile(r"[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*")
_DOMAIN_LABEL = re.compile(r"[^\W_](?:(?:[^\W_]|-){0,61}[^\W_])?")
_TOP_LEVEL = re.compile(r"[^\W\d_]{2,63}")
_PHONE_JUNK = re.compile(r"[\s\-().]")
_UK_PHONE = re.compile(r"^(?:\+44|0044|0)(?:\(0\))?[1-9]\d{8,9}$")
_INTERNATIONAL_PHONE = re.compile(r"^(?:\+|00)[1-9]\d{6,14}$")
_OUTWARD = (
    r"[A-PR-UWYZ]\d\d?|[A-PR-UWYZ][A-HK-Y]\d\d?|[A-PR-UWYZ]\d[A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y]\d[ABEHMNPRVWXY]"
)
_POSTCODE = re.compile(rf"^(GIR0AA|(?:{_OUTWARD})\d[ABD-HJLNP-UW-Z]{{2}})$")

SOURCE_PART_MAX = 40  # a channel ID or a message ts is far shorter: anything longer is not one
Typed = Mapping[str, str]  # input block ID → the text as typed


class Invalid(ValueError):
    """One input's text can't be used; the message says why, in words for the person typing."""


class InvalidForm(Exception):
    """The form can't be saved; `errors` holds one problem per input block (for `response_action: errors`)."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__(", ".join(errors))
        self.errors = dict(errors)


def email_too_long(text: str) -> bool:
    """Longer than an address can be: 64 characters before the @, 255 after it, 320 in all."""
    local, _, domain = text.rpartition("@")
    return len(text) > EMAIL_MAX or len(local) > EMAIL_LOCAL_MAX or len(domain) > EMAIL_DOMAIN_MAX


def is_email(text: str) -> bool:
    """`name@example.co.uk`: a dot-atom before the @, a domain of sound labels, within the lengths."""
    local, at, domain = text.rpartition("@")
    if not at or email_too_long(text) or not _EMAIL_LOCAL.fullmatch(local):
        return False
    *labels, top = domain.split(".")
    return (
        bool(labels)
        and all(_DOMAIN_LABEL.fullmatch(label) for label in labels)
        and bool(_TOP_LEVEL.fullmatch(top))
    )


def is_phone(text: str) -> bool:
    """A plausible UK (07…, 01…, +44…) or international (+… / 00…) number."""
    compact = _PHONE_JUNK.sub("", text)
    return bool(_UK_PHONE.match(compact) or _INTERNATIONAL_PHONE.match(compact))


def normalise_postcode(text: str) -> str | None:
    """`cb246yu` → `CB24 6YU`; None when it is not a UK postcode."""
    compact = re.sub(r"\s+", "", text).upper()
    if not _POSTCODE.match(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"


# Validators: the text of one input (stripped, not empty) → the value to send; raise Invalid with the words.


def _as_typed(text: str) -> str:
    return text


def _email(text: str) -> str:
    if not is_email(text):
        raise Invalid(texts.BAD_EMAIL)
    return text


def _phone(text: str) -> str:
    if not is_phone(text):
        raise Invalid(texts.BAD_PHONE)
    return text


def _postcode(text: str) -> str:
    postcode = normalise_postcode(text)
    if postcode is None:
        raise Invalid(texts.BAD_POSTCODE)
    return postcode


def _latitude(text: str) -> float:
    value = coordinate(text, LATITUDE_LIMIT)
    if value is None:
        raise Invalid(texts.BAD_LATITUDE)
    return value


def _longitude(text: str) -> float:
    value = coordinate(text, LONGITUDE_LIMIT)
    if value is None:
        raise Invalid(texts.BAD_LONGITUDE)
    return value


@dataclass(frozen=True)
class Field:
    """One input of the lead form, in every vocabulary it passes through."""

    block_id: str  # the input's block_id and action_id (ids.py)
    api_name: str  # Heatpunk's name for it (update bodies, the audit log)
    attr: str  # the attribute on Lead and NewLead
    label: str  # the input's label
    noun: str  # what a change description calls it ("phone, postcode changed")
    max_length: int  # the input's max_length; longer text is refused
    placeholder: str
    hint: str | None = None
    required: bool = False
    multiline: bool = False
    read: Callable[[str], Any] = field(default=_as_typed)


FIELDS: tuple[Field, ...] = (
    Field(ids.NAME_INPUT, "customerName", "customer_name", "Customer name", "name", 150, "Jane Smith", required=True),
    Field(ids.EMAIL_INPUT, "customerEmail", "customer_email", "Email", "email", 254, "jane@example.co.uk", texts.HINT_CONTACT, read=_email),
    Field(ids.PHONE_INPUT, "customerPhone", "customer_phone", "Phone", "phone", 40, "07700 900123", texts.HINT_PHONE, read=_phone),
    Field(ids.ADDRESS_INPUT, "address", "address", "Address", "address", 1000, "8 The Rowans, Milton, Cambridge", multiline=True),
    Field(ids.POSTCODE_INPUT, "postcode", "postcode", "Postcode", "postcode", 10, "CB24 6YU", read=_postcode),
    Field(ids.LAT_INPUT, "lat", "lat", "Latitude", "latitude", 20, "52.2405", texts.HINT_COORDINATES, read=_latitude),
    Field(ids.LNG_INPUT, "lng", "lng", "Longitude", "longitude", 20, "0.1313", read=_longitude),
)  # fmt: skip
BLOCK_IDS = tuple(each.block_id for each in FIELDS)
_COORDINATES = ("lat", "lng")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _read(each: Field, text: str) -> Any:
    """One input's text (stripped) → the value to send; raises Invalid with the words."""
    if len(text) > each.max_length:
        raise Invalid(texts.TOO_LONG.format(limit=each.max_length))
    if not text:
        if each.required:
            raise Invalid(texts.NEED_NAME)
        return None
    return each.read(text)


def _stripped(typed: Typed) -> dict[str, str]:
    return {each.block_id: (typed.get(each.block_id) or "").strip() for each in FIELDS}


def _pair_problems(
    text: Mapping[str, str], *, contact: bool = True, coordinates: bool = True
) -> dict[str, str]:
    """What is wrong between fields: no way to contact the customer, or half a pair of coordinates."""
    errors: dict[str, str] = {}
    if contact and not text[ids.EMAIL_INPUT] and not text[ids.PHONE_INPUT]:
        errors[ids.EMAIL_INPUT] = texts.NEED_CONTACT
    if coordinates and bool(text[ids.LAT_INPUT]) != bool(text[ids.LNG_INPUT]):
        missing = ids.LNG_INPUT if text[ids.LAT_INPUT] else ids.LAT_INPUT
        errors[missing] = texts.NEED_BOTH_COORDINATES
    return errors


def _read_fields(fields: Iterable[Field], text: Typed) -> tuple[dict[Field, Any], dict[str, str]]:
    """Each field's normalised value, and each problem on its block."""
    values: dict[Field, Any] = {}
    errors: dict[str, str] = {}
    for each in fields:
        try:
            values[each] = _read(each, text[each.block_id])
        except Invalid as problem:
            errors[each.block_id] = str(problem)
    return values, errors


def validate_form(typed: Typed) -> NewLead:
    """The lead the form describes, its values normalised; raises InvalidForm with each problem on its block."""
    text = _stripped(typed)
    read, errors = _read_fields(FIELDS, text)
    values = {each.attr: "" if value is None and each.required else value for each, value in read.items()}
    errors = _pair_problems(text) | errors
    if errors:
        raise InvalidForm(errors)
    return NewLead(**values)


def validate_edit(original: Typed, typed: Typed) -> dict[str, Any]:
    """Only what the person changed, checked as strictly as a new lead's and under API names; raises
    InvalidForm with each problem on its block.

    Untouched fields are neither checked nor sent: a lead from Heatpunk may hold what the form would refuse
    (an Irish Eircode, the docs' example phone `1234567890`), and must stay editable. Coordinates go as a
    pair; a cleared text field is sent as "" (Heatpunk keeps a missing one as it was); a value that
    normalises back to what it was (`m11ae` for `M1 1AE`) is no change.
    """
    before, text = _stripped(original), _stripped(typed)
    touched = [each for each in FIELDS if text[each.block_id] != before[each.block_id]]
    read, errors = _read_fields(touched, text)
    changed = {each.api_name: value for each, value in read.items() if _text(value) != before[each.block_id]}
    touched_ids = {each.block_id for each in touched}
    errors = (
        _pair_problems(
            text,
            contact=bool(touched_ids & {ids.EMAIL_INPUT, ids.PHONE_INPUT}),
            coordinates=bool(touched_ids & {ids.LAT_INPUT, ids.LNG_INPUT}),
        )
        | errors
    )
    if errors:
        raise InvalidForm(errors)
    if any(name in changed for name in _COORDINATES):
        for each in FIELDS:
            if each.api_name in _COORDINATES and each.api_name not in changed:
                try:
                    changed[each.api_name] = _read(each, text[each.block_id])
                except Invalid as problem:  # the untouched half of the pair is sent too, so it must be sound
                    raise InvalidForm({each.block_id: str(problem)}) from None
    return {
        name: ("" if value is None and name not in _COORDINATES else value) for name, value in changed.items()
    }


def submitted_text(view: Mapping[str, Any]) -> dict[str, str]:
    """Input block ID → the text typed, from a view_submission's `view.state.values`; anything that is not
    text where Slack puts an input's text counts as nothing typed."""
    values = _member(_member(view, "state"), "values")
    typed = {block: _member(_member(values, block), block).get("value") for block in BLOCK_IDS}
    return {block: value.strip() if isinstance(value, str) else "" for block, value in typed.items()}


def _member(data: Any, key: str) -> Mapping[str, Any]:
    """`data[key]` when both are JSON objects, else an empty one."""
    value = data.get(key) if isinstance(data, Mapping) else None
    return value if isinstance(value, Mapping) else {}


def form_values(lead: Lead) -> dict[str, str]:
    """The lead's current values as the edit form shows them (cut to each input's length)."""
    return {each.block_id: _text(getattr(lead, each.attr))[: each.max_length] for each in FIELDS}


def api_values(lead: NewLead) -> dict[str, Any]:
    """The form's values under Heatpunk's names, empty ones included (for the audit log)."""
    return {each.api_name: getattr(lead, each.attr) for each in FIELDS}


def values_before(original: Typed, changed: Mapping[str, Any]) -> dict[str, str | None]:
    """What the form started from, for the fields that changed (for the audit log)."""
    return {each.api_name: original.get(each.block_id) for each in FIELDS if each.api_name in changed}


def describe_changes(changed: Mapping[str, Any]) -> str:
    """`phone, postcode`: the changed fields as people call them, in the form's order."""
    return ", ".join(each.noun for each in FIELDS if each.api_name in changed)


@dataclass(frozen=True)
class FormMemory:
    """What a modal remembers in its private_metadata: which lead, where to confirm, and what it holds.

    `original`: the values an edit form started from; `typed`: what was typed, kept while the duplicate
    warning asks whether to create anyway; `source_channel` / `source_ts`: the message a lead is made from
    (the message shortcut), which gets a thread reply linking the new lead.
    """

    lead_id: str | None = None
    response_url: str | None = None
    channel_id: str | None = None
    original: Mapping[str, str] = field(default_factory=dict)
    typed: Mapping[str, str] | None = None
    source_channel: str | None = None
    source_ts: str | None = None

    def to_text(self) -> str:
        """Compact JSON within private_metadata's limit: the response URL (only a courtesy) goes first."""
        data: dict[str, Any] = {"lead": self.lead_id, "r": self.response_url, "c": self.channel_id}
        if self.source_channel and self.source_ts:
            data["s"] = [self.source_channel, self.source_ts]
        if self.original:
            data["o"] = {block: value for block, value in self.original.items() if value}
        if self.typed is not None:
            data["t"] = dict(self.typed)
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        if len(text) > PRIVATE_METADATA:
            text = json.dumps({**data, "r": None}, ensure_ascii=False, separators=(",", ":"))
        return text

    @classmethod
    def from_text(cls, text: str) -> FormMemory:
        """What the modal remembered; anything unreadable is forgotten rather than trusted."""
        try:
            data = json.loads(text or "{}")
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        typed = data.get("t")
        source_channel, source_ts = _source(data.get("s"))
        return cls(
            lead_id=_optional_text(data.get("lead")),
            response_url=_optional_text(data.get("r")),
            channel_id=_optional_text(data.get("c")),
            original=_texts(data.get("o")),
            typed=_texts(typed) if isinstance(typed, dict) else None,
            source_channel=source_channel,
            source_ts=source_ts,
        )


def _source(value: Any) -> tuple[str | None, str | None]:
    """A channel ID and a message ts, as the message shortcut remembers them; anything else is neither."""
    if isinstance(value, list) and len(value) == 2:
        channel, ts = value
        if all(isinstance(part, str) and 0 < len(part) <= SOURCE_PART_MAX for part in (channel, ts)):
            return str(channel), str(ts)
    return None, None


def _optional_text(value: Any) -> str | None:
    return str(value) if value else None


def _texts(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(block): str(text) for block, text in value.items() if block in BLOCK_IDS}
