"""Reads `/leads …` text into a typed command; a mistake raises UsageError holding what was wrong, as data."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum, auto

from leadbot.leads.report_grammar import (
    REPORT_SUBCOMMANDS,
    ReportCommand,
    ShowHistory,
    ShowReport,
    parse_period,
)
from leadbot.routing.rota import territory_prefix

TEAM_SUBCOMMANDS = ("rota", "territory", "away", "back")
SUBCOMMANDS = (
    "help",
    "list",
    "find",
    "show",
    "new",
    "edit",
    "status",
    "delete",
    "whoami",
    "admin",
    *TEAM_SUBCOMMANDS,
    *REPORT_SUBCOMMANDS,
)
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
    # Team: rota, territories, away (issue 11)
    ROTA_USAGE = auto()  # `word`: what was typed where a person was expected, if anything
    TERRITORY_USAGE = auto()
    BAD_TERRITORY = auto()  # `word`: the area or district as typed
    AWAY_USAGE = auto()  # `word`: what was typed after `away`
    AWAY_TOO_LONG = auto()
    AWAY_DAY_PASSED = auto()  # `word`: the date as typed
    # Reports and history (issue 12)
    REPORT_USAGE = auto()  # `word`: the period as typed, if one was wrong


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


def parse_command(text: str, today: date) -> Command | TeamCommand | ReportCommand:
    """`list 7d` → ListLeads(since=today - 7 days); raises UsageError with the nearest subcommand's usage."""
    words = text.split()
    if not words:
        return Help()
    name, args = words[0].lower(), tuple(words[1:])
    if name not in SUBCOMMANDS:
        nearest = difflib.get_close_matches(name, SUBCOMMANDS, n=1, cutoff=0.5)
        raise _wrong(Reason.UNKNOWN_SUBCOMMAND, nearest[0] if nearest else None, words[0])
    if name in TEAM_SUBCOMMANDS:
        return parse_team(name, args, today)
    if name in REPORT_SUBCOMMANDS:
        return parse_report(name, args, today)
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


def parse_report(name: str, args: tuple[str, ...], today: date) -> ReportCommand:
    """`report [7d|30d|month|YYYY-MM]`, `history ID`."""
    if name == "history":
        if len(args) != 1:
            raise _wrong(Reason.NEEDS_ONE_ID, name)
        return ShowHistory(_lead_id(args[0], name))
    if not args:
        return ShowReport()
    if len(args) > 1:
        raise _wrong(Reason.REPORT_USAGE, name)
    try:
        return ShowReport(parse_period(args[0], today))
    except ValueError:
        raise _wrong(Reason.REPORT_USAGE, name, args[0]) from None


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
    again = parse_command(command_text(command), today)
    if isinstance(again, (*TEAM_COMMANDS, ShowReport, ShowHistory)):  # pragma: no cover - never written
        raise _wrong(Reason.UNKNOWN_SUBCOMMAND, None, command_text(command))
    return again


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


# --- Team: rota, territories, away (issue 11) ---------------------------------------------------------

