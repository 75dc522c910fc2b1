"""Block Kit for what the ladder and the working day send: a new owner's DM, nudges, escalations, reassignment
notes in a card's thread, retry reminders, the morning's overnight leads, an owner's stale leads. Pure, no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from leadbot import ids, texts
from leadbot.blocks.kit import Block, Message, button, message, section
from leadbot.blocks.leads import lead_fields, lead_title
from leadbot.blocks.owners import mention
from leadbot.blocks.text import safe, uk_time
from leadbot.blocks.values import ClaimButton, OpenButton
from leadbot.heatpunk import Lead
from leadbot.limits import FALLBACK_TEXT, SECTION_TEXT

TITLE = 120
MORNING_ROWS = 40  # a heading and 40 sections: within Slack's 50 blocks
STALE_LINES = 30


def mentions(user_ids: Sequence[str]) -> str:
    return ", ".join(mention(user_id) for user_id in user_ids)


def _lead_message(text: str, lead: Lead) -> Message:
    """A DM about one lead: the line, the lead's fields, and Open (its card, with every action)."""
    blocks: list[Block] = [
        section(safe_line(text), ids.block_id(ids.REMINDER_BLOCK, lead.id)),
        {
            "type": "section",
            "block_id": ids.block_id(ids.REMINDER_FIELDS_BLOCK, lead.id),
            "fields": lead_fields(lead),
        },
        {
            "type": "actions",
            "block_id": ids.block_id(ids.REMINDER_ACTIONS_BLOCK, lead.id),
            "elements": [button(texts.OPEN, ids.OPEN_LEAD, OpenButton(lead.id).to_value(), style="primary")],
        },
    ]
    return message(safe_fallback(text), blocks)


def safe_line(text: str) -> str:
    """A line already escaped piece by piece, cut to what a section holds."""
    return text[:SECTION_TEXT]


def safe_fallback(text: str) -> str:
    return text[:FALLBACK_TEXT]


def title_of(lead: Lead) -> str:
    return safe(f"{lead_title(lead)} (lead {lead.id})", TITLE)


def build_assigned_dm(lead: Lead, *, why: str, minutes: str | None, reassigned: bool = False) -> Message:
    """To a lead's new owner: it is theirs, why, and how long they have before the ladder's first step."""
    if reassigned:
        text = texts.REASSIGNED_DM.format(title=title_of(lead), why=why, minutes=minutes or "—")
    elif minutes:
        text = texts.ASSIGNED_DM.format(title=title_of(lead), why=why, minutes=minutes)
    else:
        text = texts.ASSIGNED_DM_NO_LADDER.format(title=title_of(lead), why=why)
    return _lead_message(text, lead)


def build_nudge_dm(lead: Lead, *, minutes: str) -> Message:
    return _lead_message(texts.NUDGE_DM.format(title=title_of(lead), minutes=minutes), lead)


def build_escalation_dm(lead: Lead, *, minutes: str, owner: str | None) -> Message:
    who = texts.ESCALATE_OWNER.format(owner=safe(owner, 30)) if owner else texts.ESCALATE_UNOWNED
    return _lead_message(texts.ESCALATE_DM.format(title=title_of(lead), minutes=minutes, who=who), lead)


def build_retry_dm(lead: Lead, *, attempt: int, most: int) -> Message:
    return _lead_message(texts.RETRY_DM.format(title=title_of(lead), attempt=attempt, most=most), lead)


def build_step_note(text: str) -> Message:
    """A note in a card's thread (the words come from texts, with IDs and minutes filled in)."""
    return message(safe_fallback(text), [section(safe_line(text), ids.REMINDER_NOTE_BLOCK)])


def morning_row(lead: Lead, *, clock_words: str, claimable: bool) -> Block:
    """One overnight lead: name, where, when it arrived, its owner/clock line; Claim when nobody owns it."""
    where = safe(lead.postcode or lead.address or texts.NO_ADDRESS, 80)
    text = f"*{safe(lead_title(lead), 100)}* · {where} · {uk_time(lead.date_created)} · `{safe(lead.id, 40)}`"
    block = section(f"{text}\n{clock_words}"[:SECTION_TEXT], ids.block_id(ids.MORNING_LEAD_BLOCK, lead.id))
    if claimable:
        block["accessory"] = button(
            texts.CLAIM, ids.CLAIM_LEAD, ClaimButton(lead.id).to_value(), style="primary"
        )
    else:
        block["accessory"] = button(texts.OPEN, ids.OPEN_LEAD, OpenButton(lead.id).to_value())
    return block


def build_morning_digest(rows: Sequence[tuple[Lead, str, bool]]) -> Message:
    """The working morning's leads that arrived out of hours and still need someone (lead, clock words, claimable)."""
    count = len(rows)
    heading = section(texts.MORNING_HEADING.format(count=count), ids.MORNING_HEADING_BLOCK)
    shown = [morning_row(lead, clock_words=words, claimable=claimable) for lead, words, claimable in rows]
    blocks = [heading, *shown[:MORNING_ROWS]]
    if count > MORNING_ROWS:
        blocks.append(section(texts.STALE_MORE.format(count=count - MORNING_ROWS), ids.MORNING_MORE_BLOCK))
    return message(texts.MORNING_FALLBACK.format(count=count), blocks)


def build_stale_dm(leads: Sequence[tuple[Lead, datetime]], *, days: int) -> Message:
    """An owner's leads whose status has not moved for `days`, oldest first (lead, since when)."""
    lines = [
        texts.STALE_LINE.format(
            title=safe(lead_title(lead), 80),
            lead_id=safe(lead.id, 40),
            status=safe(lead.status or "—", 40),
            since=uk_time(since),
        )
        for lead, since in leads[:STALE_LINES]
    ]
    if len(leads) > STALE_LINES:
        lines.append(texts.STALE_MORE.format(count=len(leads) - STALE_LINES))
    heading = texts.STALE_DM_HEADING.format(days=days)
    text = "\n".join([heading, *lines])
    return message(safe_fallback(heading), [section(safe_line(text), ids.STALE_BLOCK)])
