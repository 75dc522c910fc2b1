"""A card's ownership and contact controls: Unclaim, Reassign… (a modal), Log contact, and Close lead / Keep
trying after the last attempt; and `refresh`, which re-renders the card clicked (and the lead's own card) so
everyone sees its owner and clock at once. Claim is in listeners/alerts.py.

Each reads ack → parse (the typed value) → act (the store's conditional writes) → render → reply.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk.errors import SlackApiError

from leadbot import ids, texts
from leadbot.alerts.cards import Timing, card_of, render_card, render_card_message, render_digest, timing_of
from leadbot.alerts.reminders import Reminders
from leadbot.blocks.leads import lead_title
from leadbot.blocks.messages import build_notice
from leadbot.blocks.modals import build_message_view
from leadbot.blocks.owners import build_attempts_question, build_reassign_view, mention
from leadbot.blocks.text import escape
from leadbot.blocks.values import (
    BadValue,
    CardKind,
    CloseButton,
    ContactOption,
    KeepTryingButton,
    LeadButton,
    ReassignButton,
    ReassignMemory,
    UnclaimButton,
)
from leadbot.heatpunk import Lead
from leadbot.leads.context import Deps
from leadbot.leads.grammar import ShowLead
from leadbot.leads.permissions import may_change_owner
from leadbot.listeners.commands import rerun
from leadbot.listeners.events import publish_home
from leadbot.listeners.replies import Click, Invocation, Outcome, ViewReply, read_click
from leadbot.listeners.views import open_modal
from leadbot.process.arrival import arrived_at
from leadbot.routing.hours import WorkingHours
from leadbot.store import Alert, NewAlert

logger = logging.getLogger(__name__)


# --- where a click came from, and re-rendering it ----------------------------------------------------


@dataclass(frozen=True)
class CardAt:
    """The message a control was clicked in: an alert card, a digest row, or a `/leads show` card (ephemeral,
    re-rendered through its response_url)."""

    kind: CardKind
    channel: str
    ts: str
    response_url: str


def card_at(body: dict[str, Any], action: dict[str, Any]) -> CardAt:
    """Which card was clicked: told by the block the control sits in (leadbot's own block IDs)."""
    base = str(action.get("block_id") or "").partition(ids.BLOCK_SEPARATOR)[0]
    kind: CardKind = "alert"
    if base in (ids.DIGEST_LEAD_BLOCK, ids.DIGEST_CLAIM_BLOCK):
        kind = "digest"
    elif base == ids.MORNING_LEAD_BLOCK:
        kind = "morning"
    elif base == ids.HOME_LEAD_BLOCK:
        kind = "home"
    elif base == ids.OWNER_ACTIONS_BLOCK:
        kind = "show"
    container = body.get("container") or {}
    channel = str(container.get("channel_id") or (body.get("channel") or {}).get("id") or "")
    ts = str(container.get("message_ts") or (body.get("message") or {}).get("ts") or "")
    return CardAt(kind, channel, ts, str(body.get("response_url") or ""))


def timing(deps: Deps) -> Timing:
    """The team's hours and ladder, and now (deps' clock)."""
    return timing_of(deps.settings, deps.clock())


def refresh(deps: Deps, lead_id: str, user_id: str, at: CardAt | None = None) -> None:
    """Re-renders the card clicked (`at`) and the lead's own posted card, so everyone sees the change."""
    now = timing(deps)
    statuses = deps.settings.leadbot_statuses
    own = card_of(deps.store, lead_id)
    if own is not None and own.message_ts:
        message = render_card_message(deps.store, own, statuses=statuses, timing=now)
        if message is not None:
            _update(deps, own.channel, own.message_ts, message.payload())
    publish_home(deps, user_id)  # their Home tab (their leads, the waiting list) follows the change
    clock = deps.store.clock(lead_id)
    if clock is not None and clock.owner not in (None, user_id):  # and the owner's, when someone else acted
        publish_home(deps, clock.owner)
    if at is None or at.kind == "home":
        return
    if at.kind == "show":
        invocation = Invocation(user_id, at.channel or None, response_url=at.response_url or None)
        rerun(ShowLead(lead_id), invocation.replacing(), deps)
        return
    if own is not None and at.ts == own.message_ts and at.channel == own.channel:
        return
    if not at.ts or not at.channel:
        return
    if at.kind == "digest":
        digest = _digest_at(deps, at, "digest")
        fresh = render_digest(deps.store, digest, timing=now) if digest else None
    elif at.kind == "morning":  # the working morning's list: its rows re-rendered, the claimed one with Open
        morning = _digest_at(deps, at, "morning")
        reminders = Reminders(deps.store, max_attempts=deps.settings.leadbot_max_attempts)
        fresh = reminders.compose(morning) if morning else None
    else:
        fresh = render_card(deps.store, lead_id, statuses=statuses, timing=now)
    if fresh is not None:
        _update(deps, at.channel, at.ts, fresh.payload())


def _digest_at(deps: Deps, at: CardAt, kind: str) -> Alert | None:
    """The digest (or morning list) posted as this message (newest first: the one clicked is usually recent)."""
    for alert in reversed(deps.store.alerts(kind=kind)):
        if alert.message_ts == at.ts and alert.channel == at.channel:
            return alert
    return None


def _update(deps: Deps, channel: str, ts: str, payload: dict[str, Any]) -> None:
    try:
        deps.slack.chat_update(channel=channel, ts=ts, **payload)
    except SlackApiError:
        logger.exception("Failed to re-render the card at %s %s", channel, ts)


def tell(click: Click[Any], words: str) -> None:
    """An ephemeral answer to the person who clicked."""
    click.reply.send(build_notice(words), replace_original=False)


def _owner_words(owner: str | None) -> str:
    return mention(owner) if owner else texts.OWNER_NOBODY


def _alerted(deps: Deps, lead_id: str) -> Lead | None:
    """The lead as leadbot last saw it, if leadbot alerted it and it is not deleted."""
    seen = deps.store.seen_lead(lead_id)
    if seen is None or seen.gone:
        return None
    try:
        return Lead.model_validate(seen.data)
    except ValueError:
        logger.exception("Failed to read the stored snapshot of lead %s", lead_id)
        return None


def _submit(deps: Deps, what: str, job: Any, *args: Any) -> None:
    """Runs the slow part on the work pool; a failure is logged (and the person told by the job itself)."""

    def run() -> None:
        try:
            job(*args)
        except Exception:
            logger.exception("Failed to %s", what)

    deps.work.submit(run)


# --- Unclaim ------------------------------------------------------------------------------------------


def handle_unclaim(ack: Ack, body: dict[str, Any], action: dict[str, Any], deps: Deps) -> None:
    """Unclaim: the owner, an admin or a manager gives the lead back, if its owner is still the one shown."""
    ack()
    if click := read_click(UnclaimButton.from_value, body, action, deps):
        _submit(deps, "unclaim a lead", unclaim, click, card_at(body, action), deps)


def unclaim(click: Click[UnclaimButton], at: CardAt, deps: Deps) -> None:
    lead_id, shown, user = click.value.lead_id, click.value.owner, click.invocation.user_id
    quoted = escape(lead_id)
    if not may_change_owner(deps.settings, user, shown):
        tell(click, texts.NOT_YOURS_TO_CHANGE.format(lead_id=quoted, owner=mention(shown)))
        return
    change = deps.store.change_owner(
        lead_id, None, expected_owner=shown, by=user, kind="unclaimed", now=deps.clock()
    )
    if not change.done:
        owner = change.clock.owner if change.clock else None
        tell(click, texts.OWNER_CHANGED.format(lead_id=quoted, owner=_owner_words(owner)))
    else:
        logger.info("Lead %s unclaimed by %s (owner was %s)", lead_id, user, shown)
        tell(click, texts.UNCLAIMED_DONE.format(lead_id=quoted))
    refresh(deps, lead_id, user, at)


# --- Reassign… ----------------------------------------------------------------------------------------


def handle_reassign(ack: Ack, body: dict[str, Any], action: dict[str, Any], deps: Deps) -> None:
    """Reassign…: opens the modal at once (the trigger expires in 3 s) to those who may; others told who may."""
    ack()
    if (click := read_click(ReassignButton.from_value, body, action, deps)) is None:
        return
    lead_id, shown, user = click.value.lead_id, click.value.owner, click.invocation.user_id
    if not may_change_owner(deps.settings, user, shown):
        words = texts.NOT_YOURS_TO_CHANGE.format(lead_id=escape(lead_id), owner=mention(shown))
        deps.work.submit(tell, click, words)
        return
    at = card_at(body, action)
    memory = ReassignMemory(lead_id, shown, at.channel, at.ts, at.response_url, at.kind)
    open_modal(build_reassign_view(memory), click.invocation, deps, lambda _modal: None)


def handle_reassign_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], deps: Deps) -> None:
    """The Reassign modal's submit: a missing or same choice answered under the picker in the ack; the rest
    (is it a person? may you? did the owner move?) after it, the outcome shown in the modal."""
    user = str((body.get("user") or {}).get("id") or "")
    try:
        memory = ReassignMemory.from_value(str(view.get("private_metadata") or ""))
    except BadValue:
        ack(response_action="update", view=build_message_view(texts.REASSIGN_TITLE, texts.OLD_BUTTON))
        return
    values = ((view.get("state") or {}).get("values") or {}).get(ids.REASSIGN_INPUT) or {}
    chosen = str((values.get(ids.REASSIGN_INPUT) or {}).get("selected_user") or "")
    problem = None
    if not chosen:
        problem = texts.REASSIGN_UNKNOWN
    elif chosen == user and memory.owner == user:
        problem = texts.REASSIGN_TO_SELF
    elif chosen == memory.owner:
        problem = texts.REASSIGN_SAME
    if problem is not None:
        ack(response_action="errors", errors={ids.REASSIGN_INPUT: problem})
        return
    outcome = Outcome(ViewReply(deps.slack, str(view.get("id") or "")), arrived_at())

    def job() -> None:
        try:
            outcome.deliver(reassign(memory, user, chosen, deps))
        except Exception:
            logger.exception("Failed to reassign lead %s", memory.lead_id)
            outcome.deliver(build_message_view(texts.REASSIGN_TITLE, texts.SOMETHING_BROKE))

    deps.work.submit(job)
    shown = outcome.for_ack() or build_message_view(texts.REASSIGN_TITLE, texts.SAVING)
    ack(response_action="update", view=shown)


