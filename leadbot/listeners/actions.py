"""Buttons and menus on lead cards and lists: open, page, retry, edit, set status, delete, share."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from leadbot import ids, texts
from leadbot.blocks.messages import build_notice, build_shared_card
from leadbot.blocks.text import escape
from leadbot.heatpunk import Lead
from leadbot.leads.identity import ActingEmail
from leadbot.listeners.replies import Invocation, Reply, reply_failure, run_as_user
from leadbot.listeners.runner import CommandRunner
from leadbot.slack.client import slack_error_code

logger = logging.getLogger(__name__)


def invocation_from(body: dict[str, Any]) -> Invocation:
    """Who clicked, where, and how to answer them."""
    return Invocation(
        user_id=(body.get("user") or {}).get("id", ""),
        channel_id=(body.get("channel") or {}).get("id"),
        trigger_id=body.get("trigger_id"),
        response_url=body.get("response_url"),
    )


def register(app: App, runner: CommandRunner) -> None:
    deps = runner.deps

    def handle_retry(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        """Runs the command that failed again."""
        ack()
        runner.rerun(str(action.get("value", "")), invocation_from(body))

    def handle_page(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        """Previous / Next: fetch again (as the clicker) and replace the list with the asked page."""
        ack()
        try:
            state = json.loads(action.get("value") or "{}")
            text, page = str(state["c"]), int(state["p"])
        except (ValueError, KeyError, TypeError):
            return
        runner.rerun(text, invocation_from(body).with_page(page))

    def handle_open(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        runner.rerun(f"show {action.get('value', '')}", invocation_from(body))

    def handle_edit(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        """Opens the edit modal at once (the trigger ID expires in 3 s), then fills it."""
        ack()
        runner.open_edit_form(str(action.get("value", "")), invocation_from(body))

    def handle_set_status(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        value = str((action.get("selected_option") or {}).get("value", ""))
        lead_id, _, status = value.partition("|")
        invocation = invocation_from(body)
        reply = Reply(invocation, deps.responder)

        def job(acting: ActingEmail) -> None:
            words = runner.set_status(acting, invocation.user_id, lead_id, status)
            reply.send(build_notice(words), replace_original=False)

        run_as_user(
            deps, invocation.user_id, "set a status", job, reply_failure(reply, f"status {lead_id} {status}")
        )

    def handle_delete(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        """The only path that deletes: a danger button the person confirmed in Slack's dialog."""
        ack()
        invocation = invocation_from(body)
        reply = Reply(invocation, deps.responder)
        if not runner.can_delete(invocation.user_id):
            reply.send(build_notice(texts.NOT_A_DELETER), replace_original=False)
            return
        lead_id = str(action.get("value", ""))

        def job(acting: ActingEmail) -> None:
            lead = runner.lookup(acting, lead_id)
            deps.heatpunk.delete(lead_id, acting.email)
            deps.store.record_audit(
                slack_user=invocation.user_id,
                email=acting.email,
                action="delete",
                lead_id=lead_id,
                before=lead.api_fields(),
                after=None,
            )
            name = escape(lead.customer_name or "no name")
            words = texts.DELETED.format(lead_id=escape(lead_id), name=name, user=invocation.user_id)
            reply.send(build_notice(words), replace_original=True)

        run_as_user(deps, invocation.user_id, "delete a lead", job, reply_failure(reply, None))

    def handle_share(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        """Posts the card (as the sharer saw it) to the channel, for everyone."""
        ack()
        invocation = invocation_from(body)
        reply = Reply(invocation, deps.responder)
        lead_id = str(action.get("value", ""))

        def job(acting: ActingEmail) -> None:
            share(client, runner.lookup(acting, lead_id), invocation, reply)

        run_as_user(deps, invocation.user_id, "share a lead", job, reply_failure(reply, None))

    def share(client: WebClient, lead: Lead, invocation: Invocation, reply: Reply) -> None:
        card = build_shared_card(lead, user_id=invocation.user_id, statuses=deps.settings.leadbot_statuses)
        try:
            client.chat_postMessage(channel=invocation.channel_id or "", **card.payload())
        except SlackApiError as error:
            code = escape(slack_error_code(error) or "error")
            reply.send(build_notice(texts.SHARE_FAILED.format(error=code)), replace_original=False)
            return
        reply.send(build_notice(f"Shared lead {escape(lead.id)} in the channel."), replace_original=False)

    app.action(ids.RETRY)(handle_retry)
    app.action(ids.PAGE_PREVIOUS)(handle_page)
    app.action(ids.PAGE_NEXT)(handle_page)
    app.action(ids.OPEN_LEAD)(handle_open)
    app.action(ids.EDIT_LEAD)(handle_edit)
    app.action(ids.SET_STATUS)(handle_set_status)
    app.action(ids.DELETE_LEAD)(handle_delete)
    app.action(ids.SHARE_LEAD)(handle_share)
