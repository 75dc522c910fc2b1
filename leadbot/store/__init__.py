"""The state store: leads seen, the alert outbox, claims, email overrides, audit log, lease, poll state."""

from leadbot.store.engine import normalise_url
from leadbot.store.records import (
    Alert,
    AlertKind,
    AuditEntry,
    Claim,
    CycleWrite,
    Health,
    KnownLead,
    LeadIn,
    Lease,
    LeaseLost,
    NewAlert,
    PollState,
    SeenLead,
)
from leadbot.store.store import Store

__all__ = [
    "Alert",
    "AlertKind",
    "AuditEntry",
    "Claim",
    "CycleWrite",
    "Health",
    "KnownLead",
    "LeadIn",
    "Lease",
    "LeaseLost",
    "NewAlert",
    "PollState",
    "SeenLead",
    "Store",
    "normalise_url",
]
