"""Reads `/leads …` text into a typed command; a mistake raises UsageError holding what was wrong, as data."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum, auto

SUBCOMMANDS = ("help", "list", "find", "show", "new", "edit", "status", "delete", "whoami", "admin")
DEFAULT_SINCE = "7d"
MAX_DAYS = 3650

LEAD_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
_RELATIVE = re.compile(r"^(\d{1,4})([dw])$")
_USER_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$|^([UW][A-Z0-9]{5,})$")


# --- the commands ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Help:
    """`/leads` or `/leads help`: every subcommand with an example."""


@dataclass(frozen=True)
class ListLeads:
    """`/leads list [SINCE]`: leads created on or after the UK day `since`."""

    since: date


@dataclass(frozen=True)
class FindLeads:
    """`/leads find TEXT`: leads whose name, email, phone, address or postcode match."""

    text: str


@dataclass(frozen=True)
class ShowLead:
    """`/leads show ID`: one lead's card."""

    lead_id: str


@dataclass(frozen=True)
class CreateLead:
    """`/leads new`: the create form."""


@dataclass(frozen=True)
class EditLead:
    """`/leads edit ID`: the edit form, filled with the lead."""

    lead_id: str


@dataclass(frozen=True)
class SetStatus:
    """`/leads status ID STATUS`; `status` as typed (permissions.refusal checks it is one leadbot knows)."""

    lead_id: str
    status: str


@dataclass(frozen=True)
class DeleteLead:
    """`/leads delete ID`: shows the lead with the one button that deletes it; deletes nothing itself."""

    lead_id: str


@dataclass(frozen=True)
class WhoAmI:
    """`/leads whoami`: the email leadbot acts as, and what this person may do."""


@dataclass(frozen=True)
class MapEmail:
    """`/leads admin map @user EMAIL`: an admin sets the email leadbot uses for a member."""

    user_id: str
    email: str


@dataclass(frozen=True)
class UnmapEmail:
    """`/leads admin unmap @user`: the member goes back to their Slack profile's email."""

    user_id: str


Query = ListLeads | FindLeads  # answered with a (paged) list of leads
FormCommand = CreateLead | EditLead  # answered with a modal, opened at once
MessageCommand = Help | Query | ShowLead | SetStatus | DeleteLead | WhoAmI | MapEmail | UnmapEmail
Command = MessageCommand | FormCommand


# --- what can be wrong with one --------------------------------------------------------------------


class Reason(Enum):
    """Why command text isn't a command (blocks.messages.usage_problem words each one)."""

    UNKNOWN_SUBCOMMAND = auto()  # `word`: the subcommand as typed
    NO_ARGUMENTS = auto()
    ONE_SINCE = auto()
    FIND_NEEDS_TEXT = auto()
    NEEDS_ONE_ID = auto()
    STATUS_NEEDS_TWO = auto()
    BAD_LEAD_ID = auto()  # `word`: what was typed as the ID
    ADMIN_USAGE = auto()
    BAD_SINCE = auto()  # `word`: the date or period as typed
    SINCE_IN_FUTURE = auto()
    SINCE_TOO_FAR = auto()
    UNKNOWN_STATUS = auto()  # `word`: the status as typed; `choices`: the statuses leadbot knows
    BAD_EMAIL = auto()
    EMAIL_TOO_LONG = auto()


@dataclass(frozen=True)
class Usage:
    """What was wrong, and whose usage to show (`subcommand`; None: all of them)."""

    reason: Reason
    subcommand: str | None
    word: str = ""
    choices: tuple[str, ...] = ()


class UsageError(Exception):
    """The text was not a valid command; `usage` says why, as data."""

    def __init__(self, usage: Usage) -> None:
        super().__init__(usage.reason.name)
        self.usage = usage


def _wrong(reason: Reason, subcommand: str | None, word: str = "") -> UsageError:
    return UsageError(Usage(reason, subcommand, word[:40]))


# --- reading text ----------------------------------------------------------------------------------


