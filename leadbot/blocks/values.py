"""What each button and menu option carries: one small dataclass per action, as compact JSON with short keys.

Builders put `to_value()` on the element; listeners read it back with `from_value()`, which raises BadValue
for anything it can't read (a damaged value, or one from a leadbot that put command text in buttons), so a
listener can answer in words. Values stay within Slack's limits: 2,000 characters for a button, 150 for a
menu option (the builder leaves out an element whose value would not fit).

Schema (`l` lead ID, `s` status, `p` page, `q` query, `c` command; commands as `{"k": kind, ...}`):
    Open / Edit / Delete / Share / Claim buttons   {"l": "1042"}
    Close lead / Keep trying                       {"l": "1042"}
    Unclaim / Reassign… (the owner shown)          {"l": "1042", "w": "U0OWNER"}
    Log contact option                             {"l": "1042", "o": "no_answer"}
    Reassign modal's private_metadata              {"l": "1042", "w": "U0OWNER" or null, "c": "C0…",
                                                    "t": "1700000000.000100", "u": response_url, "k": kind}
    status menu option                             {"l": "1042", "s": "Quote"}
    alert overflow option                          {"a": "delete", "l": "1042"}
    Previous / Next                                {"q": {"k": "list", "d": "2025-03-01"}, "p": 2}
    Retry                                          {"c": {"k": "status", "l": "1042", "s": "Quote"}}
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, Self, assert_never, get_args

from leadbot.leads import grammar

_LEGACY_SEPARATOR = "|"  # menus posted before values were typed: "1042|Quote" and "delete|1042"


class BadValue(ValueError):
    """A button or option value leadbot can't read: damaged, or from an older leadbot."""


def _dump(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _load(value: str) -> dict[str, Any]:
    try:
        data = json.loads(value)
    except ValueError:
        raise BadValue(value[:100]) from None
    if not isinstance(data, dict):
        raise BadValue(value[:100])
    return data


def _lead_id(data: dict[str, Any]) -> str:
    match data:
        case {"l": str(lead_id)} if grammar.is_lead_id(lead_id):
            return lead_id
    raise BadValue(str(data)[:100])


@dataclass(frozen=True)
class LeadButton:
    """A button about one lead; its action ID says what it does."""

    lead_id: str

    def to_value(self) -> str:
        return _dump({"l": self.lead_id})

    @classmethod
    def from_value(cls, value: str) -> Self:
        if grammar.is_lead_id(value):  # cards posted before values were typed carry the bare lead ID
            return cls(value)
        return cls(_lead_id(_load(value)))


class OpenButton(LeadButton):
    """Open / View: the lead's card, for the person who clicked."""


class EditButton(LeadButton):
    """Edit: the edit form."""


class DeleteButton(LeadButton):
    """Delete (behind Slack's confirm dialog): the one button that deletes."""


class ShareButton(LeadButton):
    """Share in channel: the card, posted for everyone."""


class ClaimButton(LeadButton):
    """Claim on an alert card: the first to press it calls the customer."""


@dataclass(frozen=True)
class OwnerButton:
    """A button that changes a lead's owner: the lead, and the owner the card showed (the change is refused
    if the owner moved since)."""

    lead_id: str
    owner: str

    def to_value(self) -> str:
        return _dump({"l": self.lead_id, "w": self.owner})

    @classmethod
    def from_value(cls, value: str) -> Self:
        data = _load(value)
        match data:
            case {"w": str(owner)} if owner:
                return cls(_lead_id(data), owner)
        raise BadValue(value[:100])


class UnclaimButton(OwnerButton):
    """Unclaim: the owner (or an admin or manager) gives the lead back."""


class ReassignButton(OwnerButton):
    """Reassign…: opens the modal that gives the lead to someone else."""


class CloseButton(LeadButton):
    """Close lead, after the last attempt: no more reminders."""


class KeepTryingButton(LeadButton):
    """Keep trying, after the last attempt: the lead stays open."""


Outcome = Literal["spoke", "no_answer", "voicemail", "emailed", "texted"]  # as store.ContactOutcome
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)


@dataclass(frozen=True)
class ContactOption:
    """One option of a card's Log contact menu: the lead and how the attempt went."""

    lead_id: str
    outcome: Outcome

    def to_value(self) -> str:
        return _dump({"l": self.lead_id, "o": self.outcome})

    @classmethod
    def from_value(cls, value: str) -> ContactOption:
        data = _load(value)
        outcome = data.get("o")
        for known in OUTCOMES:
            if outcome == known:
                return cls(_lead_id(data), known)
        raise BadValue(value[:100])


CardKind = Literal[
    "alert", "digest", "show", "morning", "home"
]  # which message a card's control was clicked in
CARD_KINDS: tuple[CardKind, ...] = get_args(CardKind)


