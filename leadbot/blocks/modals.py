"""Block Kit views: the create / edit form (one builder for both), progress, results and the duplicate guard."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from leadbot import ids
from leadbot.blocks.leads import Block, lead_row
from leadbot.blocks.messages import section
from leadbot.blocks.text import MODAL_TITLE, PRIVATE_METADATA, VIEW_BLOCKS, safe
from leadbot.heatpunk import Lead
from leadbot.leads.validation import MAX_LENGTHS

# block/action ID → (label, optional, placeholder, hint)
FORM_FIELDS: Mapping[str, tuple[str, bool, str, str | None]] = {
    ids.NAME_INPUT: ("Customer name", False, "Jane Smith", None),
    ids.EMAIL_INPUT: ("Email", True, "jane@example.co.uk", "An email or a phone number is needed."),
    ids.PHONE_INPUT: ("Phone", True, "07700 900123", "UK or international (+…) number."),
    ids.ADDRESS_INPUT: ("Address", True, "8 The Rowans, Milton, Cambridge", None),
    ids.POSTCODE_INPUT: ("Postcode", True, "CB24 6YU", None),
    ids.LAT_INPUT: ("Latitude", True, "52.2405", "Decimal degrees; give both or neither."),
    ids.LNG_INPUT: ("Longitude", True, "0.1313", None),
}
MAX_DUPLICATES_SHOWN = 10


@dataclass(frozen=True)
class FormKind:
    """What distinguishes the create form from the edit form (one builder serves both)."""

    callback_id: str
    title: str
    submit: str


CREATE_FORM = FormKind(ids.CREATE_VIEW, "New lead", "Create")
EDIT_FORM = FormKind(ids.EDIT_VIEW, "Edit lead", "Save")


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": safe(text, limit)}


def form_input(block_id: str, value: str | None) -> Block:
    """One labelled text input whose block_id and action_id are the same word."""
    label, optional, placeholder, hint = FORM_FIELDS[block_id]
    element: Block = {
        "type": "plain_text_input",
        "action_id": block_id,
        "max_length": MAX_LENGTHS[block_id],
        "placeholder": _plain(placeholder, 150),
    }
    if block_id == ids.ADDRESS_INPUT:
        element["multiline"] = True
    if value:
        element["initial_value"] = value[: MAX_LENGTHS[block_id]]
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": _plain(label, 2000),
        "element": element,
    }
    if hint:
        block["hint"] = _plain(hint, 2000)
    return block


def build_lead_form(
    kind: FormKind,
    *,
    values: Mapping[str, str | None],
    private_metadata: str,
    notice: str | None = None,
) -> dict[str, Any]:
    """The create / edit modal; `notice` (mrkdwn, already escaped) shows a problem above the inputs."""
    blocks: list[Block] = []
    if notice:
        blocks.append(section(f":warning: {notice}", "form_notice"))
    blocks += [form_input(block_id, values.get(block_id)) for block_id in FORM_FIELDS]
    return {
        "type": "modal",
        "callback_id": kind.callback_id,
        "title": _plain(kind.title, MODAL_TITLE),
        "submit": _plain(kind.submit, MODAL_TITLE),
        "close": _plain("Cancel", MODAL_TITLE),
        "private_metadata": private_metadata[:PRIVATE_METADATA],
        "blocks": blocks,
    }


def build_message_view(title: str, mrkdwn: str, *, blocks: Sequence[Block] = ()) -> dict[str, Any]:
    """A modal that only tells something: loading, saving, a result or a problem."""
    body = [section(mrkdwn, "message"), *blocks][:VIEW_BLOCKS]
    return {
        "type": "modal",
        "callback_id": ids.MESSAGE_VIEW,
        "title": _plain(title, MODAL_TITLE),
        "close": _plain("Close", MODAL_TITLE),
        "blocks": body,
    }


def build_duplicate_view(matches: Sequence[Lead], *, private_metadata: str, warning: str) -> dict[str, Any]:
    """The duplicate guard: the leads that look the same, and a "Create anyway" submit."""
    rows = []
    for lead in matches[:MAX_DUPLICATES_SHOWN]:
        row = lead_row(lead)
        row.pop("accessory")
        rows.append(row)
    if len(matches) > MAX_DUPLICATES_SHOWN:
        rows.append(section(f"…and {len(matches) - MAX_DUPLICATES_SHOWN} more."))
    return {
        "type": "modal",
        "callback_id": ids.CONFIRM_CREATE_VIEW,
        "title": _plain("Possible duplicate", MODAL_TITLE),
        "submit": _plain("Create anyway", MODAL_TITLE),
        "close": _plain("Cancel", MODAL_TITLE),
        "private_metadata": private_metadata[:PRIVATE_METADATA],
        "blocks": [section(f":warning: {warning}", "duplicate_warning"), *rows],
    }
