"""Reads `/leads …` text into a command, and the small grammars inside it (dates, IDs, search)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, timedelta

from leadbot import texts
from leadbot.heatpunk import Lead

SUBCOMMANDS = ("help", "list", "find", "show", "new", "edit", "status", "delete", "whoami", "admin")
DEFAULT_SINCE = "7d"
MAX_DAYS = 3650

_LEAD_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
_RELATIVE = re.compile(r"^(\d{1,4})([dw])$")
_USER_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$|^([UW][A-Z0-9]{5,})$")
_NON_DIGITS = re.compile(r"\D")
_SPACES = re.compile(r"\s+")


class UsageError(Exception):
    """The text was not a valid command; `subcommand` names whose usage to show (None: all)."""

    def __init__(self, problem: str, subcommand: str | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.subcommand = subcommand


@dataclass(frozen=True)
class Command:
    """A parsed `/leads` command; `text` is what was typed, kept for Retry."""

    name: str
    args: tuple[str, ...]
    text: str


def parse_command(text: str) -> Command:
    """`list 7d` → Command("list", ("7d",)); raises UsageError with the nearest subcommand's usage."""
    words = text.split()
    if not words:
        return Command("help", (), text)
    name, args = words[0].lower(), tuple(words[1:])
    if name not in SUBCOMMANDS:
        nearest = difflib.get_close_matches(name, SUBCOMMANDS, n=1, cutoff=0.5)
        problem = texts.UNKNOWN_SUBCOMMAND.format(word=words[0][:40])
        raise UsageError(problem, nearest[0] if nearest else None)
    _check_arguments(name, args)
    return Command(name, args, text.strip())


def _check_arguments(name: str, args: tuple[str, ...]) -> None:
    if name in ("new", "whoami") and args:
        raise UsageError(texts.NO_ARGUMENTS.format(name=name), name)
    if name == "list" and len(args) > 1:
        raise UsageError(texts.ONE_SINCE, name)
    if name == "find" and len(" ".join(args)) < 2:
        raise UsageError(texts.FIND_NEEDS_TEXT, name)
    if name in ("show", "edit", "delete") and len(args) != 1:
        raise UsageError(texts.NEEDS_ONE_ID.format(name=name), name)
    if name == "status" and len(args) < 2:
        raise UsageError(texts.STATUS_NEEDS_TWO, name)
    if name in ("show", "edit", "delete", "status") and not _LEAD_ID.match(args[0]):
        raise UsageError(texts.BAD_LEAD_ID.format(text=args[0][:40]), name)
    if name == "admin":
        _check_admin_arguments(args)


def _check_admin_arguments(args: tuple[str, ...]) -> None:
    action = args[0].lower() if args else ""
    if action == "map" and len(args) == 3 and parse_user(args[1]):
        return
    if action == "unmap" and len(args) == 2 and parse_user(args[1]):
        return
    raise UsageError(texts.ADMIN_USAGE_PROBLEM, "admin")


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
            raise UsageError(texts.SINCE_TOO_FAR.format(days=MAX_DAYS), "list")
        return today - timedelta(days=days)
    try:
        day = date.fromisoformat(word)
    except ValueError:
        raise UsageError(texts.BAD_SINCE.format(text=text[:40]), "list") from None
    if day > today:
        raise UsageError(texts.SINCE_IN_FUTURE, "list")
    if (today - day).days > MAX_DAYS:
        raise UsageError(texts.SINCE_TOO_FAR.format(days=MAX_DAYS), "list")
    return day


def _squash(text: str | None) -> str:
    return _SPACES.sub("", text or "").casefold()


def lead_matches(lead: Lead, query: str) -> bool:
    """Case-insensitive match on name, email, address, postcode (spaces ignored) and phone (digits only)."""
    needle = _squash(query)
    if not needle:
        return False
    haystacks = (lead.customer_name, lead.customer_email, lead.address, lead.postcode, lead.id)
    if any(needle in _squash(value) for value in haystacks):
        return True
    digits = phone_digits(query)
    return len(digits) >= 4 and digits in phone_digits(lead.customer_phone)


def phone_digits(text: str | None) -> str:
    """Digits only, with +44 / 0044 written the UK way (0…), so both forms match each other."""
    digits = _NON_DIGITS.sub("", text or "")
    if digits.startswith("0044"):
        return "0" + digits[4:]
    if digits.startswith("44") and len(digits) >= 11:
        return "0" + digits[2:]
    return digits
