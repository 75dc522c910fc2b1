"""Renders the ladder's DMs and the working morning's digest from what the store knows when they are sent."""

from __future__ import annotations

import logging
from datetime import datetime

from leadbot import texts
from leadbot.alerts.cards import lead_of, live_lead
from leadbot.blocks.kit import Message
from leadbot.blocks.owners import mention
from leadbot.blocks.reminders import (
    build_assigned_dm,
    build_escalation_dm,
    build_morning_digest,
    build_nudge_dm,
    build_retry_dm,
    build_stale_dm,
)
from leadbot.blocks.text import safe
from leadbot.heatpunk import Lead
from leadbot.store import Alert, LeadClock, Store

logger = logging.getLogger(__name__)


class Reminders:
    """dm and morning outbox entries → messages (None: nothing left to say, e.g. the lead is gone)."""

    def __init__(self, store: Store, *, max_attempts: int) -> None:
        self._store, self._max_attempts = store, max_attempts

    def compose(self, alert: Alert) -> Message | None:
        if alert.kind == "morning":
            return self._morning(alert)
        payload = alert.payload
        reason = str(payload.get("reason", ""))
        if reason == "stale":
            return self._stale(alert)
        lead = self._lead(alert.lead_id)
        if lead is None:
            return None
        minutes = str(payload["minutes"]) if payload.get("minutes") else None
        match reason:
            case "assigned":
                why = texts.ROUTED_BY.format(reason=safe(payload.get("why", ""), 200))
                return build_assigned_dm(lead, why=why, minutes=minutes)
            case "reassigned":
                by = payload.get("by")
                why = texts.REASSIGNED_BY.format(user=safe(by, 30)) if by else str(payload.get("why", ""))
                return build_assigned_dm(lead, why=why, minutes=minutes, reassigned=True)
            case "nudge":
                return build_nudge_dm(lead, minutes=minutes or "—")
            case "escalate":
                clock = self._store.clock(lead.id)
                return build_escalation_dm(lead, minutes=minutes or "—", owner=clock.owner if clock else None)
            case "retry":
                attempt = int(payload.get("attempt", 1))
                return build_retry_dm(
                    lead, attempt=attempt, most=int(payload.get("most", self._max_attempts))
                )
        logger.warning("Outbox entry %d: no DM of kind %r", alert.id, reason)
        return None

    def _lead(self, lead_id: str | None) -> Lead | None:
        return live_lead(self._store, lead_id) if lead_id else None

    def _stale(self, alert: Alert) -> Message | None:
        rows: list[tuple[Lead, datetime]] = []
        for lead_id in alert.payload.get("lead_ids", []):
            seen = self._store.seen_lead(str(lead_id))
            lead = lead_of(seen) if seen is not None and not seen.gone else None
            if seen is not None and lead is not None:
                rows.append((lead, seen.changed_at or seen.first_seen))
        return build_stale_dm(rows, days=int(alert.payload.get("days", 7))) if rows else None

    def _morning(self, alert: Alert) -> Message | None:
        ids = [str(lead_id) for lead_id in alert.payload.get("lead_ids", [])]
        clocks = self._store.clocks(ids)
        rows: list[tuple[Lead, str, bool]] = []
        for lead_id in ids:
            lead, clock = self._lead(lead_id), clocks.get(lead_id)
            if lead is None or clock is None or clock.closed:
                continue
            rows.append((lead, owner_words(clock), clock.owner is None))
        return build_morning_digest(rows) if rows else None


def owner_words(clock: LeadClock) -> str:
    """Who has the lead now, in the morning digest's words."""
    if clock.owner is None:
        return texts.MORNING_UNOWNED
    return texts.MORNING_OWNED.format(owner=mention(clock.owner))
