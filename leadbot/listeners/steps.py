"""Workflow Builder steps (custom steps, `functions` in manifest.yml): Create a lead, Set a lead's status and
Find leads, each acting as the person the workflow names in its `acting_user` input.

Slack sends a `function_executed` event; leadbot acks it at once and does the work on the work pool, as that
person (their email, mapped emails honoured, the same permission rules as `/leads`), then completes the step
with its outputs (functions.completeSuccess) or fails it with a sentence the workflow's builder can read
(functions.completeError). Both go with the execution's own token, as Slack sends it with the event.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk.errors import SlackApiError

from leadbot import ids, texts
from leadbot.blocks.text import inline, truncate
from leadbot.heatpunk import HeatpunkError, Lead
from leadbot.leads import commands
from leadbot.leads.commands import Asker
from leadbot.leads.context import Deps
from leadbot.leads.form import FIELDS, InvalidForm, validate_form
from leadbot.leads.grammar import FindLeads, SetStatus, is_lead_id
from leadbot.leads.identity import NoEmail
from leadbot.leads.permissions import canonical_status
from leadbot.listeners.access import denial
from leadbot.listeners.events import MIN_SEARCH, SeenEvents
from leadbot.listeners.replies import busy_words
from leadbot.process.work import Busy
from leadbot.slack.client import slack_error_code
from leadbot.slack.envelope import is_slack_id

logger = logging.getLogger(__name__)

MAX_MATCHES = 10  # Find leads lists the first ten; `count` says how many matched
MAX_INPUT = 2000  # longer than any field of a lead: anything past it is not read
MAX_OUTPUT = 4000  # a text output Slack shows in a message (matches: 10 lines well within it)
MAX_ERROR = 1000  # the error sentence of a failed step
# A step's input → the create form's input it stands for (so both validate alike).
CREATE_INPUTS: Mapping[str, str] = {
    ids.STEP_NAME: ids.NAME_INPUT,
    ids.STEP_EMAIL: ids.EMAIL_INPUT,
    ids.STEP_PHONE: ids.PHONE_INPUT,
    ids.STEP_ADDRESS: ids.ADDRESS_INPUT,
    ids.STEP_POSTCODE: ids.POSTCODE_INPUT,
}
Outputs = dict[str, Any]


class StepRefused(Exception):
    """The step can't run with these inputs; the message says why, for the workflow's builder."""


@dataclass(frozen=True)
class Execution:
    """One run of a step: which, with what inputs, and how to complete it."""

    callback_id: str
    execution_id: str
    token: str | None  # the execution's bot_access_token; None: leadbot's own token
    inputs: Mapping[str, Any]

    @classmethod
    def from_event(cls, event: Mapping[str, Any]) -> Execution | None:
        """The run an event describes; None when it names no execution (nothing to complete)."""
        function = event.get("function")
        callback_id = function.get("callback_id") if isinstance(function, Mapping) else None
        execution_id = event.get("function_execution_id")
        inputs = event.get("inputs")
        token = event.get("bot_access_token")
        if not isinstance(execution_id, str) or not is_slack_id(execution_id):
            return None
        return cls(
            callback_id=callback_id if isinstance(callback_id, str) else "",
            execution_id=execution_id,
            token=token if isinstance(token, str) and token else None,
            inputs=inputs if isinstance(inputs, Mapping) else {},
        )

    def text(self, name: str) -> str:
        """A text input, stripped ("" when missing or not text)."""
        value = self.inputs.get(name)
        return value.strip()[:MAX_INPUT] if isinstance(value, str) else ""


def step_failure_words(error: Exception) -> str:
    """What the workflow's builder reads when a step fails: the words `/leads` uses, as plain text."""
    if isinstance(error, StepRefused | NoEmail):
        return str(error)
    if isinstance(error, HeatpunkError):
        return texts.heatpunk_failure(error)
    return texts.SOMETHING_BROKE


# ---- the three steps: inputs → work as the person → outputs