MAX_AWAY_DAYS = 366
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_WORDS = {
    word: weekday
    for weekday, words in enumerate(
        (
            ("mon", "monday"),
            ("tue", "tues", "tuesday"),
            ("wed", "weds", "wednesday"),
            ("thu", "thur", "thurs", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        )
    )
    for word in words
}
_DURATION = re.compile(r"^(?:(\d{1,6})d)?(?:(\d{1,6})h)?(?:(\d{1,6})m(?:ins?)?)?$")
_CLOCK = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


@dataclass(frozen=True)
class ShowRota:
    """`/leads rota`: the rota in order, and who is available now (and why not)."""


@dataclass(frozen=True)
class AddToRota:
    """`/leads rota add @a @b`: at the end of the rota, in the order given."""

    user_ids: tuple[str, ...]


@dataclass(frozen=True)
class RemoveFromRota:
    """`/leads rota remove @a`."""

    user_ids: tuple[str, ...]


@dataclass(frozen=True)
class ShowTerritories:
    """`/leads territory`: each postcode area or district, and who takes its leads."""


@dataclass(frozen=True)
class SetTerritory:
    """`/leads territory CB @sam`: an area (CB) or district (PE19, EC1A), normalised."""

    prefix: str
    user_id: str


@dataclass(frozen=True)
class RemoveTerritory:
    """`/leads territory remove CB`."""

    prefix: str


@dataclass(frozen=True)
class AwayFor:
    """`away 2h`, `away 30m`, `away 1d`: for this many minutes from now."""

    minutes: int


@dataclass(frozen=True)
class AwayUntilTime:
    """`away until 17:00`: today in the team's time zone, or tomorrow when that time has passed."""

    hour: int
    minute: int


@dataclass(frozen=True)
class AwayUntilTomorrow:
    """`away until tomorrow`: the team's next opening after local midnight."""


@dataclass(frozen=True)
class AwayUntilWeekday:
    """`away until mon`: the team's opening on the next such day (0 = Monday; a week on when it is today)."""

    weekday: int


@dataclass(frozen=True)
class AwayUntilDate:
    """`away until 2026-12-24`: the team's first opening on that day (or after it, on a holiday)."""

    day: date


AwayUntil = AwayFor | AwayUntilTime | AwayUntilTomorrow | AwayUntilWeekday | AwayUntilDate


@dataclass(frozen=True)
class GoAway:
    """`/leads away [until]`: routing and reminders skip this person; `until` None: until `/leads back`."""

    until: AwayUntil | None = None


@dataclass(frozen=True)
class ComeBack:
    """`/leads back`."""


TeamCommand = (
    ShowRota
    | AddToRota
    | RemoveFromRota
    | ShowTerritories
    | SetTerritory
    | RemoveTerritory
    | GoAway
    | ComeBack
)
TEAM_COMMANDS = (
    ShowRota,
    AddToRota,
    RemoveFromRota,
    ShowTerritories,
    SetTerritory,
    RemoveTerritory,
    GoAway,
    ComeBack,
)


def parse_team(name: str, args: tuple[str, ...], today: date) -> TeamCommand:
    """`rota …`, `territory …`, `away …`, `back`."""
    match name:
        case "rota":
            return _rota(args)
        case "territory":
            return _territory(args)
        case "away":
            return GoAway(parse_away(args, today))
    if args:
        raise _wrong(Reason.NO_ARGUMENTS, name)
    return ComeBack()


def _rota(args: tuple[str, ...]) -> ShowRota | AddToRota | RemoveFromRota:
    if not args:
        return ShowRota()
    action, people = args[0].lower(), args[1:]
    if action not in ("add", "remove") or not people:
        raise _wrong(Reason.ROTA_USAGE, "rota")
    users = _users(people, Reason.ROTA_USAGE, "rota")
    return AddToRota(users) if action == "add" else RemoveFromRota(users)


def _territory(args: tuple[str, ...]) -> ShowTerritories | SetTerritory | RemoveTerritory:
    match args:
        case ():
            return ShowTerritories()
        case (action, prefix) if action.lower() == "remove":
            return RemoveTerritory(_prefix(prefix))
        case (prefix, user):
            [user_id] = _users((user,), Reason.TERRITORY_USAGE, "territory")
            return SetTerritory(_prefix(prefix), user_id)
    raise _wrong(Reason.TERRITORY_USAGE, "territory")


def _prefix(text: str) -> str:
    try:
        return territory_prefix(text)
    except ValueError:
        raise _wrong(Reason.BAD_TERRITORY, "territory", text) from None


def _users(words: tuple[str, ...], reason: Reason, subcommand: str) -> tuple[str, ...]:
    """Mentions (`<@U123|sam>`) or IDs → user IDs, each once, in order; any other word is a usage error."""
    found: list[str] = []
    for word in words:
        user = parse_user(word)
        if user is None:
            raise _wrong(reason, subcommand, word)
        if user not in found:
            found.append(user)
    return tuple(found)


def parse_away(args: tuple[str, ...], today: date) -> AwayUntil | None:
    """What follows `/leads away`: nothing, a duration (`2h`, `30m`, `1h30m`, `2d`), or `until` a time
    (`17:00`), `tomorrow`, a weekday (`mon`) or a date (`2026-12-24`)."""
    words = tuple(word.lower() for word in args)
    if words and words[0] == "for":
        words = words[1:] or ("for",)
    match words:
        case ():
            return None
        case (duration,) if (minutes := _minutes(duration)) is not None:
            if minutes > MAX_AWAY_DAYS * 24 * 60:
                raise _wrong(Reason.AWAY_TOO_LONG, "away")
            return AwayFor(minutes)
        case ("until", when):
            return _until(when, today)
    raise _wrong(Reason.AWAY_USAGE, "away", " ".join(args))


def _minutes(text: str) -> int | None:
    match = _DURATION.match(text)
    if not match or not any(match.groups()):
        return None
    days, hours, minutes = (int(part or 0) for part in match.groups())
    total = (days * 24 + hours) * 60 + minutes
    return total if total > 0 else None


def _until(when: str, today: date) -> AwayUntil:
    clock = _CLOCK.match(when)
    if clock:
        return AwayUntilTime(int(clock.group(1)), int(clock.group(2)))
    if when == "tomorrow":
        return AwayUntilTomorrow()
    if when in DAY_WORDS:
        return AwayUntilWeekday(DAY_WORDS[when])
    try:
        day = date.fromisoformat(when)
    except ValueError:
        raise _wrong(Reason.AWAY_USAGE, "away", f"until {when}") from None
    if day <= today:
        raise _wrong(Reason.AWAY_DAY_PASSED, "away", when)
    if (day - today).days > MAX_AWAY_DAYS:
        raise _wrong(Reason.AWAY_TOO_LONG, "away")
    return AwayUntilDate(day)


def away_text(until: AwayUntil | None) -> str:
    """The `/leads away …` text that reads as `until` (parse_away's inverse)."""
    match until:
        case None:
            return "away"
        case AwayFor(minutes=minutes):
            return f"away {minutes}m"
        case AwayUntilTime(hour=hour, minute=minute):
            return f"away until {hour:02d}:{minute:02d}"
        case AwayUntilTomorrow():
            return "away until tomorrow"
        case AwayUntilWeekday(weekday=weekday):
            return f"away until {WEEKDAYS[weekday]}"
        case AwayUntilDate(day=day):
            return f"away until {day.isoformat()}"
