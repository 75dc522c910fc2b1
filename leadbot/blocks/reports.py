"""What a speed-to-lead report and a lead's history show, as plain records, and their pure builders.

reports/ computes the records from the store (blocks may not import reports); these only render them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from leadbot import ids, texts
from leadbot.blocks.kit import Block, Message, context, message, plain, section
from leadbot.blocks.owners import mention
from leadbot.blocks.team import is_slack_id
from leadbot.blocks.text import safe
from leadbot.limits import HEADER_TEXT, SECTION_TEXT
from leadbot.routing.sla import minutes_words

ROWS_SHOWN = 12  # people or sources listed in a report; the rest are counted
HISTORY_SHOWN = 40  # history rows in one message (the newest are kept: they matter most)


@dataclass(frozen=True)
class Spread:
    """A median and 90th percentile in working minutes (None: nothing to measure)."""

    median: float | None = None
    p90: float | None = None


@dataclass(frozen=True)
class Tally:
    """One row of a report: the whole team, one owner (name: Slack ID, "" unowned) or one source."""

    name: str
    leads: int = 0
    owned: int = 0
    contacted: int = 0
    claim: Spread = Spread()
    contact: Spread = Spread()
    within_5: int = 0  # contacted within 5 working minutes of arriving
    within_60: int = 0
    quote: int = 0  # moved to Quote (or straight to Sale)
    sale: int = 0


@dataclass(frozen=True)
class DayPoint:
    """One local day: leads that arrived, and their median time to first contact (working minutes)."""

    day: date
    leads: int
    contact_median: float | None


@dataclass(frozen=True)
class ReportFigures:
    """A period's figures: the team, by person, by source, and per day (for the chart)."""

    period: str  # words: "last 7 days", "March 2026"
    first_day: date
    last_day: date
    zone: str
    team: Tally
    people: tuple[Tally, ...] = ()
    sources: tuple[Tally, ...] = ()
    days: tuple[DayPoint, ...] = ()


@dataclass(frozen=True)
class HistoryLine:
    """One thing that happened to a lead: when, who (a Slack ID, "leadbot" or "heatpunk"), and what, as
    mrkdwn already escaped where it holds text from outside leadbot."""

    at: datetime
    actor: str
    what: str


def minutes_text(minutes: float | None) -> str:
    return texts.REPORT_NONE if minutes is None else minutes_words(minutes)


def share_text(count: int, total: int) -> str:
    if total == 0:
        return texts.REPORT_NONE
    return texts.REPORT_SHARE.format(share=round(100 * count / total), count=count, total=total)


def person_name(user_id: str) -> str:
    """An owner as a mention (only for a real Slack ID), or "Unowned"."""
    if not user_id:
        return texts.REPORT_UNOWNED
    return mention(user_id) if is_slack_id(user_id) else safe(user_id, 40)


def _rows(tallies: Sequence[Tally], *, people: bool) -> str:
    lines = []
    for tally in tallies[:ROWS_SHOWN]:
        name = person_name(tally.name) if people else f"*{safe(tally.name, 80)}*"
        lines.append(
            "• "
            + texts.REPORT_ROW.format(
                name=name,
                leads=tally.leads,
                contacted=tally.contacted,
                median=minutes_text(tally.contact.median),
                five=share_text(tally.within_5, tally.leads),
                quote=tally.quote,
                sale=tally.sale,
            )
        )
    if len(tallies) > ROWS_SHOWN:
        lines.append(texts.REPORT_MORE_ROWS.format(count=len(tallies) - ROWS_SHOWN))
    return "\n".join(lines)


def _field(mrkdwn: str) -> Block:
    return {"type": "mrkdwn", "text": mrkdwn}