def create_lead(deps: Deps, execution: Execution, asker: Asker) -> Outputs:
    """Create a lead: validated as the create form is; owned by the person it acts as."""
    typed = {block: execution.text(name) for name, block in CREATE_INPUTS.items()}
    try:
        new_lead = validate_form(typed | {ids.LAT_INPUT: "", ids.LNG_INPUT: ""})
    except InvalidForm as invalid:
        labels = {each.block_id: each.label for each in FIELDS}
        problems = " ".join(
            texts.STEP_PROBLEM.format(field=labels.get(block, block), problem=problem)
            for block, problem in invalid.errors.items()
        )
        raise StepRefused(texts.STEP_INVALID.format(problems=problems)) from None
    lead = commands.create_lead(deps, asker, new_lead)
    where = f", {lead.postcode}" if lead.postcode else ""
    summary = texts.STEP_CREATED.format(
        lead_id=lead.id, name=inline(lead.customer_name), where=where, email=asker.email
    )
    return {ids.STEP_LEAD_ID: lead.id, ids.STEP_SUMMARY: truncate(summary, MAX_OUTPUT)}


def status_command(deps: Deps, execution: Execution) -> SetStatus:
    """The status change the inputs ask for, checked as `/leads status` checks it (before any work)."""
    lead_id, status = execution.text(ids.STEP_LEAD_ID), execution.text(ids.STEP_STATUS)
    if not is_lead_id(lead_id):
        raise StepRefused(texts.STEP_BAD_LEAD_ID.format(lead_id=truncate(inline(lead_id), 60)))
    statuses = deps.settings.leadbot_statuses
    known = canonical_status(statuses, status)
    if known is None:
        words = texts.STEP_UNKNOWN_STATUS.format(
            status=truncate(inline(status), 60), choices=", ".join(statuses)
        )
        guess = difflib.get_close_matches(status.casefold(), [each.casefold() for each in statuses], n=1)
        if guess:
            words += texts.STEP_DID_YOU_MEAN.format(status=canonical_status(statuses, guess[0]))
        raise StepRefused(words)
    return SetStatus(lead_id, known)


def set_status(deps: Deps, execution: Execution, asker: Asker) -> Outputs:
    """Set a lead's status, as `/leads status` does (read first; the audit log; nothing sent if unchanged)."""
    change = commands.set_status(deps, asker, status_command(deps, execution))
    if change.changed:
        before = change.before or texts.NO_STATUS
        summary = texts.STEP_STATUS_SET.format(lead_id=change.lead_id, status=change.status, before=before)
    else:
        summary = texts.STEP_STATUS_UNCHANGED.format(lead_id=change.lead_id, status=change.status)
    return {ids.STEP_SUMMARY: inline(summary)}


def match_line(lead: Lead) -> str:
    """One found lead on one plain line."""
    return texts.STEP_MATCH.format(
        lead_id=lead.id,
        name=truncate(inline(lead.customer_name or texts.STEP_NO_NAME), 80),
        place=inline(lead.postcode or texts.STEP_NO_PLACE),
        status=inline(lead.status or texts.NO_STATUS),
    )


def find_leads(deps: Deps, execution: Execution, asker: Asker) -> Outputs:
    """Find leads as `/leads find` does (this person's search window): the first ten as lines, and the count."""
    query = inline(execution.text(ids.STEP_TEXT)).strip()
    if len(query) < MIN_SEARCH:
        raise StepRefused(texts.STEP_FIND_NEEDS_TEXT.format(min=MIN_SEARCH))
    leads = commands.leads_for(deps, asker, FindLeads(query))
    if leads:
        matches = "\n".join(match_line(lead) for lead in leads[:MAX_MATCHES])
    else:
        days = deps.settings.leadbot_search_days
        matches = texts.NO_MATCHES.format(query=truncate(query, 100), days=days)
    return {ids.STEP_MATCHES: truncate(matches, MAX_OUTPUT), ids.STEP_COUNT: len(leads)}


STEPS: Mapping[str, Callable[[Deps, Execution, Asker], Outputs]] = {
    ids.STEP_CREATE_LEAD: create_lead,
    ids.STEP_SET_STATUS: set_status,
    ids.STEP_FIND_LEADS: find_leads,
}
CHECKS: Mapping[str, Callable[[Deps, Execution], object]] = {ids.STEP_SET_STATUS: status_command}


