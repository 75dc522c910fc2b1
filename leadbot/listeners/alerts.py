"""The alert card's own controls: Claim, and the overflow menu's Delete… (asks, as `/leads delete` does)."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk.errors import SlackApiError

from leadbot import ids, texts
from leadbot.blocks.messages import build_notice
from leadbot.blocks.text import escape, safe
from leadbot.blocks.values import AlertDeleteOption, ClaimButton
from leadbot.leads import commands
from leadbot.leads.context import Deps
from leadbot.leads.grammar import DeleteLead
from leadbot.listeners.commands import rerun
from leadbot.listeners.owners import CardAt, card_at, refresh
from leadbot.listeners.replies import Click, read_click

logger = logging.getLogger(__name__)


def handle_claim(ack: Ack, body: dict[str, Any], action: dict[str, Any], deps: Deps) -> None:
    """Claim (on an alert card, a digest row or a `/leads show` card): the first claimer is recorded and the
    card re-rendered; a later one is told who was first."""
    ack()
    if (click := read_click(ClaimButton.from_value, body, action, deps)) is None:
        return
    deps.work.submit(claim, click, card_at(body, action), deps)


def claim(click: Click[ClaimButton], at: CardAt, deps: Deps) -> None:
    """The slow part of Claim, after the ack: record, tell a later claimer, update the card in place; a
    Claim naming a lead leadbot never alerted (stale or forged) is refused in words."""
    lead_id, user = click.value.lead_id, click.invocation.user_id
    try:
        holder = commands.claim_lead(deps, user, lead_id)
        if holder is None:
            click.reply.send(build_notice(texts.CLAIM_UNKNOWN.format(lead_id=escape(lead_id))))
            return
        if holder.user_id != user:
            text = texts.ALREADY_CLAIMED.format(lead_id=safe(lead_id, 60), user=holder.user_id)
            if at.kind == "show":
                click.reply.send(build_notice(text), replace_original=False)
            else:
                deps.slack.chat_postEphemeral(channel=at.channel, user=user, text=text)
        refresh(deps, lead_id, user, at)
    except SlackApiError:
        logger.exception("Failed to show the claim of lead %s", lead_id)
    except Exception:
        logger.exception("Failed to claim lead %s", lead_id)


def handle_alert_menu(ack: Ack, body: dict[str, Any], action: dict[str, Any], deps: Deps) -> None:
    """The overflow menu's Delete…: the lead with a confirmed Delete button (overflows can't confirm)."""
    ack()
    if click := read_click(AlertDeleteOption.from_value, body, action, deps):
        rerun(DeleteLead(click.value.lead_id), click.invocation, deps)


def register(app: App, deps: Deps) -> None:
    """Claim and the alert overflow menu."""
    app.action(ids.CLAIM_LEAD)(partial(handle_claim, deps=deps))
    app.action(ids.ALERT_MENU)(partial(handle_alert_menu, deps=deps))
