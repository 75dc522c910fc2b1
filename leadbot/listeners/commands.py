"""The `/leads` slash command, and the buttons that run a command again (Retry, Previous / Next).

Each reads ack → parse → act (leads/commands.py, as the person who asked) → render (blocks/) → reply.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App

from leadbot import ids, texts
from leadbot.alerts.cards import card_clock, clock_views, creator_of, timing_of
from leadbot.alerts.shown import SHOWN_FOR
from leadbot.blocks.kit import Message
from leadbot.blocks.messages import (
    build_delete_prompt,
    build_help,
    build_lead_message,
    build_leads_found,
    build_notice,
    build_refusal,
    build_usage,
    build_whoami,
)
from leadbot.blocks.text import escape
from leadbot.blocks.values import PageButton, RetryButton
from leadbot.leads import commands, grammar
from leadbot.leads.commands import Asker
from leadbot.leads.context import Deps
from leadbot.leads.permissions import Refusal, can_delete, card_buttons, is_admin, refusal
from leadbot.leads.report_grammar import REPORT_COMMANDS
from leadbot.listeners.replies import Invocation, Reply, read_click, reply_failure, run_as_user
from leadbot.listeners.reports import run_report_command
from leadbot.listeners.team import run_team_command
from leadbot.listeners.views import open_create_form, open_edit_form

logger = logging.getLogger(__name__)


def handle_leads_command(ack: Ack, command: dict[str, Any], deps: Deps) -> None:
    """Acks within milliseconds: help, usage and refusals go in the ack, everything slow after it."""
    user_id = command.get("user_id", "")
    try:
        parsed = grammar.parse_command(command.get("text", ""), commands.today(deps))
    except grammar.UsageError as error:
        ack(**build_usage(error.usage).payload(), response_type="ephemeral")
        return
    if isinstance(parsed, grammar.Help):
        ack(**build_help(admin=is_admin(deps.settings, user_id)).payload(), response_type="ephemeral")
        return
    refused = refusal(parsed, user_id, deps.settings)
    if refused is not None:
        ack(**build_refusal(refused).payload(), response_type="ephemeral")
        return
    ack()
    logger.info("/leads %s by %s", type(parsed).__name__, user_id)
    invocation = Invocation(
        user_id=user_id,
        channel_id=command.get("channel_id"),
        trigger_id=command.get("trigger_id"),
        response_url=command.get("response_url"),
    )
    if isinstance(parsed, grammar.TEAM_COMMANDS):
        run_team_command(parsed, invocation, deps)
        return
    if isinstance(parsed, REPORT_COMMANDS):
        run_report_command(parsed, invocation, deps)
        return
    run_command(parsed, invocation, deps)


def handle_retry(ack: Ack, body: dict[str, Any], action: dict[str, Any], deps: Deps) -> None:
    """Retry under a failure: the command that failed, checked and run again."""
    ack()
    if click := read_click(RetryButton.from_value, body, action, deps):
        rerun(click.value.command, click.invocation, deps)


def handle_page(ack: Ack, body: dict[str, Any], action: dict[str, Any], deps: Deps) -> None:
    """Previous / Next: the same list or search again (as the clicker), the asked page in place of the list."""
    ack()
    if click := read_click(PageButton.from_value, body, action, deps):
        rerun(click.value.query, click.invocation.replacing(), deps, page=click.value.page)


def rerun(command: grammar.Command, invocation: Invocation, deps: Deps, *, page: int = 1) -> None:
    """Runs a command a button carries after the checks the slash command makes: read again as if typed,
    then permissions (a refusal in words)."""
    try:
        command = grammar.retyped(command, commands.today(deps))
    except grammar.UsageError as error:
        refused: Refusal | None = error.usage
    else:
        refused = refusal(command, invocation.user_id, deps.settings)
    if refused is not None:
        reply = Reply(invocation, deps.responder)
        deps.work.submit(reply.send, build_refusal(refused), replace_original=False)
        return
    run_command(command, invocation, deps, page=page)


def run_command(command: grammar.Command, invocation: Invocation, deps: Deps, *, page: int = 1) -> None:
    """Starts a checked command: a form opens at once (its trigger expires), anything else runs on the
    work pool as the person and answers them; a failure is told in words, with Retry when it may help."""
    match command:
        case grammar.CreateLead():
            open_create_form(invocation, deps)
        case grammar.EditLead(lead_id=lead_id):
            open_edit_form(lead_id, invocation, deps)
        case _:
            reply = Reply(invocation, deps.responder)

            def job(asker: Asker) -> None:
                reply.send(answer(command, asker, deps, page=page))
                if isinstance(command, grammar.ShowLead) and invocation.response_url:  # it follows the lead
                    now = deps.clock()
                    url = invocation.response_url
                    deps.store.remember_shown(command.lead_id, asker.user_id, url, now=now, keep=SHOWN_FOR)

            run_as_user(
                deps, invocation.user_id, f"run {type(command).__name__}", job, reply_failure(reply, command)
            )


def answer(command: grammar.MessageCommand, asker: Asker, deps: Deps, *, page: int = 1) -> Message:
    """Acts as the asker, then renders what to tell them."""
    settings = deps.settings
    match command:
        case grammar.Help():
            return build_help(admin=is_admin(settings, asker.user_id))
        case grammar.ListLeads() | grammar.FindLeads():
            leads = commands.leads_for(deps, asker, command)
            clocks = clock_views(deps.store, [lead.id for lead in leads], timing_of(settings, deps.clock()))
            days = settings.leadbot_search_days
            return build_leads_found(command, leads, page=page, search_days=days, clocks=clocks)
        case grammar.ShowLead(lead_id=lead_id):
            lead = commands.lookup(deps, asker, lead_id)
            buttons = card_buttons(settings, asker.user_id)
            clock = card_clock(deps.store, lead_id, timing_of(settings, deps.clock()))
            creator = creator_of(deps.store, lead)
            statuses = settings.leadbot_statuses
            return build_lead_message(
                lead, statuses=statuses, buttons=buttons, clock=clock, created_by=creator
            )
        case grammar.SetStatus():
            change = commands.set_status(deps, asker, command)
            lead_id, status = escape(change.lead_id), escape(change.status)
            if not change.changed:
                return build_notice(texts.STATUS_UNCHANGED.format(lead_id=lead_id, status=status))
            before = escape(change.before or texts.NO_STATUS)
            return build_notice(texts.STATUS_SET.format(lead_id=lead_id, status=status, before=before))
        case grammar.DeleteLead(lead_id=lead_id):
            return build_delete_prompt(commands.lookup(deps, asker, lead_id))
        case grammar.WhoAmI():
            user = asker.user_id
            return build_whoami(
                asker.email,
                asker.acting.source,
                can_delete=can_delete(settings, user),
                is_admin=is_admin(settings, user),
            )
        case grammar.MapEmail(user_id=user, email=email):
            commands.map_email(deps, asker, command)
            return build_notice(texts.MAPPED.format(user=user, email=escape(email)))
        case grammar.UnmapEmail(user_id=user):
            removed = commands.unmap_email(deps, command)
            return build_notice((texts.UNMAPPED if removed else texts.NOT_MAPPED).format(user=user))


def register(app: App, deps: Deps) -> None:
    """`/leads`, Retry, and Previous / Next."""
    app.command(ids.COMMAND)(partial(handle_leads_command, deps=deps))
    app.action(ids.RETRY)(partial(handle_retry, deps=deps))
    app.action(ids.PAGE_PREVIOUS)(partial(handle_page, deps=deps))
    app.action(ids.PAGE_NEXT)(partial(handle_page, deps=deps))