def reassign(memory: ReassignMemory, user: str, chosen: str, deps: Deps) -> dict[str, Any]:
    """Gives the lead to `chosen` if `user` may and the owner is still the one the modal showed; queues the
    new owner's DM with the card; returns the view the modal ends on."""
    lead_id, quoted = memory.lead_id, escape(memory.lead_id)
    if not may_change_owner(deps.settings, user, memory.owner):
        words = texts.NOT_YOURS_TO_CHANGE.format(lead_id=quoted, owner=_owner_words(memory.owner))
        return build_message_view(texts.REASSIGN_TITLE, words)
    person = _person(deps, chosen)
    if person is not None:
        return build_reassign_view(memory, notice=person)
    now = deps.clock()
    change = deps.store.change_owner(
        lead_id, chosen, expected_owner=memory.owner, by=user, kind="reassigned", now=now
    )
    if not change.done:
        owner = change.clock.owner if change.clock else None
        words = texts.OWNER_CHANGED.format(lead_id=quoted, owner=_owner_words(owner))
        return build_message_view(texts.REASSIGN_TITLE, words)
    logger.info("Lead %s reassigned by %s from %s to %s", lead_id, user, memory.owner, chosen)
    dm = NewAlert(kind="dm", channel=chosen, lead_id=lead_id, payload={"reason": "reassigned", "by": user})
    deps.store.queue_alert(dm, now=now)
    at = CardAt(memory.kind, memory.channel, memory.ts, memory.response_url)
    refresh(deps, lead_id, user, at)
    return build_message_view(texts.REASSIGN_TITLE, texts.REASSIGNED_DONE.format(lead_id=quoted, user=chosen))


