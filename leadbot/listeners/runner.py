"""What each `/leads` subcommand does after `ack()`; shared by the slash command, Retry and paging buttons."""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from leadbot import texts
from leadbot.blocks.kit import Message, message
from leadbot.blocks.leads import CardButtons, build_lead_list
from leadbot.blocks.messages import (
    build_delete_prompt,
    build_help,
    build_lead_message,
    build_notice,
    build_usage,
    build_whoami,
)
from leadbot.blocks.modals import CREATE_FORM, EDIT_FORM, build_lead_form, build_message_view
from leadbot.blocks.text import UK, escape, safe
from leadbot.deps import Deps
from leadbot.heatpunk import Lead
from leadbot.leads.form import FormMemory, form_values, is_email
from leadbot.leads.grammar import DEFAULT_SINCE, Command, UsageError, parse_command, parse_since, parse_user
from leadbot.leads.identity import ActingEmail
from leadbot.leads.search import find_lead, leads_since, search_leads
from leadbot.listeners.replies import Invocation, Reply, ViewReply, reply_failure, run_as_user
from leadbot.slack.client import slack_error_code

logger = logging.getLogger(__name__)


class CommandRunner:
    """Checks a parsed command, then does it as the person who asked."""

    def __init__(self, deps: Deps, client: WebClient) -> None:
        self.deps = deps
        self.client = client

    def today(self) -> date:
        return self.deps.clock().astimezone(UK).date()

    def can_delete(self, user_id: str) -> bool:
        deleters = self.deps.settings.leadbot_deleters
        return not deleters or user_id in deleters

    def is_admin(self, user_id: str) -> bool:
        return user_id in self.deps.settings.leadbot_admins

    def canonical_status(self, text: str) -> str | None:
        return next((s for s in self.deps.settings.leadbot_statuses if s.casefold() == text.casefold()), None)

    def refusal(self, command: Command, user_id: str) -> Message | None:
        """An immediate answer (usage, permission) for the ack, or None when the command can go ahead."""
        try:
            if command.name == "help":
                return build_help()
            if command.name == "list":
                parse_since(command.args[0] if command.args else DEFAULT_SINCE, self.today())
            if command.name == "status" and self.canonical_status(" ".join(command.args[1:])) is None:
                choices = ", ".join(self.deps.settings.leadbot_statuses)
                problem = texts.UNKNOWN_STATUS.format(
                    status=safe(" ".join(command.args[1:]), 60), choices=choices
                )
                return build_usage(problem, "status")
        except UsageError as error:
            return build_usage(error.problem, error.subcommand)
        if command.name == "delete" and not self.can_delete(user_id):
            return build_notice(texts.NOT_A_DELETER)
        if command.name == "admin":
            return self._admin_refusal(command, user_id)
        return None

    def _admin_refusal(self, command: Command, user_id: str) -> Message | None:
        if not self.is_admin(user_id):
            return build_notice(texts.NOT_ADMIN)
        target = parse_user(command.args[1])
        if target == user_id and command.args[0].lower() == "map":
            return build_notice(texts.NO_SELF_MAP)
        if command.args[0].lower() == "map" and not is_email(command.args[2]):
            return build_usage(texts.BAD_EMAIL, "admin")
        return None

    def rerun(self, text: str, invocation: Invocation) -> None:
        """Runs command text from a button (Retry, paging, a card's or alert's action), refusals in words."""
        reply = Reply(invocation, self.deps.responder)
        try:
            command = parse_command(text)
        except UsageError as error:
            self.deps.work.submit(
                reply.send, build_usage(error.problem, error.subcommand), replace_original=False
            )
            return
        refusal = self.refusal(command, invocation.user_id)
        if refusal is not None:
            self.deps.work.submit(reply.send, refusal, replace_original=False)
            return
        self.run(command, invocation)

    def run(self, command: Command, invocation: Invocation) -> None:
        """Starts the command's slow part; modals are opened here, before any Heatpunk call."""
        reply = Reply(invocation, self.deps.responder)
        if command.name == "new":
            self.open_create_form(invocation)
            return
        if command.name == "edit":
            self.open_edit_form(command.args[0], invocation)
            return
        job = getattr(self, f"_{command.name}")
        run_as_user(
            self.deps,
            invocation.user_id,
            f"run /leads {command.name}",
            lambda acting: job(command, invocation, reply, acting),
            reply_failure(reply, command.text),
        )

    def _list(self, command: Command, invocation: Invocation, reply: Reply, acting: ActingEmail) -> None:
        since = parse_since(command.args[0] if command.args else DEFAULT_SINCE, self.today())
        leads = leads_since(self.deps.heatpunk, acting.email, since)
        if not leads:
            reply.send(build_notice(texts.NO_LEADS_SINCE.format(since=f"{since:%a %d %b %Y}")))
            return
        heading = f"*{len(leads)} lead{'s' * (len(leads) != 1)} since {since:%a %d %b %Y}*, newest first"
        self._send_list(leads, heading, command, invocation, reply)

    def _find(self, command: Command, invocation: Invocation, reply: Reply, acting: ActingEmail) -> None:
        query = " ".join(command.args)
        days = self.deps.settings.leadbot_search_days
        leads = search_leads(self.deps.heatpunk, acting.email, query, today=self.today(), days=days)
        if not leads:
            reply.send(build_notice(texts.NO_MATCHES.format(query=safe(query, 100), days=days)))
            return
        heading = f"*{len(leads)} lead{'s' * (len(leads) != 1)} match “{safe(query, 100)}”*, newest first"
        self._send_list(leads, heading, command, invocation, reply)

    def _send_list(
        self, leads: list[Lead], heading: str, command: Command, invocation: Invocation, reply: Reply
    ) -> None:
        def page_value(page: int) -> str:
            return json.dumps({"c": command.text, "p": page})

        blocks = build_lead_list(leads, heading=heading, page=invocation.page, page_value=page_value)
        reply.send(message(heading.replace("*", ""), blocks))

    def _show(self, command: Command, invocation: Invocation, reply: Reply, acting: ActingEmail) -> None:
        reply.send(self.lead_card(self.lookup(acting, command.args[0]), invocation.user_id))

    def _delete(self, command: Command, invocation: Invocation, reply: Reply, acting: ActingEmail) -> None:
        reply.send(build_delete_prompt(self.lookup(acting, command.args[0])))

    def _status(self, command: Command, invocation: Invocation, reply: Reply, acting: ActingEmail) -> None:
        status = self.canonical_status(" ".join(command.args[1:])) or " ".join(command.args[1:])
        reply.send(build_notice(self.set_status(acting, invocation.user_id, command.args[0], status)))

    def set_status(self, acting: ActingEmail, user_id: str, lead_id: str, status: str) -> str:
        """Sets a status (after reading the lead, for the audit log); returns what to tell the person."""
        lead = self.lookup(acting, lead_id)
        if lead.status == status:
            return texts.STATUS_UNCHANGED.format(lead_id=escape(lead_id), status=escape(status))
        self.deps.heatpunk.update(lead_id, acting.email, {"status": status})
        self.deps.store.record_audit(
            slack_user=user_id,
            email=acting.email,
            action="status",
            lead_id=lead_id,
            before={"status": lead.status},
            after={"status": status},
        )
        return texts.STATUS_SET.format(
            lead_id=escape(lead_id), status=escape(status), before=escape(lead.status or "no status")
        )

    def _whoami(self, command: Command, invocation: Invocation, reply: Reply, acting: ActingEmail) -> None:
        user = invocation.user_id
        reply.send(
            build_whoami(
                acting.email, acting.source, can_delete=self.can_delete(user), is_admin=self.is_admin(user)
            )
        )

    def _admin(self, command: Command, invocation: Invocation, reply: Reply, acting: ActingEmail) -> None:
        target = parse_user(command.args[1]) or ""
        if command.args[0].lower() == "map":
            email = command.args[2]
            self.deps.store.set_email_override(target, email, set_by=invocation.user_id)
            self.deps.identity.forget(target)
            self.deps.store.record_audit(
                slack_user=invocation.user_id,
                email=acting.email,
                action="map_email",
                lead_id=None,
                before=None,
                after={"user": target, "email": email},
            )
            reply.send(build_notice(texts.MAPPED.format(user=target, email=escape(email))))
            return
        removed = self.deps.store.remove_email_override(target)
        self.deps.identity.forget(target)
        reply.send(build_notice((texts.UNMAPPED if removed else texts.NOT_MAPPED).format(user=target)))

    def lead_card(self, lead: Lead, user_id: str, *, note: str = "") -> Message:
        """A lead's card for the person who asked: Share, and Delete only if they may delete."""
        buttons = CardButtons(delete=self.can_delete(user_id), share=True)
        return build_lead_message(
            lead, statuses=self.deps.settings.leadbot_statuses, buttons=buttons, note=note
        )

    def lookup(self, acting: ActingEmail, lead_id: str) -> Lead:
        days = self.deps.settings.leadbot_search_days
        return find_lead(self.deps.heatpunk, acting.email, lead_id, today=self.today(), days=days)

    def open_modal(self, invocation: Invocation, view: dict[str, Any]) -> str | None:
        """Opens a modal at once (trigger IDs last 3 s); returns its view ID, or None after telling the user."""
        try:
            response = self.client.views_open(trigger_id=invocation.trigger_id or "", view=view)
        except SlackApiError as error:
            code = slack_error_code(error) or ""
            logger.warning("views.open failed: %s", code)
            words = (
                texts.FORM_EXPIRED.format(error=escape(code))
                if "trigger" in code
                else texts.SLACK_UNREACHABLE
            )
            self.deps.work.submit(Reply(invocation, self.deps.responder).send, build_notice(words))
            return None
        return str(response["view"]["id"])

    def open_create_form(self, invocation: Invocation) -> None:
        """Opens the create form at once; tells the person in the form if leadbot can't act for them."""
        metadata = FormMemory(
            response_url=invocation.response_url, channel_id=invocation.channel_id
        ).to_text()
        view_id = self.open_modal(
            invocation, build_lead_form(CREATE_FORM, values={}, private_metadata=metadata)
        )
        if view_id is None:
            return
        view_reply = ViewReply(self.client, view_id)
        run_as_user(
            self.deps,
            invocation.user_id,
            "check who is creating a lead",
            lambda acting: None,
            lambda words, _retry: view_reply.message(CREATE_FORM.title, words),
        )

    def open_edit_form(self, lead_id: str, invocation: Invocation) -> None:
        """Opens a Loading… modal at once, then fills it with the lead as this person sees it."""
        view_id = self.open_modal(invocation, build_message_view(EDIT_FORM.title, texts.LOADING))
        if view_id is None:
            return
        view_reply = ViewReply(self.client, view_id)

        def fill(acting: ActingEmail) -> None:
            values = form_values(self.lookup(acting, lead_id))
            memory = FormMemory(lead_id, invocation.response_url, invocation.channel_id, original=values)
            metadata = memory.to_text()
            view_reply.show(build_lead_form(EDIT_FORM, values=values, private_metadata=metadata))

        run_as_user(
            self.deps,
            invocation.user_id,
            "open the edit form",
            fill,
            lambda words, _retry: view_reply.message(EDIT_FORM.title, words),
        )
