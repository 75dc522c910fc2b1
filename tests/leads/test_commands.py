"""What each /leads action does, without Slack: against the simulator and a real store, as one person."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from pydantic import SecretStr

from leadbot.heatpunk import NewLead, NotFound
from leadbot.leads import commands
from leadbot.leads.commands import Asker
from leadbot.leads.context import Deps
from leadbot.leads.grammar import FindLeads, ListLeads, MapEmail, SetStatus, UnmapEmail
from leadbot.leads.identity import ActingEmail
from leadbot.sandbox.service import OWNER_EMAIL, STANDARD_EMAIL, Sandbox
from leadbot.settings import load_settings
from leadbot.store import CycleWrite, LeadIn
from tests.deps import make_root

OWNER = Asker("U0OWNER1", ActingEmail(OWNER_EMAIL, "from your Slack profile"))
STANDARD = Asker("U0STAND1", ActingEmail(STANDARD_EMAIL, "from your Slack profile"))


@pytest.fixture
def deps(sandbox: Sandbox, sqlite_url: str) -> Iterator[Deps]:
    """The dependencies, with a Slack client nobody answers: these actions never need Slack."""
    settings = load_settings(
        env_file=None,
        heatpunk_api_key=SecretStr(sandbox.api_key),
        heatpunk_base_url=sandbox.base_url,
        database_url=sqlite_url,
    )
    closers: list[Callable[[], None]] = []
    yield make_root(settings.model_copy(update={"slack_api_url": "http://127.0.0.1:9/"}), closers).deps
    for close in reversed(closers):
        close()


def test_a_list_holds_the_leads_since_that_day_newest_first(deps: Deps) -> None:
    since = commands.today(deps) - timedelta(days=14)
    leads = commands.leads_for(deps, OWNER, ListLeads(since))
    assert leads
    assert all(lead.date_created.date() >= since - timedelta(days=1) for lead in leads)
    assert leads == sorted(leads, key=lambda lead: (lead.date_created, lead.id), reverse=True)


def test_a_search_finds_by_phone_digits(deps: Deps, sandbox: Sandbox) -> None:
    lead_id = sandbox.add_lead(customerName="Findable Person", customerPhone="07111 111111")
    found = commands.leads_for(deps, OWNER, FindLeads("+44 7111 111111"))
    assert [lead.id for lead in found] == [lead_id]


def test_each_person_sees_only_what_heatpunk_lets_them(deps: Deps, sandbox: Sandbox) -> None:
    lead_id = sandbox.add_lead(customerName="Not Yours", assigned_to=OWNER_EMAIL)
    assert commands.lookup(deps, OWNER, lead_id).customer_name == "Not Yours"
    with pytest.raises(NotFound):
        commands.lookup(deps, STANDARD, lead_id)


def test_setting_a_status_uses_leadbots_spelling_and_is_audited(deps: Deps, sandbox: Sandbox) -> None:
    lead_id = sandbox.add_lead(customerName="Status Person", status="new")
    change = commands.set_status(deps, OWNER, SetStatus(lead_id, "quote"))
    assert (change.before, change.status, change.changed) == ("new", "Quote", True)
    assert sandbox.lead(lead_id)["status"] == "Quote"  # type: ignore[index]
    again = commands.set_status(deps, OWNER, SetStatus(lead_id, "Quote"))
    assert not again.changed
    [entry] = deps.store.audit_for(lead_id)
    assert (entry.action, entry.slack_user, entry.before) == ("status", OWNER.user_id, {"status": "new"})


def test_a_lead_created_through_leadbot_is_owned_by_its_creator_with_its_clock_running(
    deps: Deps, sandbox: Sandbox
) -> None:
    created = commands.create_lead(
        deps, OWNER, NewLead(customer_name="Own Person", customer_phone="07700 900124")
    )
    clock = deps.store.clock(created.id)
    assert clock is not None
    assert (clock.owner, clock.timed, clock.clock_from) == (OWNER.user_id, True, created.date_created)
    assert [(event.kind, event.actor) for event in deps.store.events(created.id)] == [
        ("created", OWNER.user_id)
    ]


def test_create_then_delete_are_audited_with_what_they_changed(deps: Deps, sandbox: Sandbox) -> None:
    created = commands.create_lead(
        deps, OWNER, NewLead(customer_name="New Person", customer_phone="07700 900123")
    )
    assert sandbox.lead(created.id) is not None
    assert created.status == "new"
    deleted = commands.delete_lead(deps, OWNER, created.id)
    assert deleted.customer_name == "New Person"
    assert sandbox.lead(created.id) is None
    delete, create = deps.store.audit_for(created.id)
    assert (create.action, create.after) == (
        "create",
        {
            "customerName": "New Person",
            "customerEmail": None,
            "customerPhone": "07700 900123",
            "address": None,
            "postcode": None,
            "lat": None,
            "lng": None,
        },
    )
    assert (delete.action, delete.after) == ("delete", None)


def test_possible_duplicates_share_an_email_or_a_phone(deps: Deps, sandbox: Sandbox) -> None:
    original = sandbox.add_lead(customerName="Dup Original", customerEmail="dup@example.co.uk")
    same_email = NewLead(customer_name="Again", customer_email="DUP@example.co.uk")
    assert [lead.id for lead in commands.possible_duplicates_of(deps, OWNER, same_email)] == [original]
    other = NewLead(customer_name="Other", customer_email="someone.else@example.co.uk")
    assert commands.possible_duplicates_of(deps, OWNER, other) == []


def test_an_admin_maps_and_unmaps_a_members_email(deps: Deps) -> None:
    commands.map_email(deps, OWNER, MapEmail(STANDARD.user_id, OWNER_EMAIL))
    assert deps.identity.email_for(STANDARD.user_id).email == OWNER_EMAIL
    assert commands.unmap_email(deps, UnmapEmail(STANDARD.user_id))
    assert not commands.unmap_email(deps, UnmapEmail(STANDARD.user_id))


def alerted(deps: Deps, lead_id: str, *, gone: bool = False) -> None:
    """Records `lead_id` as a lead the poller saw (and, with `gone`, then saw deleted)."""
    now = deps.clock()
    assert deps.store.acquire_lease("test", ttl=timedelta(minutes=5), now=now)
    seen = LeadIn(lead_id=lead_id, created_at=now, fingerprint="fp", status="new", data={"id": lead_id})
    deps.store.commit_cycle("test", CycleWrite(new=[seen]), now=now)
    if gone:
        deps.store.commit_cycle("test", CycleWrite(gone=[lead_id]), now=now)


def test_the_first_claim_wins_and_is_audited(deps: Deps) -> None:
    deps.store.set_email_override(OWNER.user_id, OWNER_EMAIL, set_by="U0ADMIN1")
    alerted(deps, "1001")
    assert commands.claim_lead(deps, OWNER.user_id, "1001").user_id == OWNER.user_id
    assert commands.claim_lead(deps, STANDARD.user_id, "1001").user_id == OWNER.user_id
    [claim] = deps.store.audit_for("1001")
    assert (claim.action, claim.email, claim.after) == ("claim", OWNER_EMAIL, {"claimed_by": OWNER.user_id})


def test_only_a_lead_leadbot_alerted_and_still_sees_can_be_claimed(deps: Deps) -> None:
    alerted(deps, "2002", gone=True)
    for lead_id in ("9999", "2002"):
        assert commands.claim_lead(deps, OWNER.user_id, lead_id) is None
        assert deps.store.claim_for(lead_id) is None
        assert deps.store.audit_for(lead_id) == []
