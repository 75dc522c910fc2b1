"""Renders a message from what the store knows now, so every update of a card shows its latest state."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from pydantic import ValidationError

from leadbot.blocks.alerts import CardState, build_alert_card, build_digest
from leadbot.blocks.kit import Message
from leadbot.heatpunk import Lead
from leadbot.store import Alert, SeenLead, Store

logger = logging.getLogger(__name__)


def lead_of(seen: SeenLead) -> Lead | None:
    """The lead from its stored snapshot (None if the snapshot can't be read)."""
    try:
        return Lead.model_validate(seen.data)
    except ValidationError:
        logger.exception("Failed to read the stored snapshot of lead %s", seen.lead_id)
        return None


def render_card(
    store: Store,
    lead_id: str,
    *,
    statuses: Sequence[str],
    updated_at: datetime | None = None,
) -> Message | None:
    """The one-lead card as it should look now: claimed? changed? deleted?"""
    seen = store.seen_lead(lead_id)
    lead = lead_of(seen) if seen else None
    if seen is None or lead is None:
        return None
    claim = store.claim_for(lead_id)
    updated_at = updated_at or seen.changed_at
    state: CardState = "deleted" if seen.gone else ("changed" if updated_at else "new")
    return build_alert_card(
        lead,
        statuses=statuses,
        claimed_by=claim.user_id if claim else None,
        claimed_at=claim.claimed_at if claim else None,
        state=state,
        updated_at=updated_at,
    )


def render_digest(store: Store, alert: Alert) -> Message:
    """A digest in its payload's order, deleted leads struck through."""
    members = {seen.lead_id: seen for seen in store.leads_on_card(alert.id)}
    lines: list[tuple[Lead, bool]] = []
    for lead_id in alert.payload.get("lead_ids", []):
        seen = members.get(str(lead_id))
        lead = lead_of(seen) if seen else None
        if seen is not None and lead is not None:
            lines.append((lead, seen.gone))
    return build_digest(lines)


def render_card_message(
    store: Store, card: Alert, *, statuses: Sequence[str], updated_at: datetime | None = None
) -> Message | None:
    """Whatever message `card` is (one lead's card or a digest), rendered afresh."""
    if card.kind == "digest":
        return render_digest(store, card)
    if card.lead_id is None:
        return None
    return render_card(store, card.lead_id, statuses=statuses, updated_at=updated_at)
