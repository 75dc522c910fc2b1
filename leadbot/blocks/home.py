"""The App Home tab as a person's worklist: New lead and a search box; leads waiting for someone (Claim), their
own open leads and the reminders due today (Open); their week in three figures; for admins, health and the
rota; then help. Pure: the caller gathers the data (alerts/worklist.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from leadbot import ids, texts
from leadbot.blocks.kit import Block, button, context, plain, section
from leadbot.blocks.leads import lead_title
from leadbot.blocks.messages import build_help
from leadbot.blocks.owners import clock_line
from leadbot.blocks.text import safe, uk_time
from leadbot.blocks.values import ClaimButton, OpenButton
from leadbot.heatpunk import Lead
from leadbot.limits import HEADER_TEXT, PLACEHOLDER, SECTION_TEXT
from leadbot.routing.clock import ClockView
from leadbot.routing.sla import minutes_words

Row = tuple[Lead, ClockView]
SEARCH_TEXT = 100  # characters a search may have (Heatpunk matches on much less)


@dataclass(frozen=True)
class Week:
    """A person's last 7 days: leads they owned, median working minutes to first contact, share within 5 min."""

    owned: int = 0
    median_minutes: float | None = None
    within_five: float | None = None


@dataclass(frozen=True)
class HomeData:
    """Everything the Home tab shows one person."""

    waiting: Sequence[Row] = ()
    mine: Sequence[Row] = ()
    due: Sequence[tuple[Lead, str]] = ()  # their leads with a retry due today, and when
    more_waiting: int = 0
    more_mine: int = 0
    week: Week = field(default_factory=Week)
    admin: bool = False
    health: Sequence[str] = ()  # admins: lines already in words
    rota: Sequence[str] = ()  # admins: one line a person
    search: str | None = None  # what they searched for, when the tab shows results
    found: Sequence[Lead] = ()
    search_problem: str | None = None  # the search could not run: why, in words


def home_row(lead: Lead, view: ClockView, *, claimable: bool) -> Block:
    """One lead on the Home tab: name, where, when, its owner and clock; Claim when nobody owns it, else Open."""
    where = safe(lead.postcode or lead.address or texts.NO_ADDRESS, 80)
    text = f"*{safe(lead_title(lead), 100)}* · {where} · {uk_time(lead.date_created)} · `{safe(lead.id, 40)}`"
    block = section(
        f"{text}\n{clock_line(view, short=True)}"[:SECTION_TEXT], ids.block_id(ids.HOME_LEAD_BLOCK, lead.id)
    )
    if claimable:
        claim = button(texts.CLAIM, ids.CLAIM_LEAD, ClaimButton(lead.id).to_value(), style="primary")
        block["accessory"] = claim
    else:
        block["accessory"] = button(texts.OPEN, ids.OPEN_LEAD, OpenButton(lead.id).to_value())
    return block


def _open_row(lead: Lead, line: str, base: str) -> Block:
    text = f"*{safe(lead_title(lead), 100)}* · `{safe(lead.id, 40)}` · {line}"
    block = section(text[:SECTION_TEXT], ids.block_id(base, lead.id))
    block["accessory"] = button(texts.OPEN, ids.OPEN_LEAD, OpenButton(lead.id).to_value())
    return block


def _listed(heading: str, rows: Sequence[Row], more: int, empty: str, *, claimable: bool) -> list[Block]:
    blocks: list[Block] = [section(heading)]
    blocks += [home_row(lead, view, claimable=claimable) for lead, view in rows]
    if not rows:
        blocks.append(context(empty))
    elif more:
        blocks.append(context(texts.HOME_MORE.format(count=more)))
    return blocks


def search_box(text: str | None) -> Block:
    """Type and press Enter: the results appear in the tab (dispatch_action: no submit button needed)."""
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": ids.HOME_SEARCH,
        "max_length": SEARCH_TEXT,
        "placeholder": plain(texts.HOME_SEARCH_PLACEHOLDER, PLACEHOLDER),
        "dispatch_action_config": {"trigger_actions_on": ["on_enter_pressed"]},
    }
    if text:
        element["initial_value"] = text[:SEARCH_TEXT]
    return {
        "type": "input",
        "block_id": ids.HOME_SEARCH_BLOCK,
        "dispatch_action": True,
        "label": plain(texts.HOME_SEARCH_LABEL, 2000),
        "element": element,
        "optional": True,
    }


def _search_results(data: HomeData) -> list[Block]:
    if data.search is None:
        return []
    if data.search_problem:
        return [context(safe(data.search_problem, 2000))]
    heading = texts.HOME_FOUND.format(count=len(data.found), text=safe(data.search, SEARCH_TEXT))
    rows = [
        _open_row(lead, safe(lead.postcode or lead.status or "—", 60), ids.HOME_FOUND_BLOCK)
        for lead in data.found
    ]
    return [section(heading), *rows[:10]]


def week_line(week: Week) -> str:
    """ "This week: 12 leads owned · median first contact 4 min · 75% within 5 min"."""
    median = minutes_words(week.median_minutes) if week.median_minutes is not None else "—"
    share = f"{round(week.within_five * 100)}%" if week.within_five is not None else "—"
    return texts.HOME_WEEK.format(owned=week.owned, median=median, share=share)


def build_home(data: HomeData | None = None) -> dict[str, Any]:
    """The Home tab view for one person."""
    data = data or HomeData()
    blocks: list[Block] = [
        {"type": "header", "text": plain(texts.APP_NAME, HEADER_TEXT)},
        {
            "type": "actions",
            "block_id": ids.HOME_BLOCK,
            "elements": [button(texts.ADD_LEAD, ids.NEW_LEAD, "new")],
        },
        search_box(data.search),
        *_search_results(data),
        *_listed(
            texts.HOME_WAITING, data.waiting, data.more_waiting, texts.HOME_NONE_WAITING, claimable=True
        ),
        *_listed(texts.HOME_MINE, data.mine, data.more_mine, texts.HOME_NONE_MINE, claimable=False),
    ]
    if data.due:
        blocks.append(section(texts.HOME_DUE))
        blocks += [_open_row(lead, safe(when, 60), ids.HOME_DUE_BLOCK) for lead, when in data.due[:10]]
    blocks.append(context(week_line(data.week)))
    if data.admin:
        blocks.append({"type": "divider"})
        blocks.append(section("\n".join([texts.HOME_HEALTH, *data.health])[:SECTION_TEXT]))
        rota = list(data.rota) or [texts.ROTA_EMPTY]
        blocks.append(section("\n".join([texts.HOME_ROTA, *rota])[:SECTION_TEXT]))
    blocks += [{"type": "divider"}, *build_help(admin=data.admin).blocks]
    return {"type": "home", "blocks": blocks}
