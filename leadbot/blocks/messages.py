"""Block Kit messages: help and usage, refusals, errors with Retry, lists, who-am-I, delete prompts, cards."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from leadbot import ids, texts
from leadbot.blocks.kit import Message, button, context, message, section
from leadbot.blocks.leads import build_lead_card, build_lead_list, lead_title
from leadbot.blocks.owners import clock_line, owner_elements
from leadbot.blocks.text import escape, safe
from leadbot.blocks.values import RetryButton
from leadbot.heatpunk import Lead
from leadbot.leads.grammar import MAX_AWAY_DAYS, MAX_DAYS, Command, FindLeads, ListLeads, Query, Reason, Usage
from leadbot.leads.permissions import CardButtons, Denied, Refusal, near_status
from leadbot.limits import BUTTON_VALUE
from leadbot.routing.clock import ClockView


def build_notice(mrkdwn: str) -> Message:
    """A one-line answer; `mrkdwn` must already be escaped where it holds lead text."""
    return message(mrkdwn, [section(mrkdwn, "notice")])


def _usage_line(name: str) -> str:
    """`/leads SYNTAX — what it does`, and an example only where it shows more than the syntax does."""
    syntax, what, example = texts.USAGE[name]
    if example in (f"/leads {syntax}", f"/leads {name}"):
        return texts.USAGE_LINE_PLAIN.format(syntax=syntax, what=what)
    return texts.USAGE_LINE.format(syntax=syntax, what=what, example=example)


def build_help(*, admin: bool = False) -> Message:
    """The commands a person uses daily (admin ones for admins only), each with an example where it helps;
    also the Home tab's body."""
    names = [name for name in texts.USAGE if admin or name not in texts.ADMIN_COMMANDS]
    lines = "\n".join(_usage_line(name) for name in names)
    return message(texts.HELP_FALLBACK, [section(f"{texts.HELP_INTRO}\n{lines}")])


def usage_problem(usage: Usage) -> str:
    """What was wrong with a command, in words (what the person typed is escaped)."""
    word = escape(usage.word)
    match usage.reason:
        case Reason.UNKNOWN_SUBCOMMAND:
            return texts.UNKNOWN_SUBCOMMAND.format(word=word)
        case Reason.NO_ARGUMENTS:
            return texts.NO_ARGUMENTS.format(name=usage.subcommand)
        case Reason.ONE_SINCE:
            return texts.ONE_SINCE
        case Reason.FIND_NEEDS_TEXT:
            return texts.FIND_NEEDS_TEXT
        case Reason.NEEDS_ONE_ID:
            return texts.NEEDS_ONE_ID.format(name=usage.subcommand)
        case Reason.STATUS_NEEDS_TWO:
            return texts.STATUS_NEEDS_TWO
        case Reason.BAD_LEAD_ID:
            return texts.BAD_LEAD_ID.format(text=word)
        case Reason.ADMIN_USAGE:
            return texts.ADMIN_USAGE_PROBLEM
        case Reason.BAD_SINCE:
            return texts.BAD_SINCE.format(text=word)
        case Reason.SINCE_IN_FUTURE:
            return texts.SINCE_IN_FUTURE
        case Reason.SINCE_TOO_FAR:
            return texts.SINCE_TOO_FAR.format(days=MAX_DAYS)
        case Reason.UNKNOWN_STATUS:
            problem = texts.UNKNOWN_STATUS.format(
                status=safe(usage.word, 60), choices=", ".join(usage.choices)
            )
            meant = near_status(usage.choices, usage.word)
            return (
                f"{problem} {texts.DID_YOU_MEAN_STATUS.format(status=safe(meant, 60))}" if meant else problem
            )
        case Reason.BAD_EMAIL:
            return texts.BAD_EMAIL
        case Reason.EMAIL_TOO_LONG:
            return texts.EMAIL_TOO_LONG
        case Reason.ROTA_USAGE | Reason.TERRITORY_USAGE if usage.word:
            return texts.NOT_A_PERSON.format(text=word)
        case Reason.ROTA_USAGE:
            return texts.ROTA_USAGE_PROBLEM
        case Reason.TERRITORY_USAGE:
            return texts.TERRITORY_USAGE_PROBLEM
        case Reason.BAD_TERRITORY:
            return texts.BAD_TERRITORY.format(text=word)
        case Reason.AWAY_USAGE:
            return texts.AWAY_USAGE_PROBLEM.format(text=word)
        case Reason.AWAY_TOO_LONG:
            return texts.AWAY_TOO_LONG.format(days=MAX_AWAY_DAYS)
        case Reason.AWAY_DAY_PASSED:
            return texts.AWAY_DAY_PASSED.format(text=word)
        case Reason.REPORT_USAGE if usage.word:
            return texts.BAD_REPORT_PERIOD.format(text=word)
        case Reason.REPORT_USAGE:
            return texts.REPORT_USAGE_PROBLEM


