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
from leadbot.blocks.messages import build_notice, build_shared_card
from leadbot.blocks.text import escape
from leadbot.blocks.values import DeleteButton, EditButton, OpenButton, ShareButton, StatusOption
from leadbot.deps import Deps
from leadbot.leads import commands
from leadbot.leads.commands import Asker
from leadbot.leads.grammar import SetStatus, ShowLead
from leadbot.leads.permissions import can_delete
from leadbot.listeners.commands import rerun
from leadbot.listeners.replies import Reply, clicked_value, invocation_from, reply_failure, run_as_user
from leadbot.listeners.views import open_edit_form
from leadbot.slack.client import slack_error_code

logger = logging.getLogger(__name__)


def handle_open(ack: Ack, body: dict[str, Any], action: dict[str, Any], deps: Deps) -> None:
    """Open (a list row) or View (a digest line): the lead's card, as `/leads show` gives it."""
    ack()
    invocation = invocation_from(body)
    clicked = clicked_value(OpenButton.from_value, action, invocation, deps)
    if clicked is not None:
        rerun(ShowLead(clicked.lead_id), invocation, deps)


def handle_edit(ack: Ack, body: dict[str, Any], action: dict[str, Any], deps: Deps) -> None:
    """Edit: opens the edit modal at once (the trigger ID expires in 3 s), then fills it."""
    ack()
    invocation = invocation_from(body)
    clicked = clicked_value(EditButton.from_value, action, invocation, deps)
    if clicked is not None:
        open_edit_form(clicked.lead_id, invocation, deps)


def handle_set_status(ack: Ack, body: dict[str, Any], action: dict[str, Any], deps: Deps) -> None:
    """The status menu: sets the chosen status, as `/leads status` does."""
    ack()
    invocation = invocation_from(body)
    chosen = clicked_value(StatusOption.from_value, action, invocation, deps)
    if chosen is not None:
        rerun(SetStatus(chosen.lead_id, chosen.status), invocation, deps)


def handle_delete(ack: Ack, body: dict[str, Any], action: dict[str, Any], deps: Deps) -> None:
    """The only path that deletes: a danger button the person confirmed in Slack's dialog."""
    ack()
    invocation = invocation_from(body)
    reply = Reply(invocation, deps.responder)
    clicked = clicked_value(DeleteButton.from_value, action, invocation, deps)
    if clicked is None:
        return
    if not can_delete(deps.settings, invocation.user_id):
        deps.work.submit(reply.send, build_notice(texts.NOT_A_DELETER), replace_original=False)
        return

    def job(asker: Asker) -> None:
        lead = commands.delete_lead(deps, asker, clicked.lead_id)
        name = escape(lead.customer_name or texts.NO_NAME)
        words = texts.DELETED.format(lead_id=escape(lead.id), name=name, user=asker.user_id)
        reply.send(build_notice(words), replace_original=True)

    run_as_user(deps, invocation.user_id, "delete a lead", job, reply_failure(reply, None))


def handle_share(ack: Ack, body: dict[str, Any], action: dict[str, Any], deps: Deps) -> None:
    """Share in channel: posts the card (as the sharer sees it) to the channel, for everyone."""
    ack()
    invocation = invocation_from(body)
    reply = Reply(invocation, deps.responder)
    clicked = clicked_value(ShareButton.from_value, action, invocation, deps)
    if clicked is None:
        return

    def job(asker: Asker) -> None:
        lead = commands.lookup(deps, asker, clicked.lead_id)
        card = build_shared_card(lead, user_id=asker.user_id, statuses=deps.settings.leadbot_statuses)
        try:
            deps.slack.chat_postMessage(channel=invocation.channel_id or "", **card.payload())
        except SlackApiError as error:
            code = escape(slack_error_code(error) or "error")
            reply.send(build_notice(texts.SHARE_FAILED.format(error=code)), replace_original=False)
            return
        reply.send(build_notice(texts.SHARED.format(lead_id=escape(lead.id))), replace_original=False)

    run_as_user(deps, invocation.user_id, "share a lead", job, reply_failure(reply, None))


def register(app: App, deps: Deps) -> None:
    """The lead card's and list row's controls."""
    app.action(ids.OPEN_LEAD)(partial(handle_open, deps=deps))
    app.action(ids.EDIT_LEAD)(partial(handle_edit, deps=deps))
    app.action(ids.SET_STATUS)(partial(handle_set_status, deps=deps))
    app.action(ids.DELETE_LEAD)(partial(handle_delete, deps=deps))
    app.action(ids.SHARE_LEAD)(partial(handle_share, deps=deps))
