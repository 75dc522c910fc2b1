"""The alert card's own controls: Claim, and the overflow menu's Delete… (`/leads delete`, as the clicker)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from leadbot import ids
from leadbot.alerts.cards import render_card
from leadbot.blocks.text import safe
from leadbot.deps import Deps
from leadbot.leads.identity import NoEmail
from leadbot.listeners.actions import invocation_from
from leadbot.listeners.runner import CommandRunner
from leadbot.texts import ALREADY_CLAIMED

logger = logging.getLogger(__name__)


def _where(body: dict[str, Any]) -> tuple[str, str, str | None]:
    """(user, channel, message ts) of a click on a message."""
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id") or ""
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts")
    return (body.get("user") or {}).get("id", ""), str(channel), ts


def record_claim(deps: Deps, lead_id: str, user: str) -> None:
    """Claims go in the audit log like every other change made through leadbot."""
    try:
        email = deps.identity.email_for(user).email
    except NoEmail:
        email = ""
    deps.store.record_audit(
        slack_user=user, email=email, action="claim", lead_id=lead_id, before=None, after={"claimed_by": user}
    )


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
            record_claim(deps, lead_id, user)
        card = render_card(deps.store, lead_id, statuses=deps.settings.leadbot_statuses)
        if card is not None and ts:
            client.chat_update(channel=channel, ts=ts, text=card.text, blocks=card.blocks)
    except SlackApiError:
        logger.exception("Failed to show the claim of lead %s", lead_id)
    except Exception:
        logger.exception("Failed to claim lead %s", lead_id)


def register(app: App, runner: CommandRunner) -> None:
    """Wires Claim and the alert overflow menu; both ack first and work on `deps.work`."""
    deps = runner.deps

    def handle_claim(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        deps.work.submit(claim_lead, deps, client, body, str(action.get("value", "")))

    def handle_alert_menu(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        value = str((action.get("selected_option") or {}).get("value", ""))
        verb, _, lead_id = value.partition(ids.BLOCK_SEPARATOR)
        if verb == ids.ALERT_MENU_DELETE and lead_id:
            runner.rerun(f"delete {lead_id}", invocation_from(body))

    app.action(ids.CLAIM_LEAD)(handle_claim)
    app.action(ids.ALERT_MENU)(handle_alert_menu)
