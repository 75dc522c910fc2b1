"""What happened to one lead, oldest first: its events (arrival, owners, contacts, the ladder, status moves the
poller saw), its alerts in Slack, and the changes made through leadbot (the audit log), each with who did it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from leadbot import texts
from leadbot.blocks.owners import mention
from leadbot.blocks.reports import HistoryLine
from leadbot.blocks.team import is_slack_id
from leadbot.blocks.text import safe
from leadbot.store import Alert, AuditEntry, LeadEvent, Store
from leadbot.store.records import HEATPUNK_ACTOR, LEADBOT_ACTOR

AUDIT_SHOWN = 200  # the newest changes through leadbot that a history reads
COVERED = ("claim", "create")  # audit actions whose lead event says the same


def _who(user_id: str | None) -> str:
    if user_id and is_slack_id(user_id):
        return mention(user_id)
    return texts.OWNER_NOBODY


def event_words(event: LeadEvent) -> str:
    """One lead event in words (mrkdwn, escaped)."""
    detail: Mapping[str, Any] = event.detail or {}
    if event.kind == "contact":
        outcome = str(detail.get("outcome", ""))
        return texts.HISTORY_CONTACT.format(outcome=texts.CONTACT_OUTCOMES.get(outcome, safe(outcome, 40)))
    template = texts.HISTORY_EVENTS.get(event.kind)
    if template is None:
        return texts.HISTORY_OTHER.format(kind=safe(event.kind, 40))
    return template.format(
        before=_who(event.owner_before),
        after=_who(event.owner_after),
        minutes=safe(detail.get("after", ""), 20),
        before_status=safe(detail.get("from") or texts.HISTORY_NO_STATUS, 60),
        after_status=safe(detail.get("to") or texts.HISTORY_NO_STATUS, 60),
    )


def alert_line(alert: Alert) -> HistoryLine | None:
    """An alert that reached Slack (cards, change notes, DMs); None for ones that say nothing new."""
    if alert.sent_at is None or alert.message_ts is None:
        return None
    template = texts.HISTORY_ALERTS.get(alert.kind)
    if template is None:
        return None
    channel = alert.channel if is_slack_id(alert.channel) or alert.channel.isalnum() else ""
    reason = safe(alert.payload.get("reason", ""), 30)
    return HistoryLine(alert.sent_at, LEADBOT_ACTOR, template.format(channel=channel, reason=reason))


def audit_line(entry: AuditEntry) -> HistoryLine:
    if entry.action == "status":
        status = (entry.after or {}).get("status")
        what = texts.HISTORY_AUDIT_STATUS.format(status=safe(status or texts.HISTORY_NO_STATUS, 60))
    else:
        fields = ", ".join(sorted(str(name) for name in (entry.after or entry.before or {})))
        what = texts.HISTORY_AUDIT.format(action=safe(entry.action, 30), fields=safe(fields, 300))
    return HistoryLine(entry.at, entry.slack_user, what)


def history_lines(
    events: Sequence[LeadEvent], alerts: Sequence[Alert], audit: Sequence[AuditEntry]
) -> list[HistoryLine]:
    """Everything, oldest first. A status move the poller saw is credited to whoever set that status through
    leadbot before it (the audit log), and that audit entry is then not shown twice."""
    pending = sorted((entry for entry in audit if entry.action not in COVERED), key=lambda entry: entry.at)
    used: set[int] = set()
    lines: list[HistoryLine] = []
    for event in events:
        actor = event.actor
        if event.kind == "status" and actor == HEATPUNK_ACTOR and event.detail:
            to = event.detail.get("to")
            match = next(
                (
                    entry
                    for entry in reversed(pending)
                    if entry.action == "status"
                    and entry.id not in used
                    and entry.at <= event.at
                    and (entry.after or {}).get("status") == to
                ),
                None,
            )
            if match is not None:
                used.add(match.id)
                actor = match.slack_user
        lines.append(HistoryLine(event.at, actor, event_words(event)))
    lines.extend(line for line in map(alert_line, alerts) if line is not None)
    lines.extend(audit_line(entry) for entry in pending if entry.id not in used)
    return sorted(lines, key=lambda line: line.at)


def lead_history(store: Store, lead_id: str) -> list[HistoryLine]:
    """A lead's history from the store."""
    return history_lines(
        store.events(lead_id), store.alerts(lead_id=lead_id), store.audit_for(lead_id, limit=AUDIT_SHOWN)
    )