def _person(deps: Deps, user_id: str) -> str | None:
    """Why `user_id` can't own a lead (a bot, or not found), or None for a person."""
    try:
        found = deps.slack.users_info(user=user_id).get("user") or {}
    except SlackApiError:
        return texts.REASSIGN_UNKNOWN
    if found.get("is_bot") or found.get("is_app_user") or found.get("id") == "USLACKBOT":
        return texts.REASSIGN_TO_BOT
    if found.get("deleted"):
        return texts.REASSIGN_UNKNOWN
    return None


# --- Log contact ----------------------------------------------------------------------------------------


def handle_log_contact(ack: Ack, body: dict[str, Any], action: dict[str, Any], deps: Deps) -> None:
    """Log contact: counts an attempt (claiming an unowned lead for the person first)."""
    ack()
    if click := read_click(ContactOption.from_value, body, action, deps):
        _submit(deps, "log contact", log_contact, click, card_at(body, action), deps)


def log_contact(click: Click[ContactOption], at: CardAt, deps: Deps) -> None:
    lead_id, outcome, user = click.value.lead_id, click.value.outcome, click.invocation.user_id
    quoted, settings = escape(lead_id), deps.settings
    lead = _alerted(deps, lead_id)
    if lead is None:
        tell(click, texts.CONTACT_UNKNOWN.format(lead_id=quoted))
        return
    now = deps.clock()
    clock = deps.store.clock(lead_id)
    owner = clock.owner if clock else None
    claimed = False
    if owner is None:
        owner = deps.store.claim(lead_id, user, now=now).user_id
        claimed = owner == user
    if not may_change_owner(settings, user, owner):
        tell(click, texts.NOT_YOURS_TO_LOG.format(lead_id=quoted, owner=mention(owner)))
        refresh(deps, lead_id, user, at)
        return
    hours = settings.working_hours()
    retry_at = hours.add(now, settings.leadbot_retry_minutes) if outcome == "no_answer" else None
    logged = deps.store.log_contact(lead_id, outcome, by=user, now=now, retry_at=retry_at)
    if logged is None:
        tell(click, texts.CONTACT_UNKNOWN.format(lead_id=quoted))
        return
    logger.info("Contact logged on lead %s by %s: %s (attempt %d)", lead_id, user, outcome, logged.attempts)
    words = texts.CONTACT_OUTCOMES[outcome].lower()
    if retry_at is not None:
        done = texts.LOGGED_RETRY.format(
            outcome=words, attempt=logged.attempts, when=_when(retry_at, now, hours)
        )
    else:
        done = texts.LOGGED.format(outcome=words, attempt=logged.attempts)
    if claimed:
        done = f"{texts.LOGGED_CLAIMED.format(lead_id=quoted)} {done}"
    tell(click, done)
    if logged.attempts == settings.leadbot_max_attempts and not logged.closed:
        question = build_attempts_question(lead_id, lead_title(lead), logged.attempts)
        click.reply.send(question, replace_original=False)
    refresh(deps, lead_id, user, at)