@dataclass(frozen=True)
class ReassignMemory:
    """What the Reassign… modal remembers (its private_metadata): the lead, its owner when the modal opened
    (the change is refused if that moved meanwhile), and the message to re-render afterwards."""

    lead_id: str
    owner: str | None
    channel: str = ""
    ts: str = ""
    response_url: str = ""
    kind: CardKind = "alert"

    def to_value(self) -> str:
        data = {"l": self.lead_id, "w": self.owner, "c": self.channel, "t": self.ts, "u": self.response_url}
        return _dump(data | {"k": self.kind})

    @classmethod
    def from_value(cls, value: str) -> ReassignMemory:
        data = _load(value)
        match data:
            case {"w": str() | None as owner, "c": str(channel), "t": str(ts), "u": str(url), "k": str(kind)}:
                for known in CARD_KINDS:
                    if kind == known:
                        return cls(_lead_id(data), owner, channel, ts, url, known)
        raise BadValue(value[:100])


@dataclass(frozen=True)
class StatusOption:
    """One option of a card's status menu."""

    lead_id: str
    status: str

    def to_value(self) -> str:
        return _dump({"l": self.lead_id, "s": self.status})

    @classmethod
    def from_value(cls, value: str) -> StatusOption:
        lead_id, separator, status = value.partition(_LEGACY_SEPARATOR)
        if separator and grammar.is_lead_id(lead_id) and status:
            return cls(lead_id, status)
        data = _load(value)
        match data:
            case {"s": str(status)} if status:
                return cls(_lead_id(data), status)
        raise BadValue(value[:100])


@dataclass(frozen=True)
class AlertDeleteOption:
    """The alert card's overflow option Delete…: asks, as `/leads delete` does."""

    lead_id: str

    def to_value(self) -> str:
        return _dump({"a": "delete", "l": self.lead_id})

    @classmethod
    def from_value(cls, value: str) -> AlertDeleteOption:
        verb, separator, lead_id = value.partition(_LEGACY_SEPARATOR)
        if separator and verb == "delete" and grammar.is_lead_id(lead_id):
            return cls(lead_id)
        data = _load(value)
        if data.get("a") != "delete":
            raise BadValue(value[:100])
        return cls(_lead_id(data))


@dataclass(frozen=True)
class PageButton:
    """Previous / Next under a list: the same query, another page."""

    query: grammar.Query
    page: int

    def to_value(self) -> str:
        return _dump({"q": command_data(self.query), "p": self.page})

    @classmethod
    def from_value(cls, value: str) -> PageButton:
        match _load(value):
            case {"q": dict(query), "p": int(page)} if page >= 1:
                command = command_from(query)
                if isinstance(command, grammar.ListLeads | grammar.FindLeads):
                    return cls(command, page)
        raise BadValue(value[:100])


@dataclass(frozen=True)
class RetryButton:
    """Retry under a failure: the command that failed, run again."""

    command: grammar.Command

    def to_value(self) -> str:
        return _dump({"c": command_data(self.command)})

    @classmethod
    def from_value(cls, value: str) -> RetryButton:
        match _load(value):
            case {"c": dict(command)}:
                return cls(command_from(command))
        raise BadValue(value[:100])


def command_data(command: grammar.Command) -> dict[str, Any]:
    """A command as short-keyed JSON data (`k` its kind)."""
    match command:
        case grammar.Help():
            return {"k": "help"}
        case grammar.ListLeads(since=since):
            return {"k": "list", "d": since.isoformat()}
        case grammar.FindLeads(text=text):
            return {"k": "find", "t": text}
        case grammar.ShowLead(lead_id=lead_id):
            return {"k": "show", "l": lead_id}
        case grammar.CreateLead():
            return {"k": "new"}
        case grammar.EditLead(lead_id=lead_id):
            return {"k": "edit", "l": lead_id}
        case grammar.SetStatus(lead_id=lead_id, status=status):
            return {"k": "status", "l": lead_id, "s": status}
        case grammar.DeleteLead(lead_id=lead_id):
            return {"k": "delete", "l": lead_id}
        case grammar.WhoAmI():
            return {"k": "whoami"}
        case grammar.MapEmail(user_id=user_id, email=email):
            return {"k": "map", "u": user_id, "e": email}
        case grammar.UnmapEmail(user_id=user_id):
            return {"k": "unmap", "u": user_id}
        case _:
            assert_never(command)


def command_from(data: dict[str, Any]) -> grammar.Command:
    """The command `command_data` wrote; BadValue for anything else."""
    match data:
        case {"k": "help"}:
            return grammar.Help()
        case {"k": "list", "d": str(since)}:
            return grammar.ListLeads(_date(since))
        case {"k": "find", "t": str(text)} if len(text) >= 2:
            return grammar.FindLeads(text)
        case {"k": "show"}:
            return grammar.ShowLead(_lead_id(data))
        case {"k": "new"}:
            return grammar.CreateLead()
        case {"k": "edit"}:
            return grammar.EditLead(_lead_id(data))
        case {"k": "status", "s": str(status)} if status:
            return grammar.SetStatus(_lead_id(data), status)
        case {"k": "delete"}:
            return grammar.DeleteLead(_lead_id(data))
        case {"k": "whoami"}:
            return grammar.WhoAmI()
        case {"k": "map", "u": str(user_id), "e": str(email)} if user_id and email:
            return grammar.MapEmail(user_id, email)
        case {"k": "unmap", "u": str(user_id)} if user_id:
            return grammar.UnmapEmail(user_id)
    raise BadValue(str(data)[:100])


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadValue(text[:100]) from None
