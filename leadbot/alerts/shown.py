"""`/leads show` cards people have open follow the lead: when the poller sees it change (or go), each card shown
in the last half hour is replaced through its response_url, rendered for the person who opened it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from leadbot import texts
from leadbot.alerts.cards import card_clock, creator_of, lead_of, timing_of
from leadbot.blocks.kit import Message
from leadbot.blocks.messages import build_lead_message, build_notice
from leadbot.blocks.text import escape
from leadbot.leads.permissions import card_buttons
from leadbot.settings import Settings
from leadbot.slack.respond import Responder
from leadbot.store import Alert, Store

logger = logging.getLogger(__name__)

# Slack lets a response_url replace its message for 30 minutes (and 5 times): older cards are left as they are.
SHOWN_FOR = timedelta(minutes=30)


class ShownCards:
    """Replaces shown cards (remembered by the `/leads show` listener) when their lead changes."""

    def __init__(
        self, store: Store, responder: Responder, settings: Settings, clock: Callable[[], datetime]
    ) -> None:
        self._store, self._responder, self._settings, self._clock = store, responder, settings, clock

    def after_sent(self, alert: Alert) -> None:
        """After a change or deletion note went out: every card of that lead still replaceable, replaced."""
        if alert.kind not in ("changed", "deleted") or not alert.lead_id:
            return
        now = self._clock()
        for card in self._store.shown_cards(alert.lead_id, since=now - SHOWN_FOR):
            try:
                message = self._card(alert.lead_id, card.user_id, deleted=alert.kind == "deleted", now=now)
                if message is not None:
                    self._responder.send(card.response_url, message.payload(), replace_original=True)
            except Exception:  # the card may be gone or spent: the alert is sent whatever happens here
                logger.info("Could not replace a shown card of lead %s", alert.lead_id, exc_info=True)

    def _card(self, lead_id: str, user_id: str, *, deleted: bool, now: datetime) -> Message | None:
        seen = self._store.seen_lead(lead_id)
        lead = lead_of(seen) if seen is not None else None
        if deleted or seen is None or seen.gone:
            return build_notice(texts.SHOWN_DELETED.format(lead_id=escape(lead_id)))
        if lead is None:
            return None
        settings = self._settings
        return build_lead_message(
            lead,
            statuses=settings.leadbot_statuses,
            buttons=card_buttons(settings, user_id),
            clock=card_clock(self._store, lead_id, timing_of(settings, now)),
            created_by=creator_of(self._store, lead),
        )
