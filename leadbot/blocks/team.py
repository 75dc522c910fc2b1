"""Block Kit answers to the team commands: the rota with who is available, territories, away and back (pure).

User IDs shown as mentions come from the store or from mentions Slack escaped; each passes `is_slack_id` first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from leadbot import texts
from leadbot.blocks.kit import Message, context, message, section
from leadbot.blocks.messages import build_notice
from leadbot.blocks.owners import mention
from leadbot.blocks.text import escape
from leadbot.leads.availability import Presence, Why
from leadbot.leads.grammar import parse_user
from leadbot.leads.team import RotaChange, TerritoryChange

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEK_AHEAD_DAYS = 6  # further ahead than this, the date is named too


def is_slack_id(text: str) -> bool:
    """A bare Slack user ID (U… or W…), safe inside `<@…>`."""
    return parse_user(text) == text


def _mentions(user_ids: Sequence[str]) -> str:
    return ", ".join(mention(user_id) for user_id in user_ids)


def when_words(at: datetime, now: datetime, zone: ZoneInfo) -> str:
    """A moment as the team says it, in their time zone: "17:00 today", "Tue 08:30", "Thu 24 Dec 08:30"."""
    local, today = at.astimezone(zone), now.astimezone(zone).date()
    clock = f"{local.hour:02d}:{local.minute:02d}"
    days_ahead = (local.date() - today).days
    if days_ahead == 0:
        return texts.WHEN_TODAY.format(time=clock)
    day = DAY_NAMES[local.weekday()]
    if 0 < days_ahead <= WEEK_AHEAD_DAYS:
        return f"{day} {clock}"
    return f"{day} {local.day} {MONTH_NAMES[local.month - 1]} {clock}"


def presence_words(presence: Presence, now: datetime, zone: ZoneInfo) -> str:
    """Available now, or why not and until when."""
    until = when_words(presence.until, now, zone) if presence.until else ""
    match presence.why:
        case None:
            return texts.PRESENCE_AVAILABLE
        case Why.AWAY if presence.until is None:
            return texts.PRESENCE_AWAY
        case Why.AWAY:
            return texts.PRESENCE_AWAY_UNTIL.format(when=until)
        case Why.DND:
            return texts.PRESENCE_DND.format(when=until)
        case Why.OUTSIDE_HOURS:
            return texts.PRESENCE_OUTSIDE_HOURS.format(when=until)


def _routing_note(routing: str) -> str:
    return texts.ROUTING_CLAIM_NOTE if routing == "claim" else texts.ROUTING_NOW.format(routing=routing)


def build_rota(people: Sequence[Presence], *, routing: str, now: datetime, zone: ZoneInfo) -> Message:
    """`/leads rota`: the rota in turn order, each person available now or why not."""
    if not people:
        return message(texts.ROTA_EMPTY, [section(texts.ROTA_EMPTY, "rota"), context(_routing_note(routing))])
    rows = [
        texts.ROTA_ROW.format(position=n, user=mention(p.user_id), presence=presence_words(p, now, zone))
        for n, p in enumerate(people, start=1)
    ]
    text = "\n".join([texts.ROTA_HEADING, *rows])
    return message(text.replace("*", ""), [section(text, "rota"), context(_routing_note(routing))])


def build_rota_change(change: RotaChange, *, added: bool) -> Message:
    """The answer to `rota add` (who was added, who was on it already) or `rota remove`."""
    done, not_done = (
        (texts.ROTA_ADDED, texts.ROTA_ALREADY) if added else (texts.ROTA_REMOVED, texts.ROTA_NOT_ON)
    )
    lines = []
    if change.changed:
        lines.append(done.format(users=_mentions(change.changed)))
    if change.unchanged:
        lines.append(not_done.format(users=_mentions(change.unchanged)))
    return build_notice("\n".join(lines))


def build_territories(territories: Mapping[str, str], *, routing: str) -> Message:
    """`/leads territory`: each area or district and who takes its leads, A to Z."""
    if not territories:
        text = texts.TERRITORIES_EMPTY
        return message(text, [section(text, "territories"), context(_routing_note(routing))])
    rows = [
        texts.TERRITORY_ROW.format(prefix=escape(prefix), user=mention(user_id))
        for prefix, user_id in sorted(territories.items())
    ]
    text = "\n".join([texts.TERRITORIES_HEADING, *rows])
    return message(text.replace("*", ""), [section(text, "territories"), context(_routing_note(routing))])


def build_territory_change(change: TerritoryChange) -> Message:
    """The answer to `territory CB @sam` (and who had it before) or `territory remove CB`."""
    prefix = escape(change.prefix)
    before = mention(change.before) if change.before else ""
    if change.after is None:
        template = texts.TERRITORY_REMOVED if change.before else texts.TERRITORY_NOT_SET
        return build_notice(template.format(prefix=prefix, before=before))
    if change.before == change.after:
        template = texts.TERRITORY_UNCHANGED
    else:
        template = texts.TERRITORY_SET_BEFORE if change.before else texts.TERRITORY_SET
    return build_notice(template.format(prefix=prefix, user=mention(change.after), before=before))


def build_away(until: datetime | None, *, now: datetime, zone: ZoneInfo) -> Message:
    """`/leads away …`: until when, in words, and how to come back."""
    if until is None:
        return build_notice(texts.AWAY_UNTIL_BACK)
    return build_notice(texts.AWAY_UNTIL.format(when=when_words(until, now, zone)))


def build_back(was_away: bool) -> Message:
    """`/leads back`."""
    return build_notice(texts.BACK if was_away else texts.NOT_AWAY)
