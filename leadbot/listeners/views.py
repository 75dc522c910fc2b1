"""Modal submissions: validate in the ack, then save after it and show the outcome inside the modal."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from leadbot import ids, texts
from leadbot.blocks.modals import (
    CREATE_FORM,
    EDIT_FORM,
    FormKind,
    build_duplicate_view,
    build_lead_form,
    build_message_view,
)
from leadbot.blocks.text import escape
from leadbot.heatpunk import HeatpunkError, InvalidRequest, Lead, NewLead, Unavailable
from leadbot.leads.form import (
    FormMemory,
    InvalidForm,
    api_values,
    changed_fields,
    describe_changes,
    submitted_text,
    validate_form,
    values_before,
)
from leadbot.leads.identity import ActingEmail
from leadbot.leads.search import possible_duplicates
from leadbot.listeners.replies import Job, ViewReply, run_as_user
from leadbot.listeners.runner import CommandRunner

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Submission:
    """One submitted form: who, what they typed, what the modal remembered, and the modal to answer in."""

    user_id: str
    kind: FormKind
    typed: dict[str, str]
    metadata: str
    modal: ViewReply

    def form_again(self, error: HeatpunkError) -> None:
        """Shows the form again with what was typed and Heatpunk's refusal on top: nothing typed is lost."""
        notice = texts.API_REFUSED.format(reason=escape(error.message))
        self.modal.show(
            build_lead_form(self.kind, values=self.typed, private_metadata=self.metadata, notice=notice)
        )


class FormHandlers:
    """The create form, its duplicate guard, and the edit form."""

    def __init__(self, runner: CommandRunner) -> None:
        self.runner = runner
        self.deps = runner.deps

    def submission(
        self, body: dict[str, Any], view: dict[str, Any], client: WebClient, kind: FormKind
    ) -> Submission:
        modal = ViewReply(client, view["id"])
        return Submission(
            body["user"]["id"], kind, submitted_text(view), view.get("private_metadata", ""), modal
        )

    def validated(self, ack: Ack, submission: Submission) -> NewLead | None:
        """The lead the form describes, or None after answering the ack with each problem on its block."""
        try:
            return validate_form(submission.typed)
        except InvalidForm as problems:
            ack(response_action="errors", errors=problems.errors)
            return None

    def run(self, submission: Submission, what: str, job: Job) -> None:
        run_as_user(
            self.deps,
            submission.user_id,
            what,
            job,
            lambda words, _retry: submission.modal.message(submission.kind.title, words),
        )

    def handle_create(self, ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        """Validates in the ack; then checks for leads this person already has with that email or phone."""
        submission = self.submission(body, view, client, CREATE_FORM)
        new_lead = self.validated(ack, submission)
        if new_lead is None:
            return
        ack(response_action="update", view=build_message_view(CREATE_FORM.title, texts.CHECKING))

        def job(acting: ActingEmail) -> None:
            matches = possible_duplicates(
                self.deps.heatpunk,
                acting.email,
                customer_email=new_lead.customer_email,
                phone=new_lead.customer_phone,
                today=self.runner.today(),
                days=self.deps.settings.leadbot_search_days,
            )
            if not matches:
                self.create(submission, new_lead, acting)
                return
            pending = replace(FormMemory.from_text(submission.metadata), typed=submission.typed).to_text()
            submission.modal.show(
                build_duplicate_view(matches, private_metadata=pending, warning=texts.DUPLICATE_WARNING)
            )

        self.run(submission, "check for duplicates", job)

    def handle_create_anyway(
        self, ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        """The duplicate warning's "Create anyway": create what was typed, as it was."""
        pending = FormMemory.from_text(view.get("private_metadata", ""))
        typed = dict(pending.typed or {})
        metadata = replace(pending, typed=None).to_text()
        try:
            new_lead = validate_form(typed)
        except InvalidForm:  # what was typed did not survive: the form again, to fill in and check
            ack(
                response_action="update",
                view=build_lead_form(CREATE_FORM, values=typed, private_metadata=metadata),
            )
            return
        ack(response_action="update", view=build_message_view(CREATE_FORM.title, texts.SAVING))
        modal = ViewReply(client, view["id"])
        submission = Submission(body["user"]["id"], CREATE_FORM, typed, metadata, modal)
        self.run(submission, "create a lead", lambda acting: self.create(submission, new_lead, acting))

    def create(self, submission: Submission, new_lead: NewLead, acting: ActingEmail) -> None:
        """Creates the lead (never retried by the client once sent) and confirms it with its card."""
        try:
            lead_id = self.deps.heatpunk.create(new_lead)
        except (InvalidRequest, Unavailable) as error:
            submission.form_again(error)
            return
        self.deps.store.record_audit(
            slack_user=submission.user_id,
            email=acting.email,
            action="create",
            lead_id=lead_id,
            before=None,
            after=api_values(new_lead),
        )
        lead = Lead(id=lead_id, date_created=self.deps.clock(), status="new", **new_lead.model_dump())
        self.confirm_created(submission, lead)

    def confirm_created(self, submission: Submission, lead: Lead) -> None:
        """The new ID in the modal, and the card where the person typed the command."""
        created = texts.CREATED.format(lead_id=escape(lead.id))
        submission.modal.message(CREATE_FORM.title, f":white_check_mark: {created}")
        response_url = FormMemory.from_text(submission.metadata).response_url
        if not response_url:
            return
        card = self.runner.lead_card(lead, submission.user_id, note=created)
        self.deps.responder.send(str(response_url), card.payload(), replace_original=False)

    def handle_edit(self, ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        """Validates in the ack; sends only the fields that changed; a refusal comes back inside the form."""
        submission = self.submission(body, view, client, EDIT_FORM)
        new_lead = self.validated(ack, submission)
        if new_lead is None:
            return
        memory = FormMemory.from_text(submission.metadata)
        lead_id = memory.lead_id or ""
        original = memory.original
        changed = changed_fields(original, submission.typed, new_lead)
        if not changed:
            ack(response_action="update", view=build_message_view(EDIT_FORM.title, texts.NOTHING_CHANGED))
            return
        ack(response_action="update", view=build_message_view(EDIT_FORM.title, texts.SAVING))

        def job(acting: ActingEmail) -> None:
            try:
                self.deps.heatpunk.update(lead_id, acting.email, changed)
            except InvalidRequest as error:
                submission.form_again(error)
                return
            before = values_before(original, changed)
            self.deps.store.record_audit(
                slack_user=submission.user_id,
                email=acting.email,
                action="edit",
                lead_id=lead_id,
                before=before,
                after=changed,
            )
            saved = texts.SAVED.format(lead_id=escape(lead_id), fields=describe_changes(changed))
            submission.modal.message(EDIT_FORM.title, f":white_check_mark: {saved}")

        self.run(submission, "save a lead", job)


def register(app: App, runner: CommandRunner) -> None:
    forms = FormHandlers(runner)
    app.view(ids.CREATE_VIEW)(forms.handle_create)
    app.view(ids.CONFIRM_CREATE_VIEW)(forms.handle_create_anyway)
    app.view(ids.EDIT_VIEW)(forms.handle_edit)