def _when(moment: datetime, now: datetime, hours: WorkingHours) -> str:
    """A reminder's time as the team reads it: "14:35" today, "Tue 08:30" another day."""
    local, today = moment.astimezone(hours.zone), now.astimezone(hours.zone)
    if local.date() == today.date():
        return f"{local:%H:%M}"
    return f"{local:%a %H:%M}"


# --- Close lead / Keep trying ---------------------------------------------------------------------------


def handle_close(ack: Ack, body: dict[str, Any], action: dict[str, Any], deps: Deps) -> None:
    """Close lead, after the last attempt: no more reminders; the card says closed."""
    ack()
    if click := read_click(CloseButton.from_value, body, action, deps):
        _submit(deps, "close a lead", close, click, deps, True)


def handle_keep_trying(ack: Ack, body: dict[str, Any], action: dict[str, Any], deps: Deps) -> None:
    """Keep trying, after the last attempt: the lead stays open."""
    ack()
    if click := read_click(KeepTryingButton.from_value, body, action, deps):
        _submit(deps, "keep a lead open", close, click, deps, False)


def close(click: Click[LeadButton], deps: Deps, closed: bool) -> None:
    """Answers the question in place: closed, or kept open (owner, admins and managers only)."""
    lead_id, user, quoted = click.value.lead_id, click.invocation.user_id, escape(click.value.lead_id)
    clock = deps.store.clock(lead_id)
    if clock is None:
        tell(click, texts.CONTACT_UNKNOWN.format(lead_id=quoted))
        return
    if clock.owner is not None and not may_change_owner(deps.settings, user, clock.owner):
        tell(click, texts.NOT_YOURS_TO_LOG.format(lead_id=quoted, owner=mention(clock.owner)))
        return
    deps.store.close_clock(lead_id, by=user, now=deps.clock(), closed=closed)
    words = (texts.CLOSED_DONE if closed else texts.KEPT_DONE).format(lead_id=quoted)
    click.reply.send(build_notice(words), replace_original=True)
    refresh(deps, lead_id, user)


def register(app: App, deps: Deps) -> None:
    """Unclaim, Reassign… and its modal, Log contact, Close lead and Keep trying."""
    app.action(ids.UNCLAIM_LEAD)(partial(handle_unclaim, deps=deps))
    app.action(ids.REASSIGN_LEAD)(partial(handle_reassign, deps=deps))
    app.view(ids.REASSIGN_VIEW)(partial(handle_reassign_submission, deps=deps))
    app.action(ids.LOG_CONTACT)(partial(handle_log_contact, deps=deps))
    app.action(ids.CLOSE_LEAD)(partial(handle_close, deps=deps))
    app.action(ids.KEEP_TRYING)(partial(handle_keep_trying, deps=deps))
