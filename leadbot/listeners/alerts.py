"""The alert card's own controls: Claim, and the overflow menu's Delete… (which asks again first)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from leadbot import ids, texts
from leadbot.alerts.cards import lead_of, render_card
from leadbot.blocks.alerts import ALREADY_CLAIMED
from leadbot.blocks.messages import build_delete_prompt, mark_sandbox
from leadbot.blocks.text import safe
from leadbot.deps import Deps
from leadbot.heatpunk import Lead

logger = logging.getLogger(__name__)


def _where(body: dict[str, Any]) -> tuple[str, str, str | None]:
    """(user, channel, message ts) of a click on a message."""
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id") or ""
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts")
    return (body.get("user") or {}).get("id", ""), str(channel), ts


def claim_lead(deps: Deps, client: WebClient, body: dict[str, Any], lead_id: str) -> None:
    """Records the first claimer and re-renders the card; a later claimer is told who was first."""
    user, channel, ts = _where(body)
    try:
        claim = deps.store.claim(lead_id, user, now=deps.clock())
        if claim.user_id != user:
            text = ALREADY_CLAIMED.format(lead_id=safe(lead_id, 60), user=claim.user_id)
            client.chat_postEphemeral(channel=channel, user=user, text=text)
        else:
            logger.info("Lead %s claimed by %s", lead_id, user)
        card = render_card(deps.store, lead_id, statuses=deps.settings.leadbot_statuses, sandbox=deps.sandbox)
        if card is not None and ts:
            client.chat_update(channel=channel, ts=ts, text=card.text, blocks=card.blocks)
    except SlackApiError:
        logger.exception("Failed to show the claim of lead %s", lead_id)
    except Exception:
        logger.exception("Failed to claim lead %s", lead_id)


def ask_delete(deps: Deps, client: WebClient, body: dict[str, Any], lead_id: str) -> None:
    """An ephemeral "are you sure?" with the one danger button (ids.DELETE_LEAD) that deletes."""
    user, channel, _ = _where(body)
    try:
        deleters = deps.settings.leadbot_deleters
        if deleters and user not in deleters:
            client.chat_postEphemeral(channel=channel, user=user, text=texts.NOT_A_DELETER)
            return
        seen = deps.store.seen_lead(lead_id)
        lead = (lead_of(seen) if seen else None) or Lead(id=lead_id, date_created=deps.clock())
        prompt = build_delete_prompt(lead)
        blocks = mark_sandbox(prompt["blocks"]) if deps.sandbox else prompt["blocks"]
        client.chat_postEphemeral(channel=channel, user=user, text=prompt["text"], blocks=blocks)
    except Exception:
        logger.exception("Failed to ask about deleting lead %s", lead_id)


def register(app: App, deps: Deps) -> None:
    """Wires Claim and the alert overflow menu; both ack first and work on `deps.work`."""

    def handle_claim(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        deps.work.submit(claim_lead, deps, client, body, str(action.get("value", "")))

    def handle_alert_menu(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        value = str((action.get("selected_option") or {}).get("value", ""))
        verb, _, lead_id = value.partition(ids.BLOCK_SEPARATOR)
        if verb == ids.ALERT_MENU_DELETE and lead_id:
            deps.work.submit(ask_delete, deps, client, body, lead_id)

    app.action(ids.CLAIM_LEAD)(handle_claim)
    app.action(ids.ALERT_MENU)(handle_alert_menu)
