"""Who may do what with /leads, and the checks a command passes before it runs (answered in the ack)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from leadbot import texts
from leadbot.leads.form import email_too_long, is_email
from leadbot.leads.grammar import (
    AddToRota,
    Command,
    DeleteLead,
    MapEmail,
    Reason,
    RemoveFromRota,
    RemoveTerritory,
    SetStatus,
    SetTerritory,
    ShowRota,
    ShowTerritories,
    TeamCommand,
    UnmapEmail,
    Usage,
)
from leadbot.leads.report_grammar import ReportCommand
from leadbot.settings import Settings


@dataclass(frozen=True)
class Denied:
    """This person may not do this; `words` say why and who can."""

    words: str


Refusal = Usage | Denied


@dataclass(frozen=True)
class CardButtons:
    """Which actions a lead card offers."""

    edit: bool = True
    status: bool = True
    delete: bool = True
    share: bool = False


def can_delete(settings: Settings, user_id: str) -> bool:
    """Everyone, unless LEADBOT_DELETERS names who may."""
    return not settings.leadbot_deleters or user_id in settings.leadbot_deleters


def is_admin(settings: Settings, user_id: str) -> bool:
    return user_id in settings.leadbot_admins


def may_change_owner(settings: Settings, user_id: str, owner: str | None) -> bool:
    """Unclaim, reassign, log contact on an owned lead: its owner, admins and managers (LEADBOT_MANAGERS)."""
    return user_id == owner or is_admin(settings, user_id) or user_id in settings.leadbot_managers


def canonical_status(statuses: Sequence[str], text: str) -> str | None:
    """The status as leadbot spells it (`quote` → `Quote`), or None when it isn't one of them."""
    return next((status for status in statuses if status.casefold() == text.casefold()), None)


def near_status(statuses: Sequence[str], text: str) -> str | None:
    """The status a near miss meant (`Quoted` → `Quote`, `complete` → `Completed`), or None when none is
    close: what "Did you mean…?" offers."""
    folded = {status.casefold(): status for status in statuses}
    close = difflib.get_close_matches(text.casefold().strip(), list(folded), n=1, cutoff=0.7)
    return folded[close[0]] if close else None


def card_buttons(settings: Settings, user_id: str) -> CardButtons:
    """A lead's card for this person: every action, Share, and Delete only if they may delete."""
    return CardButtons(delete=can_delete(settings, user_id), share=True)


def refusal(
    command: Command | TeamCommand | ReportCommand, user_id: str, settings: Settings
) -> Refusal | None:
    """Why this person can't run this command as typed, or None: checked before anything runs."""
    match command:
        case SetStatus(status=status) if canonical_status(settings.leadbot_statuses, status) is None:
            choices = tuple(settings.leadbot_statuses)
            return Usage(Reason.UNKNOWN_STATUS, "status", status, choices)
        case DeleteLead() if not can_delete(settings, user_id):
            return Denied(texts.NOT_A_DELETER)
        case MapEmail() | UnmapEmail() if not is_admin(settings, user_id):
            return Denied(texts.NOT_ADMIN)
        case MapEmail(user_id=target) if target == user_id:
            return Denied(texts.NO_SELF_MAP)
        case MapEmail(email=email) if email_too_long(email):
            return Usage(Reason.EMAIL_TOO_LONG, "admin")
        case MapEmail(email=email) if not is_email(email):
            return Usage(Reason.BAD_EMAIL, "admin")
        case ShowRota() | AddToRota() | RemoveFromRota() if not is_admin(settings, user_id):
            return Denied(texts.TEAM_NOT_ADMIN)
        case ShowTerritories() | SetTerritory() | RemoveTerritory() if not is_admin(settings, user_id):
            return Denied(texts.TEAM_NOT_ADMIN)
    return None
