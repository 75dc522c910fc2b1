"""What each /leads action does, as the person who asked: Heatpunk reads and writes, claims, the audit log.

No Slack here: listeners/ turn a command or a click into one of these calls and blocks/ show the result.
Every call to Heatpunk carries the asker's own email, so people see and change only what Heatpunk lets them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from leadbot.heatpunk import Lead, NewLead
from leadbot.leads.context import Deps
from leadbot.leads.form import api_values
from leadbot.leads.grammar import FindLeads, ListLeads, MapEmail, Query, SetStatus, UnmapEmail
from leadbot.leads.identity import ActingEmail, NoEmail
from leadbot.leads.permissions import canonical_status
from leadbot.leads.search import leads_since, possible_duplicates, search_leads
from leadbot.settings import UK
from leadbot.store import Claim, ClockIn

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Asker:
    """Who asked (their Slack user ID), and the email leadbot acts as for them."""

    user_id: str
    acting: ActingEmail

    @property
    def email(self) -> str:
        return self.acting.email


@dataclass(frozen=True)
class StatusChange:
    """A lead's status before and after `/leads status` or the status menu."""

    lead_id: str
    status: str
    before: str | None

    @property
    def changed(self) -> bool:
        return self.before != self.status


def today(deps: Deps) -> date:
    """Today in the UK, where the team works: what `list 7d` and the search window count back from."""
    return deps.clock().astimezone(UK).date()


def lookup(deps: Deps, asker: Asker, lead_id: str) -> Lead:
    """One lead as this person sees it (narrowest window first); NotFound when it isn't in their search window."""
    days = deps.settings.leadbot_search_days
    return deps.lookups.find(asker.email, lead_id, today=today(deps), search_days=days)


def leads_for(deps: Deps, asker: Asker, query: Query) -> list[Lead]:
    """The leads a list or a search shows, newest first."""
    match query:
        case ListLeads(since=since):
            return leads_since(deps.lookups, asker.email, since)
        case FindLeads(text=text):
            days = deps.settings.leadbot_search_days
            return search_leads(deps.lookups, asker.email, text, today=today(deps), days=days)


def set_status(deps: Deps, asker: Asker, command: SetStatus) -> StatusChange:
    """Sets a status (read first, for the audit log and to skip a change that changes nothing)."""
    status = canonical_status(deps.settings.leadbot_statuses, command.status) or command.status
    lead = lookup(deps, asker, command.lead_id)
    change = StatusChange(command.lead_id, status, lead.status)
    if not change.changed:
        return change
    try:
        deps.heatpunk.update(command.lead_id, asker.email, {"status": status})
    finally:  # even a failed write may have landed: look again next time
        deps.lookups.forget(asker.email, command.lead_id)
    _audit(deps, asker, "status", command.lead_id, before={"status": lead.status}, after={"status": status})
    return change


def delete_lead(deps: Deps, asker: Asker, lead_id: str) -> Lead:
    """Deletes a lead (the confirmed Delete button is the only caller); returns what was deleted."""
    lead = lookup(deps, asker, lead_id)
    try:
        deps.heatpunk.delete(lead_id, asker.email)
    finally:  # even a failed write may have landed: look again next time
        deps.lookups.forget(asker.email, lead_id)
    _audit(deps, asker, "delete", lead_id, before=lead.api_fields(), after=None)
    return lead


def possible_duplicates_of(deps: Deps, asker: Asker, new_lead: NewLead) -> list[Lead]:
    """Leads this person already has with the new lead's email or phone number."""
    return possible_duplicates(
        deps.lookups,
        asker.email,
        customer_email=new_lead.customer_email,
        phone=new_lead.customer_phone,
        today=today(deps),
        days=deps.settings.leadbot_search_days,
    )


def create_lead(deps: Deps, asker: Asker, new_lead: NewLead) -> Lead:
    """Creates the lead (the client never retries a create once sent); returns it as leadbot will show it."""
    try:
        lead_id = deps.heatpunk.create(new_lead)
    finally:  # even a failed write may have landed: look again next time
        deps.lookups.forget(asker.email)
    _audit(deps, asker, "create", lead_id, before=None, after=api_values(new_lead))
    now = deps.clock()
    try:  # the creator owns it, and its clock runs from now (the poller keeps this clock when it sees the lead)
        out_of_hours = not deps.settings.working_hours().is_open(now)
        owned = ClockIn(
            lead_id, now, out_of_hours=out_of_hours, owner=asker.user_id, how="created", actor=asker.user_id
        )
        deps.store.start_clock(owned)
    except Exception:  # the lead exists in Heatpunk: say so, whatever happened to its clock
        logger.exception("Failed to start the clock of lead %s created by %s", lead_id, asker.user_id)
    # Heatpunk records a lead created through its API with the origin "api": the card says who added it.
    return Lead(id=lead_id, date_created=now, status="new", origin="api", **new_lead.model_dump())


def save_lead(
    deps: Deps, asker: Asker, lead_id: str, changes: Mapping[str, Any], before: Mapping[str, Any]
) -> None:
    """Sends only the fields that changed (under Heatpunk's names)."""
    try:
        deps.heatpunk.update(lead_id, asker.email, changes)
    finally:  # even a failed write may have landed: look again next time
        deps.lookups.forget(asker.email, lead_id)
    _audit(deps, asker, "edit", lead_id, before=dict(before), after=dict(changes))


def map_email(deps: Deps, asker: Asker, command: MapEmail) -> None:
    """An admin sets the email leadbot uses for a member; it applies from their next command."""
    deps.store.set_email_override(command.user_id, command.email, set_by=asker.user_id)
    deps.identity.forget(command.user_id)
    after = {"user": command.user_id, "email": command.email}
    _audit(deps, asker, "map_email", None, before=None, after=after)


def unmap_email(deps: Deps, command: UnmapEmail) -> bool:
    """The member goes back to their Slack profile's email; False when no admin had set one."""
    removed = deps.store.remove_email_override(command.user_id)
    deps.identity.forget(command.user_id)
    return removed


def claim_lead(deps: Deps, user_id: str, lead_id: str) -> Claim | None:
    """The first claim wins and goes in the audit log; returns whoever holds the lead now.

    Only a lead leadbot alerted and still sees can be claimed: None (nothing recorded) for a stale or forged
    Claim naming any other lead.
    """
    seen = deps.store.seen_lead(lead_id)
    if seen is None or seen.gone:
        logger.info("Claim of lead %s by %s refused: not a lead leadbot alerted", lead_id, user_id)
        return None
    claim = deps.store.claim(lead_id, user_id, now=deps.clock())
    if claim.user_id == user_id:
        logger.info("Lead %s claimed by %s", lead_id, user_id)
        try:
            acting = deps.identity.email_for(user_id)
        except NoEmail:  # a claim needs no email; the audit log records it without one
            acting = ActingEmail("", "")
        _audit(deps, Asker(user_id, acting), "claim", lead_id, before=None, after={"claimed_by": user_id})
    return claim


Fields = dict[str, Any] | None  # a lead's fields before or after a change, under Heatpunk's names


def _audit(
    deps: Deps, asker: Asker, action: str, lead_id: str | None, *, before: Fields, after: Fields
) -> None:
    """Every change made through leadbot goes in the audit log: who, as which email, what was and became."""
    deps.store.record_audit(
        slack_user=asker.user_id,
        email=asker.email,
        action=action,
        lead_id=lead_id,
        before=before,
        after=after,
        now=deps.clock(),
    )
