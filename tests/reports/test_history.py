"""A lead's history from its events, alerts and audit entries: oldest first, each with who did it; a status
move the poller saw is credited to whoever set it through leadbot, and not shown twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from leadbot.reports.history import history_lines
from leadbot.store import Alert, AuditEntry, LeadEvent

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def event(n: int, kind: str, actor: str = "leadbot", **detail: object) -> LeadEvent:
    after = "U0ANN001" if kind in ("claimed", "assigned") else None
    return LeadEvent(n, "7", T0 + timedelta(minutes=n), actor, kind, None, after, dict(detail) or None)


def test_a_status_set_through_leadbot_is_credited_to_who_set_it() -> None:
    audit = [
        AuditEntry(
            1,
            T0 + timedelta(minutes=4),
            "U0BOB001",
            "b@x",
            "status",
            "7",
            {"status": "new"},
            {"status": "Quote"},
        ),
        AuditEntry(
            2, T0 + timedelta(minutes=6), "U0BOB001", "b@x", "edit", "7", {"notes": "a"}, {"notes": "<!here>"}
        ),
        AuditEntry(
            3, T0 + timedelta(minutes=2), "U0ANN001", "a@x", "claim", "7", None, {"claimed_by": "U0ANN001"}
        ),
    ]
    alerts = [
        Alert(1, "k", "7", "C0ALERTS", "new", {}, "sent", "1.1", 1, T0, None, T0, T0 + timedelta(seconds=30)),
        Alert(2, "k2", "7", "C0ALERTS", "step", {}, "sent", "1.2", 1, T0, None, T0, T0),  # says nothing new
    ]
    events = [
        event(0, "arrived"),
        event(2, "claimed", actor="U0ANN001"),
        event(3, "contact", actor="U0ANN001", outcome="voicemail"),
        event(5, "status", actor="heatpunk", **{"from": "new", "to": "Quote"}),
        event(8, "nudged", after="5 min"),
    ]
    lines = [(line.actor, line.what) for line in history_lines(events, alerts, audit)]
    assert lines == [
        ("leadbot", "Arrived"),
        ("leadbot", "Alert posted in <#C0ALERTS>"),
        ("U0ANN001", "Claimed by <@U0ANN001>"),
        ("U0ANN001", "Contact logged: Voicemail"),
        ("U0BOB001", "Status new → Quote"),
        ("U0BOB001", "Changed through leadbot (edit): notes"),
        ("leadbot", "Owner nudged after 5 min"),
    ]