def build_usage(usage: Usage) -> Message:
    """A wrong command: what was wrong, and the usage of the nearest subcommand (or all of them)."""
    problem = usage_problem(usage)
    if usage.subcommand is None:
        return message(problem, [section(problem, "problem"), *build_help().blocks])
    if usage.reason is Reason.UNKNOWN_SUBCOMMAND:
        problem = f"{problem} {texts.DID_YOU_MEAN.format(name=usage.subcommand)}"
    return build_notice(f"{problem}\n{_usage_line(usage.subcommand)}")


def build_refusal(refusal: Refusal) -> Message:
    """Why a command can't run: its usage, or who may do it."""
    match refusal:
        case Usage():
            return build_usage(refusal)
        case Denied(words=words):
            return build_notice(words)


def build_error(mrkdwn: str, *, retry: Command | None = None) -> Message:
    """A failure in words, with a Retry button (running `retry` again) when trying again may help."""
    blocks = [section(f":warning: {mrkdwn}", "error")]
    retry_value = RetryButton(retry).to_value() if retry is not None else None
    if retry_value is not None and len(retry_value) <= BUTTON_VALUE:
        blocks.append(
            {
                "type": "actions",
                "block_id": ids.RETRY_BLOCK,
                "elements": [button(texts.RETRY, ids.RETRY, retry_value)],
            }
        )
    return message(mrkdwn, blocks)


def build_leads_found(
    query: Query,
    leads: Sequence[Lead],
    *,
    page: int,
    search_days: int,
    clocks: Mapping[str, ClockView] | None = None,
) -> Message:
    """The answer to `/leads list` or `/leads find`: a page of leads (with the owner and clock of those
    leadbot keeps one for), or that there are none."""
    count = texts.ONE_LEAD if len(leads) == 1 else texts.MANY_LEADS.format(count=len(leads))
    match query:
        case ListLeads(since=since):
            day = f"{since:%a %d %b %Y}"
            if not leads:
                return build_notice(texts.NO_LEADS_SINCE.format(since=day))
            heading = texts.LIST_HEADING.format(count=count, since=day)
        case FindLeads(text=text):
            if not leads:
                return build_notice(texts.NO_MATCHES.format(query=safe(text, 100), days=search_days))
            heading = texts.FIND_HEADING.format(count=count, query=safe(text, 100))
    blocks = build_lead_list(leads, heading=heading, page=page, query=query, clocks=clocks)
    return message(heading.replace("*", ""), blocks)


def build_whoami(email: str, source: str, *, can_delete: bool, is_admin: bool) -> Message:
    can = [texts.CAN_READ, texts.CAN_WRITE, texts.CAN_SET_STATUS]
    if can_delete:
        can.append(texts.CAN_DELETE)
    if is_admin:
        can.append(texts.CAN_MAP)
    text = texts.WHOAMI.format(email=safe(email, 254).replace("*", ""), source=source)
    return build_notice(f"{text}\n{texts.YOU_CAN.format(abilities=', '.join(can))}")


def build_lead_message(
    lead: Lead,
    *,
    statuses: Sequence[str],
    buttons: CardButtons,
    note: str = "",
    clock: ClockView | None = None,
    created_by: str | None = None,
) -> Message:
    """A lead's call sheet as a message; `note` (mrkdwn, escaped) goes above it. `clock`, for a lead leadbot
    alerted: its owner and clock, and the ownership and contact controls (Claim or Unclaim and Reassign…, Log
    contact). `created_by`: who added the lead in Slack, for its source."""
    state = None
    if clock is not None:
        state = context(clock_line(clock), ids.block_id(ids.OWNER_STATE_BLOCK, lead.id))
    blocks = build_lead_card(lead, statuses=statuses, buttons=buttons, state=state, created_by=created_by)
    if clock is not None:
        owner_actions = {
            "type": "actions",
            "block_id": ids.block_id(ids.OWNER_ACTIONS_BLOCK, lead.id),
            "elements": owner_elements(lead.id, clock),
        }
        blocks.append(owner_actions)
    if note:
        blocks.insert(0, section(note, "note"))
    return message(
        texts.LEAD_FALLBACK.format(lead_id=escape(lead.id), title=safe(lead_title(lead), 150)), blocks
    )


def build_delete_prompt(lead: Lead) -> Message:
    """The lead, and the one Delete button (behind a confirm dialog) that deletes it."""
    only_delete = CardButtons(edit=False, status=False, delete=True, share=False)
    return build_lead_message(lead, statuses=(), buttons=only_delete, note=texts.DELETE_ASK)


def build_shared_card(
    lead: Lead, *, user_id: str, statuses: Sequence[str], created_by: str | None = None
) -> Message:
    """A lead's call sheet posted in the channel for everyone, saying who shared it."""
    card = build_lead_message(lead, statuses=statuses, buttons=CardButtons(), created_by=created_by)
    return message(card.text, [*card.blocks, context(texts.SHARED_BY.format(user=user_id))])
