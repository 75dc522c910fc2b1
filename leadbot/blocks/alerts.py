"""Block Kit for alerts: the new-lead card and its states, the digest, notes, notices. Pure, no I/O."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Literal

from leadbot import ids, texts
from leadbot.blocks.kit import Block, Message, button, context, message, plain, section
from leadbot.blocks.leads import lead_title, status_select
from leadbot.blocks.owners import clock_line, mention, owner_elements
from leadbot.blocks.sheet import build_call_sheet
from leadbot.blocks.text import safe, truncate, uk_time
from leadbot.blocks.values import AlertDeleteOption, ClaimButton, EditButton, OpenButton
from leadbot.heatpunk import Lead
from leadbot.limits import FALLBACK_TEXT, MESSAGE_BLOCKS, MESSAGE_TEXT_BUDGET, OPTION_TEXT, PLACEHOLDER
from leadbot.routing.clock import ClockView

CardState = Literal["new", "changed", "deleted"]

CHANGE_LINES = 20
CHANGE_VALUE = 60
DIGEST_SECTION_LEADS = 10  # lead lines per digest section (≤ 3000 characters even at their longest)
DIGEST_MAX = (MESSAGE_BLOCKS - 1) * DIGEST_SECTION_LEADS  # leads per digest: a heading and 49 sections
DIGEST_ROWS = (
    40  # leads shown a section each, with their own View button (a heading and 40: within 50 blocks)
)
DIGEST_SHORT_NAME = 24
DIGEST_OPTION_NAME = 40


def alert_menu(lead: Lead) -> Block:
    """The card's overflow menu; Delete asks again in an ephemeral message (overflows can't confirm)."""
    option = {
        "text": plain(texts.DELETE_MENU, OPTION_TEXT),
        "value": AlertDeleteOption(lead.id).to_value(),
    }
    return {"type": "overflow", "action_id": ids.ALERT_MENU, "options": [option]}


def alert_fallback(lead: Lead, state: CardState = "new") -> str:
    """The notification line: what happened, who, where; lead text escaped. A lead changed since stays a new
    lead (what changed goes in its thread)."""
    what = texts.DELETED_LEAD if state == "deleted" else texts.NEW_LEAD
    where = f" ({lead.postcode})" if lead.postcode else ""
    return safe(f"{what}: {lead_title(lead)}{where} — lead {lead.id}", FALLBACK_TEXT - 20)


def build_alert_card(
    lead: Lead,
    *,
    statuses: Sequence[str],
    clock: ClockView | None = None,
    state: CardState = "new",
    updated_at: datetime | None = None,
    created_by: str | None = None,
) -> Message:
    """The alert for one lead as a call sheet (blocks/sheet.py), re-rendered when it is claimed, contacted,
    changed or deleted; `clock` is its owner and clock (None: nobody owns it and leadbot keeps no clock for
    it); `created_by`: who added it in Slack, for its source."""
    view = clock or ClockView()
    notes = []
    if view.owner or state != "deleted":
        notes.append(clock_line(view))
    if updated_at and state != "new":
        notes.append(texts.UPDATED_AT.format(when=uk_time(updated_at)))
    owner_block = context(" · ".join(notes), ids.block_id(ids.ALERT_STATE_BLOCK, lead.id)) if notes else None
    blocks = build_call_sheet(
        lead,
        state=owner_block,
        created_by=created_by,
        deleted=state == "deleted",
        first="" if state == "deleted" else texts.SHEET_NEW,
    )
    if state != "deleted":
        elements: list[Block] = owner_elements(lead.id, view)
        if statuses:
            elements.append(status_select(lead, statuses))
        elements += [button(texts.EDIT, ids.EDIT_LEAD, EditButton(lead.id).to_value()), alert_menu(lead)]
        blocks.append(
            {
                "type": "actions",
                "block_id": ids.block_id(ids.ALERT_ACTIONS_BLOCK, lead.id),
                "elements": elements,
            }
        )
    return message(alert_fallback(lead, state), blocks)


def digest_line(lead: Lead, *, gone: bool, short: bool = False, clock: ClockView | None = None) -> str:
    """One lead as one line of a digest: name, status, where, when, ID, and its owner and clock when known
    (the short form); `short`: name and ID only (what a burst that outgrew Slack's cap gets)."""
    ident = f"`{safe(lead.id, 40)}`"
    owner = f" · {clock_line(clock, short=True)}" if clock is not None and not gone else ""
    if short:
        name = safe(lead_title(lead), DIGEST_SHORT_NAME)
        return f"~{name}~ {ident}" if gone else f"*{name}* {ident}"
    name = safe(lead_title(lead), 80)
    if gone:
        return f"~{name}~ — {texts.DELETED_LEAD} · {ident}"
    where = safe(lead.postcode or lead.address or texts.NO_ADDRESS, 60)
    status = safe(lead.status or "—", 40)
    return f"*{name}* · {status} · {where} · {uk_time(lead.date_created)} · {ident}{owner}"


def digest_option(lead: Lead, *, short: bool = False) -> Block:
    """The lead's entry in its section's View menu (its name: the line above says the rest); opens its card."""
    return {
        "text": plain(lead_title(lead), DIGEST_SHORT_NAME if short else DIGEST_OPTION_NAME),
        "value": OpenButton(lead.id).to_value(),
    }


def digest_section(
    leads: Sequence[tuple[Lead, bool]], *, short: bool = False, clocks: Mapping[str, ClockView] | None = None
) -> Block:
    """Up to DIGEST_SECTION_LEADS lines, with a View menu of the leads not deleted."""
    clocks = clocks or {}
    text = "\n".join(
        digest_line(lead, gone=gone, short=short, clock=clocks.get(lead.id)) for lead, gone in leads
    )
    block = section(text, ids.block_id(ids.DIGEST_LEAD_BLOCK, leads[0][0].id))
    options = [digest_option(lead, short=short) for lead, gone in leads if not gone]
    if options:
        block["accessory"] = {
            "type": "static_select",
            "action_id": ids.OPEN_LEAD,
            "placeholder": plain(texts.VIEW_MENU, PLACEHOLDER),
            "options": options,
        }
    return block


def text_size(blocks: Any) -> int:
    """Characters of text in Block Kit (texts, values, placeholders): what Slack's overall cap counts."""
    if isinstance(blocks, str):
        return len(blocks)
    if isinstance(blocks, dict):
        return sum(text_size(value) for key, value in blocks.items() if key not in ("type", "action_id"))
    if isinstance(blocks, list):
        return sum(text_size(item) for item in blocks)
    return 0


def _digest_blocks(
    leads: Sequence[tuple[Lead, bool]], *, short: bool, clocks: Mapping[str, ClockView] | None = None
) -> list[Block]:
    heading = section(texts.DIGEST_HEADING.format(count=len(leads)), ids.DIGEST_HEADING_BLOCK)
    step = DIGEST_SECTION_LEADS
    return [
        heading,
        *(
            digest_section(leads[n : n + step], short=short, clocks=clocks)
            for n in range(0, len(leads), step)
        ),
    ]


def claimable(clock: ClockView | None) -> bool:
    """A lead leadbot keeps a clock for, nobody owns and nobody closed: Claim is offered."""
    return clock is not None and clock.owner is None and not clock.closed


def digest_row(lead: Lead, *, gone: bool, clock: ClockView | None = None, claim_here: bool = False) -> Block:
    """One lead as a section of its own: the digest of an ordinary burst, with its owner and clock (short) when
    known. Its button: View, or Claim when `claim_here` (a burst too big for a Claim row under each lead)."""
    where = lead.postcode or lead.address or texts.NO_ADDRESS
    name = safe(lead_title(lead), 150)
    first = f"~{name}~ — {texts.DELETED_LEAD}" if gone else f"*{name}* · {safe(lead.status or '—', 50)}"
    text = f"{first}\n{safe(where, 150)} · {uk_time(lead.date_created)} · `{safe(lead.id, 40)}`"
    if clock is not None and not gone:
        text += f"\n{clock_line(clock, short=True)}"
    block = section(text, ids.block_id(ids.DIGEST_LEAD_BLOCK, lead.id))
    if gone:
        return block
    if claim_here and claimable(clock):
        block["accessory"] = button(
            texts.CLAIM, ids.CLAIM_LEAD, ClaimButton(lead.id).to_value(), style="primary"
        )
    else:
        block["accessory"] = button(texts.VIEW, ids.OPEN_LEAD, OpenButton(lead.id).to_value())
    return block


def digest_claim(lead: Lead) -> Block:
    """The Claim button under an unowned lead's digest row (its View stays beside the row)."""
    claim = button(texts.CLAIM, ids.CLAIM_LEAD, ClaimButton(lead.id).to_value(), style="primary")
    return {"type": "actions", "block_id": ids.block_id(ids.DIGEST_CLAIM_BLOCK, lead.id), "elements": [claim]}


def digest_rows(leads: Sequence[tuple[Lead, bool]], clocks: Mapping[str, ClockView]) -> list[Block]:
    """Each lead's row with View, and a Claim row under each unowned one while the message has room for them
    (50 blocks); past that, Claim takes View's place on unowned rows."""
    to_claim = sum(1 for lead, gone in leads if not gone and claimable(clocks.get(lead.id)))
    roomy = 1 + len(leads) + to_claim <= MESSAGE_BLOCKS
    rows: list[Block] = []
    for lead, gone in leads:
        clock = clocks.get(lead.id)
        rows.append(digest_row(lead, gone=gone, clock=clock, claim_here=not roomy))
        if roomy and not gone and claimable(clock):
            rows.append(digest_claim(lead))
    return rows


def build_digest(
    leads: Sequence[tuple[Lead, bool]], *, clocks: Mapping[str, ClockView] | None = None
) -> Message:
    """Many new leads in one message: up to DIGEST_ROWS a section each with a View button (one click to a
    card) and Claim for those nobody owns; a bigger burst ten lines to a section with a View menu each
    (digest_pages splits it to fit), in shorter lines if the leads grew past Slack's overall cap since they
    were planned."""
    heading = section(texts.DIGEST_HEADING.format(count=len(leads)), ids.DIGEST_HEADING_BLOCK)
    clocks = clocks or {}
    rows = [heading, *digest_rows(leads, clocks)]
    if len(leads) <= DIGEST_ROWS and text_size(rows) <= MESSAGE_TEXT_BUDGET:
        return message(texts.DIGEST_TEXT.format(count=len(leads)), rows)
    blocks = _digest_blocks(leads, short=False, clocks=clocks)
    if text_size(blocks) > MESSAGE_TEXT_BUDGET:
        blocks = _digest_blocks(leads, short=True, clocks=clocks)
    return message(texts.DIGEST_TEXT.format(count=len(leads)), blocks)


def digest_pages(leads: Sequence[Lead]) -> list[list[Lead]]:
    """Splits a burst into as few digests as fit: at most DIGEST_MAX leads (the block limit) and
    MESSAGE_TEXT_BUDGET characters each (Slack refuses longer blocks: msg_blocks_too_long)."""
    if len(leads) <= DIGEST_ROWS:  # one digest (as rows, or as compact lines if rows would be too long)
        return [list(leads)] if leads else []
    heading = text_size(section(texts.DIGEST_HEADING.format(count=DIGEST_MAX), ids.DIGEST_HEADING_BLOCK))
    pages: list[list[Lead]] = []
    page: list[Lead] = []
    size = heading
    for lead in leads:
        line = len(digest_line(lead, gone=False)) + text_size(digest_option(lead))
        starts_section = len(page) % DIGEST_SECTION_LEADS == 0
        # A lead that opens a section brings the section's own text (ID, menu placeholder); later ones a newline.
        grows = text_size(digest_section([(lead, False)])) if starts_section else line + 1
        if page and (len(page) >= DIGEST_MAX or size + grows > MESSAGE_TEXT_BUDGET):
            pages.append(page)
            page, size = [], heading
            grows = text_size(digest_section([(lead, False)]))
        page.append(lead)
        size += grows
    if page:
        pages.append(page)
    return pages


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    return safe(value, CHANGE_VALUE)


def build_change_note(
    lead: Lead,
    changes: Sequence[Sequence[Any]],
    *,
    returned: bool = False,
    by: Sequence[str | None] = (),
) -> Message:
    """The thread reply under a card: each changed field, before → after; `by`: who made each change through
    leadbot (a Slack ID, or None: made in Heatpunk), "Status → Quote by @sam"."""
    title = safe(lead_title(lead), 200)
    shown = list(changes)[:CHANGE_LINES]
    people = list(by)[: len(shown)]
    if returned:
        lines = [texts.RETURNED_NOTE.format(title=title)]
    elif any(people):
        lines = [texts.CHANGED_NOTE.format(title=title)]
    else:
        lines = [texts.CHANGE_NOTE.format(title=title)]
    for n, (label, before, after) in enumerate(shown):
        user = people[n] if n < len(people) and not returned else None
        if user:
            words = dict(label=safe(label, 100), after=_shown(after), before=_shown(before))
            lines.append(texts.CHANGE_BY.format(user=mention(user), **words))
        elif any(people) and not returned:
            words = dict(label=safe(label, 100), after=_shown(after), before=_shown(before))
            lines.append(texts.CHANGE_IN_HEATPUNK.format(**words))
        else:
            lines.append(f"• {safe(label, 100)}: {_shown(before)} → {_shown(after)}")
    if len(changes) > CHANGE_LINES:
        lines.append(texts.MORE_CHANGES.format(count=len(changes) - CHANGE_LINES))
    text = "\n".join(lines)
    return message(
        truncate(text, FALLBACK_TEXT - 20),
        [section(text, ids.ALERT_NOTE_BLOCK)],
    )


def build_deleted_note(lead: Lead) -> Message:
    text = texts.DELETED_NOTE.format(title=safe(lead_title(lead), 200), lead_id=safe(lead.id, 60))
    return message(text, [section(text, ids.ALERT_NOTE_BLOCK)])


def build_notice(text: str) -> Message:
    """A plain line from leadbot itself (first run, health, recovered)."""
    return message(text, [section(text, ids.ALERT_NOTICE_BLOCK)])


def build_watching(count: int) -> Message:
    return build_notice(texts.WATCHING.format(count=f"{count:,}"))


def build_health(cause: str, failures: int, *, source: str = "poll") -> Message:
    """One message when leadbot keeps failing; `cause` is leadbot's own words (safe is still applied)."""
    template = texts.SLACK_HEALTH if source == "slack" else texts.HEALTH
    return build_notice(template.format(cause=safe(cause, 1000), failures=failures))


def build_recovered() -> Message:
    return build_notice(texts.RECOVERED)
