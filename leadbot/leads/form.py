"""The create / edit modal's data: what it carries in private_metadata, what was typed, what changed."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from leadbot import ids
from leadbot.blocks.text import PRIVATE_METADATA
from leadbot.heatpunk import Lead
from leadbot.leads.validation import MAX_LENGTHS
from leadbot.listeners.replies import Invocation

# Input block ID → API field name.
API_NAMES: Mapping[str, str] = {
    ids.NAME_INPUT: "customerName",
    ids.EMAIL_INPUT: "customerEmail",
    ids.PHONE_INPUT: "customerPhone",
    ids.ADDRESS_INPUT: "address",
    ids.POSTCODE_INPUT: "postcode",
    ids.LAT_INPUT: "lat",
    ids.LNG_INPUT: "lng",
}
FIELD_LABELS: Mapping[str, str] = {
    "customerName": "name",
    "customerEmail": "email",
    "customerPhone": "phone",
    "address": "address",
    "postcode": "postcode",
    "lat": "latitude",
    "lng": "longitude",
}


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def edit_form_values(lead: Lead) -> dict[str, str]:
    """The lead's current values as the form shows them (cut to each input's length)."""
    api = lead.api_fields()
    return {block: _text(api[name])[: MAX_LENGTHS[block]] for block, name in API_NAMES.items()}


def form_metadata(invocation: Invocation, *, lead_id: str | None, original: Mapping[str, str] | None) -> str:
    """What the modal must remember: the lead, where to confirm, and (edit) the values it started from."""
    data: dict[str, Any] = {"lead": lead_id, "r": invocation.response_url, "c": invocation.channel_id}
    if original is not None:
        data["o"] = {block: value for block, value in original.items() if value}
    return encode_metadata(data)


def encode_metadata(data: Mapping[str, Any]) -> str:
    """Compact JSON within private_metadata's limit: the response URL (only a courtesy) goes first."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    if len(text) > PRIVATE_METADATA:
        text = json.dumps({**data, "r": None}, ensure_ascii=False, separators=(",", ":"))
    return text


def read_metadata(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def submitted_text(view: Mapping[str, Any]) -> dict[str, str]:
    """Input block ID → the text typed, from a view_submission's `view.state.values`."""
    values = (view.get("state") or {}).get("values") or {}
    typed: dict[str, str] = {}
    for block in ids.FORM_INPUTS:
        element = (values.get(block) or {}).get(block) or {}
        typed[block] = _text(element.get("value")).strip()
    return typed


def changed_fields(
    original: Mapping[str, str], typed: Mapping[str, str], clean: Mapping[str, Any]
) -> dict[str, Any]:
    """Only what the person changed, under API names, with the validated (normalised) values."""
    changed: dict[str, Any] = {}
    for block, name in API_NAMES.items():
        before = original.get(block, "").strip()
        if typed.get(block, "") != before and _text(clean.get(name)) != before:
            changed[name] = clean.get(name)
    if "lat" in changed or "lng" in changed:
        changed["lat"], changed["lng"] = clean.get("lat"), clean.get("lng")
    return {
        name: ("" if value is None and name not in ("lat", "lng") else value)
        for name, value in changed.items()
    }


def describe_changes(changed: Mapping[str, Any]) -> str:
    return ", ".join(FIELD_LABELS.get(name, name) for name in changed)
