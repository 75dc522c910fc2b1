"""Block Kit for leads: the card, one row of a list, and a paged list. Pure functions, no I/O."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from leadbot import ids, texts
from leadbot.blocks.kit import Block, button, context, plain
from leadbot.blocks.owners import clock_line
from leadbot.blocks.sheet import build_call_sheet
from leadbot.blocks.sheet import lead_title as lead_title
from leadbot.blocks.text import (
    lead_phone_link,
    link,
    mailto_url,
    map_url,
    safe,
    safe_lines,
    truncate,
    uk_time,
)
from leadbot.blocks.values import DeleteButton, EditButton, OpenButton, PageButton, ShareButton, StatusOption
from leadbot.heatpunk import Lead
from leadbot.leads.grammar import Query
from leadbot.leads.permissions import CardButtons
from leadbot.limits import (
    BUTTON_VALUE,
    CONFIRM_BUTTON,
    CONFIRM_TEXT,
    CONFIRM_TITLE,
    FIELD_TEXT,
    OPTION_TEXT,
    OPTION_VALUE,
    PLACEHOLDER,
)
from leadbot.routing.clock import ClockView

PAGE_SIZE = 20
MAX_STATUS_OPTIONS = 100
EVERY_BUTTON = CardButtons()  # Edit, status, Delete; no Share


def delete_button(lead: Lead) -> Block:
    """The one button that deletes, behind Slack's confirm dialog."""
    element = button(texts.DELETE, ids.DELETE_LEAD, DeleteButton(lead.id).to_value(), style="danger")
    question = texts.CONFIRM_DELETE.format(lead_id=safe(lead.id, 40), title=safe(lead_title(lead), 180))
    element["confirm"] = {
        "title": plain(texts.CONFIRM_DELETE_TITLE, CONFIRM_TITLE),
        "text": {"type": "plain_text", "text": truncate(question, CONFIRM_TEXT)},
        "confirm": plain(texts.DELETE, CONFIRM_BUTTON),
        "deny": plain(texts.KEEP_IT, CONFIRM_BUTTON),
        "style": "danger",
    }
    return element


def status_select(lead: Lead, statuses: Sequence[str]) -> Block:
    """A menu of statuses; each option carries the lead and the status (a StatusOption)."""
    values = ((status, StatusOption(lead.id, status).to_value()) for status in statuses[:MAX_STATUS_OPTIONS])
    options = [
        {"text": plain(status, OPTION_TEXT), "value": value}
        for status, value in values
        if len(value) <= OPTION_VALUE
    ]
    element: Block = {
        "type": "static_select",
        "action_id": ids.SET_STATUS,
        "placeholder": plain(texts.SET_STATUS, PLACEHOLDER),
        "options": options,
    }
    current_value = StatusOption(lead.id, lead.status or "").to_value()
    current = next((option for option in options if option["value"] == current_value), None)
    if current:
        element["initial_option"] = current
    return element


def card_actions(lead: Lead, statuses: Sequence[str], buttons: CardButtons) -> Block | None:
    elements: list[Block] = []
    if buttons.edit:
        elements.append(button(texts.EDIT, ids.EDIT_LEAD, EditButton(lead.id).to_value()))
    if buttons.status and statuses:
        elements.append(status_select(lead, statuses))
    if buttons.delete:
        elements.append(delete_button(lead))
    if buttons.share:
        elements.append(button(texts.SHARE, ids.SHARE_LEAD, ShareButton(lead.id).to_value()))
    if not elements:
        return None
    return {
        "type": "actions",
        "block_id": ids.block_id(ids.LEAD_ACTIONS_BLOCK, lead.id),
        "elements": elements,
    }


def _field(label: str, value_mrkdwn: str) -> Block:
    return {"type": "mrkdwn", "text": f"*{label}*\n{value_mrkdwn}"[:FIELD_TEXT]}


