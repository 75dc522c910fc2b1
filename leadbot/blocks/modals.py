"""Block Kit views: the create / edit form (one builder for both), progress, results and the duplicate guard."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from leadbot import ids, texts
from leadbot.blocks.kit import Block, context, plain, section
from leadbot.blocks.leads import lead_row
from leadbot.blocks.text import escape
from leadbot.heatpunk import Lead
from leadbot.leads.form import FIELDS, Field
from leadbot.limits import MODAL_TITLE, PLACEHOLDER, PRIVATE_METADATA, VIEW_BLOCKS

MAX_DUPLICATES_SHOWN = 10


@dataclass(frozen=True)
class FormKind:
    """What distinguishes the create form from the edit form (one builder serves both)."""

    callback_id: str
    title: str
    submit: str


CREATE_FORM = FormKind(ids.CREATE_VIEW, texts.NEW_LEAD_TITLE, texts.CREATE)
EDIT_FORM = FormKind(ids.EDIT_VIEW, texts.EDIT_LEAD_TITLE, texts.SAVE)


def form_input(field: Field, value: str | None) -> Block:
    """One labelled text input whose block_id and action_id are the same word."""
    element: Block = {
        "type": "plain_text_input",
        "action_id": field.block_id,
        "max_length": field.max_length,
        "placeholder": plain(field.placeholder, PLACEHOLDER),
    }
    if field.multiline:
        element["multiline"] = True
    if value:
        element["initial_value"] = value[: field.max_length]
    block: Block = {
        "type": "input",
        "block_id": field.block_id,
        "optional": not field.required,
        "label": plain(field.label, 2000),
        "element": element,
    }
    if field.hint:
        block["hint"] = plain(field.hint, 2000)
    return block


def build_lead_form(
    kind: FormKind,
    *,
    values: Mapping[str, str | None],
    private_metadata: str,
    notice: str | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """The create / edit modal; `notice` (mrkdwn, already escaped) shows a problem above the inputs, `note`
    (plain words, escaped here) a small line saying what the form was filled from."""
    blocks: list[Block] = []
    if notice:
        blocks.append(section(f":warning: {notice}", "form_notice"))
    if note:
        blocks.append(context(texts.FROM_MESSAGE_CONTEXT.format(notes=escape(note)), ids.FORM_CONTEXT_BLOCK))
    blocks += [form_input(field, values.get(field.block_id)) for field in FIELDS]
    return {
        "type": "modal",
        "callback_id": kind.callback_id,
        "title": plain(kind.title, MODAL_TITLE),
        "submit": plain(kind.submit, MODAL_TITLE),
        "close": plain(texts.CANCEL, MODAL_TITLE),
        "private_metadata": private_metadata[:PRIVATE_METADATA],
        "blocks": blocks,
    }


def build_message_view(title: str, mrkdwn: str, *, blocks: Sequence[Block] = ()) -> dict[str, Any]:
    """A modal that only tells something: loading, saving, a result or a problem."""
    body = [section(mrkdwn, "message"), *blocks][:VIEW_BLOCKS]
    return {
        "type": "modal",
        "callback_id": ids.MESSAGE_VIEW,
        "title": plain(title, MODAL_TITLE),
        "close": plain(texts.CLOSE, MODAL_TITLE),
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
        rows.append(section(texts.MORE_DUPLICATES.format(count=len(matches) - MAX_DUPLICATES_SHOWN)))
    return {
        "type": "modal",
        "callback_id": ids.CONFIRM_CREATE_VIEW,
        "title": plain(texts.DUPLICATE_TITLE, MODAL_TITLE),
        "submit": plain(texts.CREATE_ANYWAY, MODAL_TITLE),
        "close": plain(texts.CANCEL, MODAL_TITLE),
        "private_metadata": private_metadata[:PRIVATE_METADATA],
        "blocks": [section(f":warning: {warning}", "duplicate_warning"), *rows],
    }
