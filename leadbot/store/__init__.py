"""The state store: leads seen, the alert outbox, owners and clocks, email overrides, audit log, lease, poll state."""

from leadbot.store.engine import normalise_url
from leadbot.store.records import (
    Alert,
    AlertKind,
    AuditEntry,
    Claim,
    ClockIn,
    ContactOutcome,
    CycleWrite,
    Health,
    KnownLead,
    LeadClock,
    LeadEvent,
    LeadIn,
    Lease,
    LeaseLost,
    NewAlert,
    OwnerChange,
    PollState,
    SeenLead,
)
from leadbot.store.store import Store

__all__ = [
    "Alert",
    "AlertKind",
    "AuditEntry",
    "Claim",
    "ClockIn",
    "ContactOutcome",
    "CycleWrite",
    "Health",
    "KnownLead",
    "LeadClock",
    "LeadEvent",
    "LeadIn",
    "Lease",
    "LeaseLost",
    "NewAlert",
    "OwnerChange",
    "PollState",
    "SeenLead",
    "Store",
    "normalise_url",
]
