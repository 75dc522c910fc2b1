"""The create / edit form: opened at once, validated in the ack, saved after it, answered inside the modal."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk.errors import SlackApiError

from leadbot import ids, texts
from leadbot.blocks.messages import build_lead_message, build_notice
from leadbot.blocks.modals import (
    CREATE_FORM,
    EDIT_FORM,
    FormKind,
    build_duplicate_view,
    build_lead_form,
    build_message_view,
)
from leadbot.blocks.text import escape
from leadbot.heatpunk import HeatpunkError, InvalidRequest, NewLead, Unavailable
from leadbot.leads import commands
from leadbot.leads.commands import Asker
from leadbot.leads.context import Deps
from leadbot.leads.form import (
    FormMemory,
    InvalidForm,
    describe_changes,
    form_values,
    submitted_text,
    validate_edit,
    validate_form,
    values_before,
)
from leadbot.leads.permissions import card_buttons
from leadbot.listeners.replies import Invocation, Job, Reply, ViewReply, run_as_user
from leadbot.slack.client import slack_error_code

logger = logging.getLogger(__name__)


# --- opening a form (from /leads new and edit, the Edit button and the Home tab) ----------------------


def open_modal(view: dict[str, Any], invocation: Invocation, deps: Deps) -> ViewReply | None:
    """Opens a modal at once (trigger IDs last 3 s); None after telling the person why it didn't open."""
    try:
        response = deps.slack.views_open(trigger_id=invocation.trigger_id or "", view=view)
    except SlackApiError as error:
        code = slack_error_code(error) or ""
        logger.warning("views.open failed: %s", code)
        expired = "trigger" in code
        words = texts.FORM_EXPIRED.format(error=escape(code)) if expired else texts.SLACK_UNREACHABLE
        deps.work.submit(Reply(invocation, deps.responder).send, build_notice(words))
        return None
    return ViewReply(deps.slack, str(response["view"]["id"]))


def open_create_form(invocation: Invocation, deps: Deps) -> None:
    """Opens the create form at once; tells the person in the form if leadbot can't act for them."""
    memory = FormMemory(response_url=invocation.response_url, channel_id=invocation.channel_id)
    form = build_lead_form(CREATE_FORM, values={}, private_metadata=memory.to_text())
    modal = open_modal(form, invocation, deps)
    if modal is None:
        return
    run_as_user(
        deps,
        invocation.user_id,
        "check who is creating a lead",
        lambda asker: None,
        lambda words, _retry: modal.message(CREATE_FORM.title, words),
    )


def open_edit_form(lead_id: str, invocation: Invocation, deps: Deps) -> None:
    """Opens a Loading… modal at once, then fills it with the lead as this person sees it."""
    modal = open_modal(build_message_view(EDIT_FORM.title, texts.LOADING), invocation, deps)
    if modal is None:
        return

    def fill(asker: Asker) -> None:
        values = form_values(commands.lookup(deps, asker, lead_id))
        memory = FormMemory(lead_id, invocation.response_url, invocation.channel_id, original=values)
        modal.show(build_lead_form(EDIT_FORM, values=values, private_metadata=memory.to_text()))

    run_as_user(
        deps,
        invocation.user_id,
        "open the edit form",
        fill,
        lambda words, _retry: modal.message(EDIT_FORM.title, words),
    )


# --- submitting one --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    """One submitted form: who, what they typed, what the modal remembered, and the modal to answer in."""

    user_id: str
    kind: FormKind
    typed: dict[str, str]
    memory: FormMemory
    modal: ViewReply

    @classmethod
    def read(cls, body: dict[str, Any], view: dict[str, Any], kind: FormKind, deps: Deps) -> Submission:
        memory = FormMemory.from_text(view.get("private_metadata", ""))
        return cls(body["user"]["id"], kind, submitted_text(view), memory, ViewReply(deps.slack, view["id"]))

    def form_again(self, error: HeatpunkError) -> None:
        """Shows the form again with what was typed and Heatpunk's refusal on top: nothing typed is lost."""
        notice = texts.API_REFUSED.format(reason=escape(texts.heatpunk_failure(error)))
        metadata = self.memory.to_text()
        self.modal.show(
            build_lead_form(self.kind, values=self.typed, private_metadata=metadata, notice=notice)
        )

    def done(self, words: str) -> None:
        self.modal.message(self.kind.title, texts.DONE.format(words=words))

    def run(self, what: str, job: Job, deps: Deps) -> None:
        """Runs the slow part as the person; a failure is told inside the modal."""

        def on_failure(words: str, _retry: bool) -> None:
            self.modal.message(self.kind.title, words)

        run_as_user(deps, self.user_id, what, job, on_failure)


