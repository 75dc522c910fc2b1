"""Block Kit for a lead's owner and clock: the line every card, row and digest shows, the card's ownership and
contact controls, the Reassign… modal and the question after the last attempt. Pure, no I/O."""

from __future__ import annotations

import re

from leadbot import ids, texts
from leadbot.blocks.kit import Block, Message, button, message, plain, section
from leadbot.blocks.text import safe
from leadbot.blocks.values import (
    OUTCOMES,
    ClaimButton,
    CloseButton,
    ContactOption,
    KeepTryingButton,
    ReassignButton,
    ReassignMemory,
    UnclaimButton,
)
from leadbot.limits import MODAL_TITLE, OPTION_TEXT, PLACEHOLDER, PRIVATE_METADATA, SECTION_TEXT
from leadbot.routing.clock import ClockView
from leadbot.routing.sla import minutes_words

CLOCK_LINE = 600  # the line is short by design; a cap that no form reaches, far within a context's 3000
_USER_ID = re.compile(r"[UW][A-Z0-9]{1,40}")


def mention(user_id: str) -> str:
    """`<@U…>` for what looks like a Slack user ID; anything else shown as escaped text, never a mention."""
    return f"<@{user_id}>" if _USER_ID.fullmatch(user_id) else safe(user_id, 40)


def clock_line(view: ClockView, *, short: bool = False) -> str:
    """Who owns the lead and where its clock stands, in mrkdwn: "Unclaimed · ⏱ 4 min", "Owner: <@U1> · 2
    attempts · first contact after 7 min · reached", "Owner: <@U1> · closed". `short` (digest rows) leaves out
    the time to first contact and why the clock waits."""
    parts = [texts.CLOCK_OWNER.format(user=mention(view.owner)) if view.owner else texts.CLOCK_UNCLAIMED]
    if view.closed:
        parts.append(texts.CLOCK_CLOSED)
    elif view.attempts or view.first_contact_minutes is not None:
        attempts = view.attempts
        parts.append(
            texts.CLOCK_ONE_ATTEMPT if attempts == 1 else texts.CLOCK_ATTEMPTS.format(count=attempts)
        )
        if view.first_contact_minutes is not None and not short:
            parts.append(texts.CLOCK_FIRST_CONTACT.format(minutes=minutes_words(view.first_contact_minutes)))
        if view.reached:
            parts.append(texts.CLOCK_REACHED)
    elif view.starts_at is not None:
        when = safe(view.starts_at, 40)
        template = texts.CLOCK_STARTS if short else texts.CLOCK_OUT_OF_HOURS
        parts.append(template.format(when=when))
    elif view.waiting_minutes is not None:
        minutes = minutes_words(view.waiting_minutes)
        if view.step:
            parts.append(texts.CLOCK_STEP.format(minutes=minutes, step=safe(view.step, 40)))
        else:
            parts.append(texts.CLOCK_WAITING.format(minutes=minutes))
    return " · ".join(parts)[:CLOCK_LINE]


def contact_select(lead_id: str) -> Block:
    """The Log contact menu: the five outcomes, each carrying the lead (a ContactOption)."""
    options = [
        {
            "text": plain(texts.CONTACT_OUTCOMES[outcome], OPTION_TEXT),
            "value": ContactOption(lead_id, outcome).to_value(),
        }
        for outcome in OUTCOMES
    ]
    return {
        "type": "static_select",
        "action_id": ids.LOG_CONTACT,
        "placeholder": plain(texts.LOG_CONTACT, PLACEHOLDER),
        "options": options,
    }


def owner_elements(lead_id: str, view: ClockView) -> list[Block]:
    """Claim (unowned) or Unclaim and Reassign… (owned); Log contact until the lead is closed."""
    elements: list[Block] = []
    if view.owner is None:
        elements.append(button(texts.CLAIM, ids.CLAIM_LEAD, ClaimButton(lead_id).to_value(), style="primary"))
    else:
        owner = view.owner
        elements.append(button(texts.UNCLAIM, ids.UNCLAIM_LEAD, UnclaimButton(lead_id, owner).to_value()))
        elements.append(button(texts.REASSIGN, ids.REASSIGN_LEAD, ReassignButton(lead_id, owner).to_value()))
    if not view.closed:
        elements.append(contact_select(lead_id))
    return elements


def build_reassign_view(memory: ReassignMemory, *, notice: str = "") -> dict[str, object]:
    """The Reassign… modal: who owns the lead now, and a person picker; `notice` (mrkdwn, escaped) on top."""
    owner = mention(memory.owner) if memory.owner else texts.OWNER_NOBODY
    blocks: list[Block] = []
    if notice:
        blocks.append(section(notice, "reassign_notice"))
    blocks += [
        section(texts.REASSIGN_NOW.format(owner=owner), "reassign_owner"),
        {
            "type": "input",
            "block_id": ids.REASSIGN_INPUT,
            "label": plain(texts.REASSIGN_LABEL.format(lead_id=memory.lead_id), 2000),
            "element": {"type": "users_select", "action_id": ids.REASSIGN_INPUT},
        },
    ]
    metadata = memory.to_value()
    if len(metadata) > PRIVATE_METADATA:  # a response_url this long is not Slack's: re-render without it
        metadata = ReassignMemory(
            memory.lead_id, memory.owner, memory.channel, memory.ts, "", memory.kind
        ).to_value()
    return {
        "type": "modal",
        "callback_id": ids.REASSIGN_VIEW,
        "title": plain(texts.REASSIGN_TITLE, MODAL_TITLE),
        "submit": plain(texts.REASSIGN_SUBMIT, MODAL_TITLE),
        "close": plain(texts.CANCEL, MODAL_TITLE),
        "private_metadata": metadata,
        "blocks": blocks,
    }


def build_attempts_question(lead_id: str, title: str, count: int) -> Message:
    """After the last attempt leadbot counts: close the lead, or keep trying? `title` is the lead's name."""
    text = texts.ATTEMPTS_QUESTION.format(count=count, lead_id=safe(lead_id, 60), title=safe(title, 150))
    actions = {
        "type": "actions",
        "block_id": ids.block_id(ids.ATTEMPTS_BLOCK, lead_id),
        "elements": [
            button(texts.CLOSE_LEAD, ids.CLOSE_LEAD, CloseButton(lead_id).to_value(), style="danger"),
            button(texts.KEEP_TRYING, ids.KEEP_TRYING, KeepTryingButton(lead_id).to_value()),
        ],
    }
    return message(text[:SECTION_TEXT], [section(text), actions])
