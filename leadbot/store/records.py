"""Plain frozen records the store hands out and takes in, so callers never hold an ORM session."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

R = TypeVar("R", bound="DataclassInstance")

# new, digest: top-level alerts; changed, deleted: card update + thread note; notice: a line in a channel;
# dm: a message to one person (channel = their user ID); step: a ladder step's card update + thread note;
# morning: the working morning's overnight leads; report: the weekly speed-to-lead report (figures at send time).
AlertKind = Literal["new", "digest", "changed", "deleted", "notice", "dm", "step", "morning", "report"]
AlertState = Literal["pending", "posting", "sent", "parked"]
HealthSource = Literal["poll", "slack"]

PENDING: AlertState = "pending"
POSTING: AlertState = "posting"
SENT: AlertState = "sent"
PARKED: AlertState = "parked"  # failed the same way again and again, and surely never posted: never retried
DONE = (SENT, PARKED)


def from_row(record: type[R], row: object) -> R:
    """The record, each field read from the ORM row's attribute of the same name."""
    return record(**{item.name: getattr(row, item.name) for item in fields(record)})


class LeaseLost(Exception):
    """This process no longer holds the poller lease: another instance took over; drop the work."""


@dataclass(frozen=True)
class AuditEntry:
    """One change made through leadbot."""

    id: int
    at: datetime
    slack_user: str
    email: str
    action: str
    lead_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class SeenLead:
    """A lead as the poller last saw it; `data` is the lead's JSON snapshot."""

    lead_id: str
    created_at: datetime
    fingerprint: str
    status: str | None
    data: dict[str, Any]
    first_seen: datetime
    last_seen: datetime
    gone: bool
    card_alert_id: int | None
    changed_at: datetime | None = None  # when Heatpunk last changed it, as the poller saw
    missing_since: datetime | None = None  # first fetch that lacked it, while not yet confirmed gone


@dataclass(frozen=True)
class KnownLead:
    """What a poll cycle compares against: no snapshot (those are loaded for changed leads only)."""

    lead_id: str
    created_at: datetime
    fingerprint: str
    gone: bool
    card_alert_id: int | None
    missing_since: datetime | None = None  # a fetch that should have held it didn't: gone if the next agrees


@dataclass(frozen=True)
class LeadIn:
    """A lead to record (new) or re-record (changed) in a poll cycle."""

    lead_id: str
    created_at: datetime
    fingerprint: str
    status: str | None
    data: dict[str, Any]


@dataclass(frozen=True)
class NewAlert:
    """An outbox entry to queue; the leads in `card_for` will point at it as the message that shows them."""

    kind: AlertKind
    channel: str
    payload: dict[str, Any]
    lead_id: str | None = None
    card_for: Sequence[str] = ()


@dataclass(frozen=True)
class CycleWrite:
    """Everything one poll cycle found, written in one transaction with its alerts."""

    new: Sequence[LeadIn] = ()
    changed: Sequence[LeadIn] = ()
    seen: Sequence[str] = ()
    # Every lead stored from here on, not gone and not missing, was in the fetch: marked seen by range, to
    # within LAST_SEEN_GRAIN (store/leads.py); `seen` lists the ones outside it, marked seen exactly.
    seen_since: datetime | None = None
    missing: Sequence[str] = ()
    gone: Sequence[str] = ()
    alerts: Sequence[NewAlert] = ()
    newest_created: datetime | None = None
    deep_sync: bool = False
    first_run_done: bool = True
    clocks: Sequence[ClockIn] = ()  # new leads' clocks (a lead that has one already keeps it)
    markers: Mapping[str, str | None] = field(default_factory=dict)  # e.g. the round-robin cursor


@dataclass(frozen=True)
class Alert:
    """One outbox entry as stored."""

    id: int
    key: str
    lead_id: str | None
    channel: str
    kind: AlertKind
    payload: dict[str, Any]
    state: AlertState
    message_ts: str | None
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None  # for a parked entry: when it was set aside
    repeats: int = 0  # failures in a row with the same cause (last_error)


@dataclass(frozen=True)
class Health:
    """Failure streaks and whether the admin channel has been told."""

    poll_failures: int = 0
    slack_failures: int = 0
    cause: str | None = None
    posted: bool = False


@dataclass(frozen=True)
class PollState:
    """The poller's memory between cycles."""

    first_run_done: bool
    newest_created: datetime | None
    last_deep_sync: datetime | None
    last_success: datetime | None
    health: Health = field(default_factory=Health)
    last_deep_try: datetime | None = None  # when a deep sync last started, whether or not it worked


@dataclass(frozen=True)
class Claim:
    """Who claimed a lead, and when."""

    lead_id: str
    user_id: str
    claimed_at: datetime


ContactOutcome = Literal["spoke", "no_answer", "voicemail", "emailed", "texted"]
CONTACT_OUTCOMES: tuple[ContactOutcome, ...] = ("spoke", "no_answer", "voicemail", "emailed", "texted")
LEADBOT_ACTOR = "leadbot"  # what lead_events name as the actor of routing and the ladder
HEATPUNK_ACTOR = (
    "heatpunk"  # ... and of a status change the poller saw (who made it is in the audit log if it
)
# was made through leadbot)


@dataclass(frozen=True)
class LeadClock:
    """A lead's owner and its clock until first contact."""

    lead_id: str
    arrived_at: datetime
    out_of_hours: bool
    timed: bool
    owner: str | None
    owner_since: datetime | None
    clock_from: datetime
    ladder_done: int
    first_contact_at: datetime | None
    reached_at: datetime | None
    attempts: int
    retry_due_at: datetime | None
    asked_to_close: bool
    closed: bool
    version: int

    @property
    def contacted(self) -> bool:
        return self.first_contact_at is not None


@dataclass(frozen=True)
class ClockIn:
    """A clock to start as a lead arrives (in the poll cycle that finds it, or as leadbot creates it)."""

    lead_id: str
    arrived_at: datetime
    out_of_hours: bool = False
    owner: str | None = None
    how: str = "arrived"  # the event: arrived, assigned (routing), created (through leadbot)
    actor: str = LEADBOT_ACTOR


@dataclass(frozen=True)
class LeadEvent:
    """One thing that happened to a lead: who did what, owner before → after."""

    id: int
    lead_id: str
    at: datetime
    actor: str
    kind: str
    owner_before: str | None
    owner_after: str | None
    detail: dict[str, Any] | None


@dataclass(frozen=True)
class OwnerChange:
    """The outcome of a claim, unclaim or reassignment: whether it took, and the clock as it is now."""

    done: bool
    clock: LeadClock | None


@dataclass(frozen=True)
class ShownCard:
    """A `/leads show` card someone has open: whose, and where to replace it."""

    lead_id: str
    user_id: str
    response_url: str
    shown_at: datetime


@dataclass(frozen=True)
class Lease:
    """The poller lease as stored."""

    name: str
    holder: str | None
    expires_at: datetime