def parse_command(text: str, today: date) -> Command:
    """`list 7d` → ListLeads(since=today - 7 days); raises UsageError with the nearest subcommand's usage."""
    words = text.split()
    if not words:
        return Help()
    name, args = words[0].lower(), tuple(words[1:])
    if name not in SUBCOMMANDS:
        nearest = difflib.get_close_matches(name, SUBCOMMANDS, n=1, cutoff=0.5)
        raise _wrong(Reason.UNKNOWN_SUBCOMMAND, nearest[0] if nearest else None, words[0])
    match name, args:
        case "help", _:
            return Help()
        case (("new" | "whoami"), (_, *_)):
            raise _wrong(Reason.NO_ARGUMENTS, name)
        case "new", _:
            return CreateLead()
        case "whoami", _:
            return WhoAmI()
        case "list", ():
            return ListLeads(parse_since(DEFAULT_SINCE, today))
        case "list", (since,):
            return ListLeads(parse_since(since, today))
        case "list", _:
            raise _wrong(Reason.ONE_SINCE, name)
        case "find", _ if len(" ".join(args)) >= 2:
            return FindLeads(" ".join(args))
        case "find", _:
            raise _wrong(Reason.FIND_NEEDS_TEXT, name)
        case "show", (lead_id,):
            return ShowLead(_lead_id(lead_id, name))
        case "edit", (lead_id,):
            return EditLead(_lead_id(lead_id, name))
        case "delete", (lead_id,):
            return DeleteLead(_lead_id(lead_id, name))
        case (("show" | "edit" | "delete"), _):
            raise _wrong(Reason.NEEDS_ONE_ID, name)
        case "status", (lead_id, first, *rest):
            return SetStatus(_lead_id(lead_id, name), " ".join((first, *rest)))
        case "status", _:
            raise _wrong(Reason.STATUS_NEEDS_TWO, name)
    return _admin(args)


def command_text(command: Command) -> str:
    """The `/leads` text that reads as `command`: parse_command's inverse, for commands carried by buttons."""
    match command:
        case Help():
            return "help"
        case ListLeads(since=since):
            return f"list {since.isoformat()}"
        case FindLeads(text=text):
            return f"find {text}"
        case ShowLead(lead_id=lead_id):
            return f"show {lead_id}"
        case CreateLead():
            return "new"
        case EditLead(lead_id=lead_id):
            return f"edit {lead_id}"
        case SetStatus(lead_id=lead_id, status=status):
            return f"status {lead_id} {status}"
        case DeleteLead(lead_id=lead_id):
            return f"delete {lead_id}"
        case WhoAmI():
            return "whoami"
        case MapEmail(user_id=user_id, email=email):
            return f"admin map <@{user_id}> {email}"
        case UnmapEmail(user_id=user_id):
            return f"admin unmap <@{user_id}>"


def retyped(command: Command, today: date) -> Command:
    """A command that came back from Slack (a button's value), read again exactly as if it had been typed
    today: raises UsageError where typing it would be refused (an ID, a date, a user, an email's shape)."""
    return parse_command(command_text(command), today)


def _lead_id(text: str, subcommand: str) -> str:
    if not is_lead_id(text):
        raise _wrong(Reason.BAD_LEAD_ID, subcommand, text)
    return text


def _admin(args: tuple[str, ...]) -> MapEmail | UnmapEmail:
    action = args[0].lower() if args else ""
    user = parse_user(args[1]) if len(args) > 1 else None
    if action == "map" and len(args) == 3 and user:
        return MapEmail(user, args[2])
    if action == "unmap" and len(args) == 2 and user:
        return UnmapEmail(user)
    raise _wrong(Reason.ADMIN_USAGE, "admin")


def is_lead_id(text: str) -> bool:
    """Lead IDs are 1-40 letters, digits, - or _."""
    return bool(LEAD_ID.match(text))


def parse_user(text: str) -> str | None:
    """`<@U123|ann>` or `U123` → `U123`; None otherwise."""
    match = _USER_MENTION.match(text)
    return (match.group(1) or match.group(2)) if match else None


def parse_since(text: str, today: date) -> date:
    """`YYYY-MM-DD`, `Nd`, `Nw`, `today` or `yesterday` → the first day to include."""
    word = text.strip().lower()
    if word == "today":
        return today
    if word == "yesterday":
        return today - timedelta(days=1)
    relative = _RELATIVE.match(word)
    if relative:
        days = int(relative.group(1)) * (7 if relative.group(2) == "w" else 1)
        if days > MAX_DAYS:
            raise _wrong(Reason.SINCE_TOO_FAR, "list")
        return today - timedelta(days=days)
    try:
        day = date.fromisoformat(word)
    except ValueError:
        raise _wrong(Reason.BAD_SINCE, "list", text) from None
    if day > today:
        raise _wrong(Reason.SINCE_IN_FUTURE, "list")
    if (today - day).days > MAX_DAYS:
        raise _wrong(Reason.SINCE_TOO_FAR, "list")
    return day