# ---- completing a step


def complete(deps: Deps, execution: Execution, outputs: Outputs) -> None:
    """functions.completeSuccess with the outputs, with the execution's token."""
    extra = {"token": execution.token} if execution.token else {}
    try:
        deps.slack.functions_completeSuccess(
            function_execution_id=execution.execution_id, outputs=outputs, **extra
        )
        logger.info("Step %s (%s) completed", execution.callback_id, execution.execution_id)
    except SlackApiError as error:
        logger.warning(
            "Slack refused to complete step %s: %s", execution.execution_id, slack_error_code(error)
        )


def fail(deps: Deps, execution: Execution, words: str) -> None:
    """functions.completeError with a sentence the workflow's builder reads, with the execution's token."""
    extra = {"token": execution.token} if execution.token else {}
    try:
        deps.slack.functions_completeError(
            function_execution_id=execution.execution_id, error=truncate(words, MAX_ERROR), **extra
        )
        logger.info("Step %s (%s) failed: told the workflow", execution.callback_id, execution.execution_id)
    except SlackApiError as error:
        logger.warning("Slack refused to fail step %s: %s", execution.execution_id, slack_error_code(error))


def run_step(deps: Deps, execution: Execution, user_id: str) -> None:
    """On the work pool: the step's work as the person, then completed or failed (never left running)."""
    step = STEPS[execution.callback_id]
    try:
        outputs = step(deps, execution, Asker(user_id, deps.identity.email_for(user_id)))
    except Exception as error:
        if isinstance(error, StepRefused | NoEmail | HeatpunkError):
            logger.info("Step %s for %s refused: %s", execution.callback_id, user_id, type(error).__name__)
        else:
            logger.exception("Failed to run step %s for %s", execution.callback_id, user_id)
        fail(deps, execution, step_failure_words(error))
        return
    complete(deps, execution, outputs)


def step_refusal(deps: Deps, execution: Execution) -> tuple[str | None, str]:
    """(the person the step acts as, or None) and why it can't run ("" when it can), before any work."""
    user = execution.inputs.get(ids.STEP_ACTING_USER)
    if user is None or user == "":
        return None, texts.STEP_NO_USER
    if not is_slack_id(user) or not str(user).startswith(("U", "W")):
        return None, texts.STEP_NOT_A_USER
    denied = denial(deps.settings, str(user), None, is_command=False)
    if denied is not None:
        return str(user), denied
    check = CHECKS.get(execution.callback_id)
    try:
        if check is not None:
            check(deps, execution)
    except StepRefused as refused:
        return str(user), str(refused)
    return str(user), ""


def handle_step(ack: Ack, body: dict[str, Any], event: dict[str, Any], seen: SeenEvents, deps: Deps) -> None:
    """Acks at once; checks who and what (refusals answered by failing the step); the work after the ack."""
    ack()
    execution = Execution.from_event(event)
    if execution is None or execution.callback_id not in STEPS:
        logger.info("function_executed without a step leadbot runs: ignored")
        return
    if not seen.first_time(execution.execution_id):  # Slack's redelivery of a step already started
        return
    user_id, refused = step_refusal(deps, execution)
    logger.info("Step %s (%s) for %s", execution.callback_id, execution.execution_id, user_id)
    if user_id is None or refused:
        deps.work.submit(fail, deps, execution, refused)
        return
    try:
        deps.work.submit_for(user_id, run_step, deps, execution, user_id)
    except Busy as busy:
        logger.info("Refused step %s for %s: %s", execution.callback_id, user_id, busy)
        deps.work.submit(fail, deps, execution, busy_words(busy))


def register(app: App, deps: Deps) -> None:
    """The three steps, each under its callback_id (Slack redeliveries of one execution run it once)."""
    seen = SeenEvents()
    for callback_id in STEPS:
        app.function(callback_id)(partial(handle_step, seen=seen, deps=deps))
