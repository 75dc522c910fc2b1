"""Block Kit messages: help and usage, errors with Retry, who-am-I, delete prompts and shared cards."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from leadbot import ids, texts
from leadbot.blocks.kit import Message, button, context, message, section
from leadbot.blocks.leads import CardButtons, build_lead_card, lead_title
from leadbot.blocks.text import BUTTON_VALUE, escape, safe
from leadbot.heatpunk import Lead

# Subcommand → (syntax, what it does, example).
USAGE: Mapping[str, tuple[str, str, str]] = {
    "list": (
        "list [SINCE]",
        "leads created since a day (YYYY-MM-DD, 3d, 2w, today, yesterday; default 7d)",
        "/leads list 2w",
    ),
    "find": ("find TEXT", "search name, email, phone, address and postcode", "/leads find 07700 900123"),
    "show": ("show ID", "one lead, every field, with buttons", "/leads show 32123"),
    "new": ("new", "create a lead in a form", "/leads new"),
    "edit": ("edit ID", "change a lead in a form", "/leads edit 32123"),
    "status": ("status ID STATUS", "set a lead's status", "/leads status 32123 Quote"),
    "delete": ("delete ID", "delete a lead (asks first)", "/leads delete 32123"),
    "whoami": ("whoami", "the email leadbot uses for you", "/leads whoami"),
    "admin": (
        "admin map @user EMAIL | admin unmap @user",
        "(admins) set a member's Easy PV email",
        "/leads admin map @sam sam@installer.co.uk",
    ),
    "help": ("help", "this list", "/leads help"),
}


def build_notice(mrkdwn: str) -> Message:
    """A one-line answer; `mrkdwn` must already be escaped where it holds lead text."""
    return message(mrkdwn, [section(mrkdwn, "notice")])


def _usage_line(name: str) -> str:
    syntax, what, example = USAGE[name]
    return f"`/leads {syntax}` — {what}\n    e.g. `{example}`"


def build_help() -> Message:
    lines = "\n".join(_usage_line(name) for name in USAGE)
    return message(
        "leadbot: /leads commands", [section(f"*leadbot* puts your Heatpunk leads in Slack.\n{lines}")]
    )


def build_usage(problem: str, subcommand: str | None) -> Message:
    """A wrong command: what was wrong, and the usage of the nearest subcommand (or all)."""
    if subcommand is None:
        help_text = build_help()
        return message(problem, [section(problem, "problem"), *help_text.blocks])
    hint = texts.DID_YOU_MEAN.format(name=subcommand) if problem.startswith("leadbot doesn't know") else ""
    return build_notice(f"{problem} {hint}\n{_usage_line(subcommand)}".replace("  ", " "))


def build_error(mrkdwn: str, *, retry_value: str | None = None) -> Message:
    """A failure in words, with a Retry button when trying again may help."""
    blocks = [section(f":warning: {mrkdwn}", "error")]
    if retry_value is not None and len(retry_value) <= BUTTON_VALUE:
        blocks.append(
            {
                "type": "actions",
                "block_id": ids.RETRY_BLOCK,
                "elements": [button("Retry", ids.RETRY, retry_value)],
            }
        )
    return message(mrkdwn, blocks)


def build_whoami(email: str, source: str, *, can_delete: bool, is_admin: bool) -> Message:
    can = ["list, find and show leads", "create and edit leads", "set statuses"]
    if can_delete:
        can.append("delete leads")
    if is_admin:
        can.append("map members' emails (`/leads admin`)")
    text = texts.WHOAMI.format(email=safe(email, 254).replace("*", ""), source=source)
    return build_notice(f"{text}\nYou can {', '.join(can)}.")


def build_lead_message(
    lead: Lead, *, statuses: Sequence[str], buttons: CardButtons, note: str = ""
) -> Message:
    """A lead card as a message; `note` (mrkdwn, escaped) goes above it."""
    blocks = build_lead_card(lead, statuses=statuses, buttons=buttons)
    if note:
        blocks.insert(0, section(note, "note"))
    return message(f"Lead {escape(lead.id)}: {safe(lead_title(lead), 150)}", blocks)


def build_delete_prompt(lead: Lead) -> Message:
    """The lead, and the one Delete button (behind a confirm dialog) that deletes it."""
    only_delete = CardButtons(edit=False, status=False, delete=True, share=False)
    return build_lead_message(lead, statuses=(), buttons=only_delete, note=texts.DELETE_ASK)


def build_shared_card(lead: Lead, *, user_id: str, statuses: Sequence[str]) -> Message:
    card = build_lead_message(lead, statuses=statuses, buttons=CardButtons())
    return message(card.text, [*card.blocks, context(texts.SHARED_BY.format(user=user_id))])
