"""The buttons and menu on a lead card or list row: Open, Edit, the status menu, Delete and Share.

Each reads ack → parse (the typed value; an unreadable one is answered in words) → act → render → reply.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk.errors import SlackApiError

from leadbot import ids, texts
from leadbot.alerts.cards import creator_of
from leadbot.blocks.messages import build_notice, build_shared_card
from leadbot.blocks.text import escape
from leadbot.blocks.values import DeleteButton, EditButton, OpenButton, ShareButton, StatusOption
from leadbot.leads import commands
from leadbot.leads.commands import Asker
from leadbot.leads.context import Deps
from leadbot.leads.grammar import SetStatus, ShowLead
from leadbot.leads.permissions import can_delete
from leadbot.listeners.commands import rerun
from leadbot.listeners.replies import Click, read_click, reply_failure, run_as_user
from leadbot.listeners.views import open_edit_form
from leadbot.slack.client import slack_error_code

logger = logging.getLogger(__name__)


def handle_open(ack: Ack, body: dict[str, Any], action: dict[str, Any], deps: Deps) -> None:
    """Open (a list row) or View (a digest line): the lead's card, as `/leads show` gives it."""
    ack()
    if click := read_click(OpenButton.from_value, body, action, deps):
        rerun(ShowLead(click.value.lead_id), click.invocation, deps)


def handle_edit(ack: Ack, body: dict[str, Any], action: dict[str, Any], deps: Deps) -> None:
    """Edit: opens the edit modal at once (the trigger ID expires in 3 s), then fills it."""
    ack()
    if click := read_click(EditButton.from_value, body, action, deps):
        open_edit_form(click.value.lead_id, click.invocation, deps)


def handle_set_status(ack: Ack, body: dict[str, Any], action: dict[str, Any], deps: Deps) -> None:
    """The status menu: sets the chosen status, as `/leads status` does."""
    ack()
    if click := read_click(StatusOption.from_value, body, action, deps):
        rerun(SetStatus(click.value.lead_id, click.value.status), click.invocation, deps)


def handle_delete(ack: Ack, body: dict[str, Any], action: dict[str, Any], deps: Deps) -> None:
    """The only path that deletes: a danger button the person confirmed in Slack's dialog."""
    ack()
    if (click := read_click(DeleteButton.from_value, body, action, deps)) is None:
        return
    user_id, reply = click.invocation.user_id, click.reply
    if not can_delete(deps.settings, user_id):
        deps.work.submit(reply.send, build_notice(texts.NOT_A_DELETER), replace_original=False)
        return
    run_as_user(deps, user_id, "delete a lead", partial(delete_lead, click, deps), reply_failure(reply, None))


def delete_lead(click: Click[DeleteButton], deps: Deps, asker: Asker) -> None:
    """The slow part of Delete, as the deleter: delete, then replace the prompt with what was deleted."""
    lead = commands.delete_lead(deps, asker, click.value.lead_id)
    name = escape(lead.customer_name or texts.NO_NAME)
    words = texts.DELETED.format(lead_id=escape(lead.id), name=name, user=asker.user_id)
    click.reply.send(build_notice(words), replace_original=True)


def handle_share(ack: Ack, body: dict[str, Any], action: dict[str, Any], deps: Deps) -> None:
    """Share in channel: posts the card (as the sharer sees it) to the channel, for everyone."""
    ack()
    if click := read_click(ShareButton.from_value, body, action, deps):
        share = partial(share_lead, click, deps)
        run_as_user(deps, click.invocation.user_id, "share a lead", share, reply_failure(click.reply, None))


def share_lead(click: Click[ShareButton], deps: Deps, asker: Asker) -> None:
    """The slow part of Share, as the sharer: their view of the lead, posted where they clicked."""
    lead = commands.lookup(deps, asker, click.value.lead_id)
    statuses = deps.settings.leadbot_statuses
    card = build_shared_card(
        lead, user_id=asker.user_id, statuses=statuses, created_by=creator_of(deps.store, lead)
    )
    try:
        deps.slack.chat_postMessage(channel=click.invocation.channel_id or "", **card.payload())
    except SlackApiError as error:
        code = escape(slack_error_code(error) or "error")
        click.reply.send(build_notice(texts.SHARE_FAILED.format(error=code)), replace_original=False)
        return
    click.reply.send(build_notice(texts.SHARED.format(lead_id=escape(lead.id))), replace_original=False)


def register(app: App, deps: Deps) -> None:
    """The lead card's and list row's controls."""
    app.action(ids.OPEN_LEAD)(partial(handle_open, deps=deps))
    app.action(ids.EDIT_LEAD)(partial(handle_edit, deps=deps))
    app.action(ids.SET_STATUS)(partial(handle_set_status, deps=deps))
    app.action(ids.DELETE_LEAD)(partial(handle_delete, deps=deps))
    app.action(ids.SHARE_LEAD)(partial(handle_share, deps=deps))
