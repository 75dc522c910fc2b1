"""Modal submissions: validate in the ack, then save after it and show the outcome inside the modal."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from leadbot import ids, texts
from leadbot.blocks.leads import CardButtons
from leadbot.blocks.messages import build_lead_message, mark_sandbox
from leadbot.blocks.modals import build_duplicate_view, build_lead_form, build_message_view
from leadbot.blocks.text import escape
from leadbot.heatpunk import InvalidRequest, Lead, NewLead, Unavailable
from leadbot.identity import ActingEmail
from leadbot.listeners.forms import (
    API_NAMES,
    changed_fields,
    describe_changes,
    read_metadata,
    submitted_text,
)
from leadbot.listeners.replies import ViewReply, run_as_user
from leadbot.listeners.runner import CommandRunner
from leadbot.lookup import possible_duplicates
from leadbot.validation import validate_form

logger = logging.getLogger(__name__)


def new_lead(values: dict[str, Any]) -> NewLead:
    return NewLead(
        customer_name=values["customerName"],
        customer_email=values.get("customerEmail"),
        customer_phone=values.get("customerPhone"),
        address=values.get("address"),
        postcode=values.get("postcode"),
        lat=values.get("lat"),
        lng=values.get("lng"),
    )


def register(app: App, runner: CommandRunner) -> None:
    deps = runner.deps

    def form_again(
        view_reply: ViewReply,
        *,
        callback_id: str,
        title: str,
        submit: str,
        typed: dict[str, str],
        meta: str,
        notice: str,
    ) -> None:
        """Shows the form again with what the person typed and the problem on top: nothing typed is lost."""
        view_reply.show(
            build_lead_form(
                callback_id=callback_id,
                title=title,
                submit=submit,
                values=typed,
                private_metadata=meta,
                notice=notice,
            )
        )

    def confirm_created(view_reply: ViewReply, meta: dict[str, Any], user_id: str, lead: Lead) -> None:
        """Tells the person the new ID in the modal, and gives them the card where they typed the command."""
        created = texts.CREATED.format(lead_id=escape(lead.id))
        view_reply.message("New lead", f":white_check_mark: {created}")
        if not meta.get("r"):
            return
        buttons = CardButtons(share=True, delete=runner.can_delete(user_id))
        card = build_lead_message(
            lead, statuses=deps.settings.leadbot_statuses, buttons=buttons, note=created
        )
        blocks = mark_sandbox(card["blocks"]) if deps.sandbox else card["blocks"]
        respond = Respond(response_url=str(meta["r"]))
        respond(text=card["text"], blocks=blocks, response_type="ephemeral", replace_original=False)

    def create(
        client: WebClient,
        view_reply: ViewReply,
        user_id: str,
        values: dict[str, Any],
        typed: dict[str, str],
        meta: str,
    ) -> None:
        def job(acting: ActingEmail) -> None:
            try:
                lead_id = deps.heatpunk.create(new_lead(values))
            except (InvalidRequest, Unavailable) as error:
                form_again(
                    view_reply,
                    callback_id=ids.CREATE_VIEW,
                    title="New lead",
                    submit="Create",
                    typed=typed,
                    meta=meta,
                    notice=texts.API_REFUSED.format(reason=escape(error.message)),
                )
                return
            deps.store.record_audit(
                slack_user=user_id,
                email=acting.email,
                action="create",
                lead_id=lead_id,
                before=None,
                after=values,
            )
            lead = Lead(id=lead_id, date_created=deps.clock(), status="new", **_lead_fields(values))
            confirm_created(view_reply, read_metadata(meta), user_id, lead)

        run_as_user(
            deps, user_id, "create a lead", job, lambda words, _r: view_reply.message("New lead", words)
        )

    def handle_create(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        """Validates; then checks for duplicates the person can see before creating."""
        typed = submitted_text(view)
        result = validate_form(typed)
        if result.errors:
            ack(response_action="errors", errors=result.errors)
            return
        ack(response_action="update", view=build_message_view("New lead", texts.CHECKING))
        user_id = body["user"]["id"]
        view_reply = ViewReply(client, view["id"], sandbox=deps.sandbox)
        meta = view.get("private_metadata", "")

        def job(acting: ActingEmail) -> None:
            matches = possible_duplicates(
                deps.heatpunk,
                acting.email,
                customer_email=result.values.get("customerEmail"),
                phone=result.values.get("customerPhone"),
                today=runner.today(),
                days=deps.settings.leadbot_search_days,
            )
            if matches:
                pending = json.dumps(
                    {**read_metadata(meta), "v": result.values, "t": typed}, ensure_ascii=False
                )
                view_reply.show(
                    build_duplicate_view(matches, private_metadata=pending, warning=texts.DUPLICATE_WARNING)
                )
                return
            create(client, view_reply, user_id, result.values, typed, meta)

        run_as_user(
            deps,
            user_id,
            "check for duplicates",
            job,
            lambda words, _r: view_reply.message("New lead", words),
        )

    def handle_create_anyway(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        ack(response_action="update", view=build_message_view("New lead", texts.SAVING))
        pending = read_metadata(view.get("private_metadata", ""))
        meta = json.dumps({key: pending.get(key) for key in ("lead", "r", "c")})
        view_reply = ViewReply(client, view["id"], sandbox=deps.sandbox)
        create(client, view_reply, body["user"]["id"], pending.get("v") or {}, pending.get("t") or {}, meta)

    def handle_edit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        """Validates; sends only the fields that changed; an API refusal comes back inside the form."""
        typed = submitted_text(view)
        result = validate_form(typed)
        if result.errors:
            ack(response_action="errors", errors=result.errors)
            return
        meta_text = view.get("private_metadata", "")
        meta = read_metadata(meta_text)
        lead_id = str(meta.get("lead") or "")
        original = {block: str(value) for block, value in (meta.get("o") or {}).items()}
        changed = changed_fields(original, typed, result.values)
        if not changed:
            ack(response_action="update", view=build_message_view("Edit lead", texts.NOTHING_CHANGED))
            return
        ack(response_action="update", view=build_message_view("Edit lead", texts.SAVING))
        user_id = body["user"]["id"]
        view_reply = ViewReply(client, view["id"], sandbox=deps.sandbox)

        def job(acting: ActingEmail) -> None:
            try:
                deps.heatpunk.update(lead_id, acting.email, changed)
            except InvalidRequest as error:
                form_again(
                    view_reply,
                    callback_id=ids.EDIT_VIEW,
                    title="Edit lead",
                    submit="Save",
                    typed=typed,
                    meta=meta_text,
                    notice=texts.API_REFUSED.format(reason=escape(error.message)),
                )
                return
            before = {
                API_NAMES[block]: original.get(block) for block in API_NAMES if API_NAMES[block] in changed
            }
            deps.store.record_audit(
                slack_user=user_id,
                email=acting.email,
                action="edit",
                lead_id=lead_id,
                before=before,
                after=changed,
            )
            words = texts.SAVED.format(lead_id=escape(lead_id), fields=describe_changes(changed))
            view_reply.message("Edit lead", f":white_check_mark: {words}")

        run_as_user(
            deps, user_id, "save a lead", job, lambda words, _r: view_reply.message("Edit lead", words)
        )

    app.view(ids.CREATE_VIEW)(handle_create)
    app.view(ids.CONFIRM_CREATE_VIEW)(handle_create_anyway)
    app.view(ids.EDIT_VIEW)(handle_edit)


def _lead_fields(values: dict[str, Any]) -> dict[str, Any]:
    names = {
        "customerName": "customer_name",
        "customerEmail": "customer_email",
        "customerPhone": "customer_phone",
    }
    names |= {"address": "address", "postcode": "postcode", "lat": "lat", "lng": "lng"}
    return {attr: values.get(api) for api, attr in names.items()}
