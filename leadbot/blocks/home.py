"""The App Home tab: the leads waiting for an owner and the person's own open leads (each with its clock and
Claim or Open), a button to add a lead, and how to use /leads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from leadbot import ids, texts
from leadbot.blocks.kit import Block, button, context, plain, section
from leadbot.blocks.leads import lead_title
from leadbot.blocks.messages import build_help
from leadbot.blocks.owners import clock_line
from leadbot.blocks.text import safe, uk_time
from leadbot.blocks.values import ClaimButton, OpenButton
from leadbot.heatpunk import Lead
from leadbot.limits import HEADER_TEXT, SECTION_TEXT
from leadbot.routing.clock import ClockView

Row = tuple[Lead, ClockView]


def home_row(lead: Lead, view: ClockView, *, claimable: bool) -> Block:
    """One lead on the Home tab: name, where, when, its owner and clock; Claim when nobody owns it, else Open."""
    where = safe(lead.postcode or lead.address or texts.NO_ADDRESS, 80)
    text = f"*{safe(lead_title(lead), 100)}* · {where} · {uk_time(lead.date_created)} · `{safe(lead.id, 40)}`"
    block = section(
        f"{text}\n{clock_line(view, short=True)}"[:SECTION_TEXT], ids.block_id(ids.HOME_LEAD_BLOCK, lead.id)
    )
    if claimable:
        block["accessory"] = button(
            texts.CLAIM, ids.CLAIM_LEAD, ClaimButton(lead.id).to_value(), style="primary"
        )
    else:
        block["accessory"] = button(texts.OPEN, ids.OPEN_LEAD, OpenButton(lead.id).to_value())
    return block


def _listed(heading: str, rows: Sequence[Row], more: int, empty: str, *, claimable: bool) -> list[Block]:
    blocks: list[Block] = [section(heading, ids.block_id(ids.HOME_LIST_BLOCK, heading[:20]))]
    blocks += [home_row(lead, view, claimable=claimable) for lead, view in rows]
    if not rows:
        blocks.append(context(empty))
    elif more:
        blocks.append(context(texts.HOME_MORE.format(count=more)))
    return blocks


def build_home(
    waiting: Sequence[Row] = (), mine: Sequence[Row] = (), *, more_waiting: int = 0, more_mine: int = 0
) -> dict[str, Any]:
    """The Home tab view: New lead, leads waiting for someone (Claim), the person's open leads (Open), help."""
    blocks = [
        {"type": "header", "text": plain(texts.APP_NAME, HEADER_TEXT)},
        {
            "type": "actions",
            "block_id": ids.HOME_BLOCK,
            "elements": [button(texts.ADD_LEAD, ids.NEW_LEAD, "new")],
        },
        *_listed(texts.HOME_WAITING, waiting, more_waiting, texts.HOME_NONE_WAITING, claimable=True),
        *_listed(texts.HOME_MINE, mine, more_mine, texts.HOME_NONE_MINE, claimable=False),
        {"type": "divider"},
        *build_help().blocks,
    ]
    return {"type": "home", "blocks": blocks}