def build_report(figures: ReportFigures, *, note: str | None = None) -> Message:
    """The figures of a period; `note` (mrkdwn) is added last, e.g. why the chart was skipped."""
    team = figures.team
    period = safe(figures.period, 100)
    span = texts.REPORT_SPAN.format(
        first=figures.first_day.strftime("%a %d %b %Y"),
        last=figures.last_day.strftime("%a %d %b %Y"),
        zone=safe(figures.zone, 60),
    )
    blocks: list[Block] = [
        {
            "type": "header",
            "block_id": ids.REPORT_HEADER_BLOCK,
            "text": plain(texts.REPORT_HEADER.format(period=figures.period), HEADER_TEXT),
        },
        context(span),
    ]
    if team.leads == 0:
        blocks.append(section(texts.REPORT_EMPTY, ids.REPORT_TOTALS_BLOCK))
    else:
        totals = texts.REPORT_TOTALS.format(leads=team.leads, owned=team.owned, contacted=team.contacted)
        blocks.append(section(totals, ids.REPORT_TOTALS_BLOCK))
        figures_block = section(texts.REPORT_NOTE, ids.REPORT_FIGURES_BLOCK)
        figures_block["fields"] = [
            _field(
                texts.REPORT_CLAIM.format(
                    median=minutes_text(team.claim.median), p90=minutes_text(team.claim.p90)
                )
            ),
            _field(
                texts.REPORT_CONTACT.format(
                    median=minutes_text(team.contact.median), p90=minutes_text(team.contact.p90)
                )
            ),
            _field(
                texts.REPORT_WITHIN.format(
                    five=share_text(team.within_5, team.leads), hour=share_text(team.within_60, team.leads)
                )
            ),
            _field(
                texts.REPORT_PROGRESS.format(
                    quote=share_text(team.quote, team.leads), sale=share_text(team.sale, team.leads)
                )
            ),
        ]
        del figures_block["text"]
        blocks.append(figures_block)
        if figures.people:
            blocks.append(
                section(
                    f"{texts.REPORT_BY_PERSON}\n{_rows(figures.people, people=True)}", ids.REPORT_PEOPLE_BLOCK
                )
            )
        if figures.sources:
            blocks.append(
                section(
                    f"{texts.REPORT_BY_SOURCE}\n{_rows(figures.sources, people=False)}",
                    ids.REPORT_SOURCES_BLOCK,
                )
            )
        blocks.append(context(texts.REPORT_NOTE, ids.REPORT_NOTE_BLOCK))
    if note:
        blocks.append(section(note, ids.REPORT_CHART_BLOCK))
    fallback = texts.REPORT_FALLBACK.format(
        period=period, leads=team.leads, contacted=team.contacted, median=minutes_text(team.contact.median)
    )
    return message(fallback, blocks)


def build_history(lead_id: str, lines: Sequence[HistoryLine], *, zone: ZoneInfo) -> Message:
    """What happened to a lead, oldest first; the oldest rows give way when there are too many."""
    lead = safe(lead_id, 40)
    header: Block = {
        "type": "header",
        "block_id": ids.HISTORY_HEADER_BLOCK,
        "text": plain(texts.HISTORY_HEADER.format(lead_id=lead_id), HEADER_TEXT),
    }
    if not lines:
        return message(
            texts.HISTORY_EMPTY.format(lead_id=lead),
            [header, section(texts.HISTORY_EMPTY.format(lead_id=lead))],
        )
    shown = list(lines)[-HISTORY_SHOWN:]
    rows = [_history_row(line, zone) for line in shown]
    blocks: list[Block] = [header]
    if len(lines) > len(shown):
        blocks.append(context(texts.HISTORY_MORE.format(count=len(lines) - len(shown))))
    chunk: list[str] = []
    for row in rows:  # as few sections as fit (3,000 characters each)
        if chunk and len("\n".join([*chunk, row])) > SECTION_TEXT:
            blocks.append(section("\n".join(chunk), ids.HISTORY_ROWS_BLOCK + f"_{len(blocks)}"))
            chunk = []
        chunk.append(row)
    if chunk:
        blocks.append(section("\n".join(chunk), ids.HISTORY_ROWS_BLOCK + f"_{len(blocks)}"))
    return message(texts.HISTORY_FALLBACK.format(lead_id=lead, count=len(lines)), blocks)


def _history_row(line: HistoryLine, zone: ZoneInfo) -> str:
    when = line.at.astimezone(zone).strftime("%a %d %b %H:%M")
    if line.actor == "leadbot":
        who = texts.HISTORY_BY_LEADBOT
    elif line.actor == "heatpunk":
        who = texts.HISTORY_BY_HEATPUNK
    else:
        who = person_name(line.actor)
    return texts.HISTORY_ROW.format(when=when, what=line.what, who=who)