def validated(ack: Ack, submission: Submission) -> NewLead | None:
    """The lead the form describes, or None after answering the ack with each problem on its block."""
    try:
        return validate_form(submission.typed)
    except InvalidForm as problems:
        ack(response_action="errors", errors=problems.errors)
        return None


def handle_create_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], deps: Deps) -> None:
    """Validates in the ack; then checks for leads this person already has with that email or phone."""
    submission = Submission.read(body, view, CREATE_FORM, deps)
    new_lead = validated(ack, submission)
    if new_lead is None:
        return
    ack(response_action="update", view=build_message_view(CREATE_FORM.title, texts.CHECKING))

    def job(asker: Asker) -> None:
        matches = commands.possible_duplicates_of(deps, asker, new_lead)
        if not matches:
            create(submission, new_lead, asker, deps)
            return
        pending = replace(submission.memory, typed=submission.typed).to_text()
        submission.modal.show(
            build_duplicate_view(matches, private_metadata=pending, warning=texts.DUPLICATE_WARNING)
        )

    submission.run("check for duplicates", job, deps)


def handle_create_anyway(ack: Ack, body: dict[str, Any], view: dict[str, Any], deps: Deps) -> None:
    """The duplicate warning's "Create anyway": create what was typed, as it was."""
    pending = FormMemory.from_text(view.get("private_metadata", ""))
    typed = dict(pending.typed or {})
    memory = replace(pending, typed=None)
    try:
        new_lead = validate_form(typed)
    except InvalidForm:  # what was typed did not survive: the form again, to fill in and check
        form = build_lead_form(CREATE_FORM, values=typed, private_metadata=memory.to_text())
        ack(response_action="update", view=form)
        return
    ack(response_action="update", view=build_message_view(CREATE_FORM.title, texts.SAVING))
    submission = Submission(body["user"]["id"], CREATE_FORM, typed, memory, ViewReply(deps.slack, view["id"]))
    submission.run("create a lead", lambda asker: create(submission, new_lead, asker, deps), deps)


def create(submission: Submission, new_lead: NewLead, asker: Asker, deps: Deps) -> None:
    """Creates the lead; confirms it in the modal and with its card where the person typed the command."""
    try:
        lead = commands.create_lead(deps, asker, new_lead)
    except (InvalidRequest, Unavailable) as error:
        submission.form_again(error)
        return
    created = texts.CREATED.format(lead_id=escape(lead.id))
    submission.done(created)
    if submission.memory.response_url:
        buttons = card_buttons(deps.settings, submission.user_id)
        card = build_lead_message(
            lead, statuses=deps.settings.leadbot_statuses, buttons=buttons, note=created
        )
        deps.responder.send(submission.memory.response_url, card.payload(), replace_original=False)


def handle_edit_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], deps: Deps) -> None:
    """Validates what changed in the ack (untouched fields pass as they were); sends only that; a refusal
    comes back inside the form."""
    submission = Submission.read(body, view, EDIT_FORM, deps)
    original = submission.memory.original
    try:
        changes = validate_edit(original, submission.typed)
    except InvalidForm as problems:
        ack(response_action="errors", errors=problems.errors)
        return
    if not changes:
        ack(response_action="update", view=build_message_view(EDIT_FORM.title, texts.NOTHING_CHANGED))
        return
    ack(response_action="update", view=build_message_view(EDIT_FORM.title, texts.SAVING))
    lead_id = submission.memory.lead_id or ""

    def job(asker: Asker) -> None:
        try:
            commands.save_lead(deps, asker, lead_id, changes, values_before(original, changes))
        except InvalidRequest as error:
            submission.form_again(error)
            return
        submission.done(texts.SAVED.format(lead_id=escape(lead_id), fields=describe_changes(changes)))

    submission.run("save a lead", job, deps)


def register(app: App, deps: Deps) -> None:
    """The three form submissions: create, create anyway (after the duplicate warning), edit."""
    app.view(ids.CREATE_VIEW)(partial(handle_create_submission, deps=deps))
    app.view(ids.CONFIRM_CREATE_VIEW)(partial(handle_create_anyway, deps=deps))
    app.view(ids.EDIT_VIEW)(partial(handle_edit_submission, deps=deps))