def lead_fields(lead: Lead) -> list[Block]:
    """Up to 10 labelled fields: the documented ones, with tel:, mailto: and map links."""
    value_limit = FIELD_TEXT - 40
    fields = [
        _field(texts.LABEL_STATUS, safe(lead.status or "—", value_limit)),
        _field(texts.LABEL_CREATED, uk_time(lead.date_created)),
    ]
    if lead.customer_phone:
        fields.append(_field(texts.LABEL_PHONE, lead_phone_link(lead.customer_phone)))
    if lead.customer_email:
        email = lead.customer_email[:254]
        fields.append(_field(texts.LABEL_EMAIL, link(mailto_url(email), email)))
    if lead.address:
        fields.append(_field(texts.LABEL_ADDRESS, safe_lines(lead.address, value_limit)))
    if lead.postcode:
        fields.append(_field(texts.LABEL_POSTCODE, safe(lead.postcode, 60)))
    if lead.origin:
        fields.append(_field(texts.LABEL_SOURCE, safe(lead.origin, 300)))
    fields.append(_field(texts.LABEL_LEAD_ID, f"`{safe(lead.id, 60)}`"))
    where = map_url(lead.lat, lead.lng, lead.postcode)
    if where:
        fields.append(_field(texts.LABEL_MAP, link(where, texts.OPEN_MAP)))
    return fields


def build_lead_card(
    lead: Lead,
    *,
    statuses: Sequence[str],
    buttons: CardButtons = EVERY_BUTTON,
    state: Block | None = None,
    created_by: str | None = None,
) -> list[Block]:
    """The whole lead as a call sheet (blocks/sheet.py), then the action buttons; `state`: its owner and clock
    block; `created_by`: who added it in Slack (for the source line)."""
    blocks = build_call_sheet(lead, state=state, created_by=created_by)
    actions = card_actions(lead, statuses, buttons)
    if actions:
        blocks.append(actions)
    return blocks


def lead_row(lead: Lead, clock: ClockView | None = None) -> Block:
    """One lead in a list: name, status, ID, created, postcode or address, its owner and clock when leadbot
    keeps one (short), and an Open button."""
    where = lead.postcode or lead.address or texts.NO_ADDRESS
    text = (
        f"*{safe(lead_title(lead), 150)}* · {safe(lead.status or '—', 50)}\n"
        f"`{safe(lead.id, 40)}` · {uk_time(lead.date_created)} · {safe(where, 150)}"
    )
    if clock is not None:
        text += f"\n{clock_line(clock, short=True)}"
    return {
        "type": "section",
        "block_id": ids.block_id("lead_row", lead.id),
        "text": {"type": "mrkdwn", "text": text},
        "accessory": button(texts.OPEN, ids.OPEN_LEAD, OpenButton(lead.id).to_value()),
    }


def page_count(total: int, page_size: int = PAGE_SIZE) -> int:
    return max(1, math.ceil(total / page_size))


def build_lead_list(
    leads: Sequence[Lead],
    *,
    heading: str,
    page: int,
    query: Query,
    page_size: int = PAGE_SIZE,
    clocks: Mapping[str, ClockView] | None = None,
) -> list[Block]:
    """A page of the leads `query` found (newest first is the caller's order) with Previous / Next buttons;
    `clocks`: the owner and clock of those leadbot keeps one for."""
    clocks = clocks or {}
    pages = page_count(len(leads), page_size)
    page = min(max(page, 1), pages)
    shown = leads[(page - 1) * page_size : page * page_size]
    blocks: list[Block] = [
        {"type": "section", "block_id": "list_heading", "text": {"type": "mrkdwn", "text": heading}},
        *(lead_row(lead, clocks.get(lead.id)) for lead in shown),
    ]
    if pages > 1:
        blocks.append(context(texts.PAGE_OF.format(page=page, pages=pages, count=len(leads))))
        paging = []
        if page > 1:
            paging.append(button(texts.PREVIOUS, ids.PAGE_PREVIOUS, PageButton(query, page - 1).to_value()))
        if page < pages:
            paging.append(button(texts.NEXT, ids.PAGE_NEXT, PageButton(query, page + 1).to_value()))
        paging = [element for element in paging if len(element["value"]) <= BUTTON_VALUE]
        if paging:
            blocks.append({"type": "actions", "block_id": ids.PAGE_BLOCK, "elements": paging})
    return blocks
