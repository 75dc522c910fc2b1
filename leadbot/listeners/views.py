"""The create / edit form: opened at once, validated in the ack, saved after it, answered inside the modal."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
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
from leadbot.listeners.replies import (
    Invocation,
    Outcome,
    Reply,
    ViewReply,
    busy_words,
    run_as_user,
    submit_as_user,
)
from leadbot.listeners.source import link_source
from leadbot.process.arrival import arrived_at
from leadbot.process.work import Busy
from leadbot.slack.client import slack_error_code

logger = logging.getLogger(__name__)

# views.open must be answered inside the trigger's 3 s, counted from the request's arrival: a margin for
# the trip back. The client's timeout is whole seconds, so the last second left is not tried.
TRIGGER_SECONDS = 2.5
ViewJob = Callable[[Asker], dict[str, Any]]  # the slow part of a submission: returns the view to end on


# --- opening a form (from /leads new and edit, the Edit button and the Home tab) ----------------------


def open_modal(
    view: dict[str, Any], invocation: Invocation, deps: Deps, then: Callable[[ViewReply], None]
) -> None:
    """Opens a modal off Bolt's threads (so a slow Slack delays no one's ack); `then` runs once it is open."""
    try:
        deps.forms.submit_for(invocation.user_id, open_in_time, view, invocation, deps, then)
    except Busy as busy:
        logger.info("Refused to open a form for %s: %s", invocation.user_id, busy)
        tell(invocation, deps, busy_words(busy))


def open_in_time(
    view: dict[str, Any], invocation: Invocation, deps: Deps, then: Callable[[ViewReply], None]
) -> None:
    """views.open, once, while the trigger lives (its 3 s count from the request's arrival); else words."""
    seconds_left = int(invocation.arrived + TRIGGER_SECONDS - time.monotonic())
    if seconds_left < 1:
        logger.warning("views.open not tried: the trigger expires before Slack could answer")
        tell(invocation, deps, texts.FORM_SLOW)
        return
    try:
        response = deps.views_client(seconds_left).views_open(
            trigger_id=invocation.trigger_id or "", view=view
        )
    except SlackApiError as error:
        code = slack_error_code(error) or ""
        logger.warning("views.open failed: %s", code)
        expired = "trigger" in code
        words = texts.FORM_EXPIRED.format(error=escape(code)) if expired else texts.SLACK_UNREACHABLE
        tell(invocation, deps, words)
        return
    except OSError as error:  # no answer within the trigger's time (a timeout), or no connection
        logger.warning("views.open got no answer in %d s: %s", seconds_left, type(error).__name__)
        tell(invocation, deps, texts.FORM_SLOW)
        return
    then(ViewReply(deps.slack, str(response["view"]["id"])))


def tell(invocation: Invocation, deps: Deps, words: str) -> None:
    """A notice to the person, through their response_url, sent from the work pool's shared lane."""
    deps.work.submit(Reply(invocation, deps.responder).send, build_notice(words))


def open_create_form(
    invocation: Invocation,
    deps: Deps,
    *,
    values: Mapping[str, str] | None = None,
    note: str | None = None,
    source: tuple[str, str] | None = None,
) -> None:
    """Opens the create form at once; tells the person in the form if leadbot can't act for them.

    The message shortcut fills it (`values`), says what it read (`note`), and names the message it was read
    from (`source`: channel and ts), which gets a thread reply once the lead is created.
    """
    channel, ts = source or (None, None)
    memory = FormMemory(
        response_url=invocation.response_url,
        channel_id=invocation.channel_id,
        source_channel=channel,
        source_ts=ts,
    )
    form = build_lead_form(CREATE_FORM, values=values or {}, private_metadata=memory.to_text(), note=note)

    def check_who(modal: ViewReply) -> None:
        run_as_user(
            deps,
            invocation.user_id,
            "check who is creating a lead",
            lambda asker: None,
            lambda words, _retry: modal.message(CREATE_FORM.title, words),
        )

    open_modal(form, invocation, deps, check_who)


def open_edit_form(lead_id: str, invocation: Invocation, deps: Deps) -> None:
    """Opens a Loading… modal at once, then fills it with the lead as this person sees it."""

    def fill_in(modal: ViewReply) -> None:
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

    open_modal(build_message_view(EDIT_FORM.title, texts.LOADING), invocation, deps, fill_in)


# --- submitting one --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    """One submitted form: who, what they typed, what the modal remembered, and the modal to answer in."""

    user_id: str
    kind: FormKind
    typed: dict[str, str]
    memory: FormMemory
    modal: ViewReply
    has_fields: bool = True  # the form itself; False for the duplicate warning, which has none

    @classmethod
    def read(cls, body: dict[str, Any], view: dict[str, Any], kind: FormKind, deps: Deps) -> Submission:
        memory = FormMemory.from_text(view.get("private_metadata", ""))
        return cls(body["user"]["id"], kind, submitted_text(view), memory, ViewReply(deps.slack, view["id"]))

    def form_again(self, error: HeatpunkError) -> dict[str, Any]:
        """The form again with what was typed and Heatpunk's refusal on top: nothing typed is lost."""
        notice = texts.API_REFUSED.format(reason=escape(texts.heatpunk_failure(error)))
        metadata = self.memory.to_text()
        return build_lead_form(self.kind, values=self.typed, private_metadata=metadata, notice=notice)

    def done(self, words: str) -> dict[str, Any]:
        return build_message_view(self.kind.title, texts.DONE.format(words=words))

    def answer(self, ack: Ack, what: str, job: ViewJob, placeholder: str, deps: Deps) -> None:
        """Runs the slow part as the person, then acks: with its outcome (or its failure, in words) when that
        comes in time, else with `placeholder`, which the outcome then replaces for good (see Outcome)."""
        outcome = Outcome(self.modal, arrived_at())

        def on_failure(words: str, _retry: bool) -> None:
            outcome.deliver(build_message_view(self.kind.title, words))

        try:
            submit_as_user(deps, self.user_id, what, lambda asker: outcome.deliver(job(asker)), on_failure)
        except Busy as busy:
            logger.info("Refused to %s for %s: %s", what, self.user_id, busy)
            if self.has_fields:  # the words under the form's first field, and nothing typed is lost
                ack(response_action="errors", errors={ids.NAME_INPUT: busy_words(busy)})
            else:
                ack(response_action="update", view=build_message_view(self.kind.title, busy_words(busy)))
            return
        shown = outcome.for_ack() or build_message_view(self.kind.title, placeholder)
        ack(response_action="update", view=shown)


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

    def job(asker: Asker) -> dict[str, Any]:
        matches = commands.possible_duplicates_of(deps, asker, new_lead)
        if not matches:
            return create(submission, new_lead, asker, deps=deps)
        pending = replace(submission.memory, typed=submission.typed).to_text()
        return build_duplicate_view(matches, private_metadata=pending, warning=texts.DUPLICATE_WARNING)

    submission.answer(ack, "check for duplicates", job, texts.CHECKING, deps)


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
    modal = ViewReply(deps.slack, view["id"])
    submission = Submission(body["user"]["id"], CREATE_FORM, typed, memory, modal, has_fields=False)
    job = partial(create, submission, new_lead, deps=deps)
    submission.answer(ack, "create a lead", job, texts.SAVING, deps)


def create(submission: Submission, new_lead: NewLead, asker: Asker, *, deps: Deps) -> dict[str, Any]:
    """Creates the lead; the modal's outcome, and the lead's card where the person typed the command."""
    try:
        lead = commands.create_lead(deps, asker, new_lead)
    except (InvalidRequest, Unavailable) as error:
        return submission.form_again(error)
    created = texts.CREATED.format(lead_id=escape(lead.id))
    if submission.memory.response_url:
        buttons = card_buttons(deps.settings, submission.user_id)
        card = build_lead_message(
            lead,
            statuses=deps.settings.leadbot_statuses,
            buttons=buttons,
            note=created,
            created_by=asker.user_id,
        )
        deps.work.submit(
            deps.responder.send, submission.memory.response_url, card.payload(), replace_original=False
        )
    memory = submission.memory
    if memory.source_channel and memory.source_ts:
        deps.work.submit(link_source, deps, submission.user_id, lead, memory.source_channel, memory.source_ts)
    return submission.done(created)


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
    lead_id = submission.memory.lead_id or ""

    def job(asker: Asker) -> dict[str, Any]:
        try:
            commands.save_lead(deps, asker, lead_id, changes, values_before(original, changes))
        except InvalidRequest as error:
            return submission.form_again(error)
        return submission.done(texts.SAVED.format(lead_id=escape(lead_id), fields=describe_changes(changes)))

    submission.answer(ack, "save a lead", job, texts.SAVING, deps)


def register(app: App, deps: Deps) -> None:
    """The three form submissions: create, create anyway (after the duplicate warning), edit."""
    app.view(ids.CREATE_VIEW)(partial(handle_create_submission, deps=deps))
    app.view(ids.CONFIRM_CREATE_VIEW)(partial(handle_create_anyway, deps=deps))
    app.view(ids.EDIT_VIEW)(partial(handle_edit_submission, deps=deps))
