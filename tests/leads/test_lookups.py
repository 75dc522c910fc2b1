"""Looking a lead up by ID: the smallest window that holds it, and a short per-person memory of the last fetch.

Counted on what the simulator really received: each `leads/fetch` and its furthestDate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from pydantic import SecretStr

from leadbot.heatpunk import HeatpunkClient, Lead, NotFound, build_http_client
from leadbot.leads import commands
from leadbot.leads.commands import Asker
from leadbot.leads.context import Deps
from leadbot.leads.grammar import FindLeads, ListLeads, SetStatus
from leadbot.leads.identity import ActingEmail
from leadbot.leads.lookups import LeadLookups
from leadbot.sandbox.service import ADMIN_EMAIL, OWNER_EMAIL, STANDARD_EMAIL, Sandbox
from leadbot.settings import load_settings
from tests.deps import make_root

OWNER = Asker("U0OWNER1", ActingEmail(OWNER_EMAIL, "from your Slack profile"))
ADMIN = Asker("U0ADMIN1", ActingEmail(ADMIN_EMAIL, "from your Slack profile"))
STANDARD = Asker("U0STAND1", ActingEmail(STANDARD_EMAIL, "from your Slack profile"))


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def deps(sandbox: Sandbox, sqlite_url: str, clock: Clock) -> Iterator[Deps]:
    """leadbot's dependencies as production builds them, on the simulator, with a clock the test moves."""
    settings = load_settings(
        env_file=None,
        heatpunk_api_key=SecretStr(sandbox.api_key),
        heatpunk_base_url=sandbox.base_url,
        database_url=sqlite_url,
        slack_api_url="http://127.0.0.1:9/",
        leadbot_lookup_cache_seconds=30,
    )
    closers: list[Callable[[], None]] = []
    root = make_root(settings, closers)
    root.clock = clock
    yield root.deps
    for close in reversed(closers):
        close()


def fetched_from(sandbox: Sandbox) -> list[date]:
    """The furthestDate of every leads/fetch the simulator received, in order."""
    return [
        date.fromisoformat(request.body["furthestDate"])
        for request in sandbox.requests
        if request.path.endswith("/leads/fetch")
    ]


def days_back(deps: Deps, furthest: date) -> int:
    return (commands.today(deps) - furthest).days


def test_a_lead_from_this_week_is_found_with_one_short_fetch(
    deps: Deps, sandbox: Sandbox, clock: Clock
) -> None:
    lead_id = sandbox.add_lead(customerName="Recent Person", dateCreated=clock() - timedelta(days=3))
    sandbox.clear_requests()
    assert commands.lookup(deps, OWNER, lead_id).customer_name == "Recent Person"
    [furthest] = fetched_from(sandbox)
    assert 7 <= days_back(deps, furthest) <= 8


def test_an_old_lead_widens_the_window_until_it_is_found(deps: Deps, sandbox: Sandbox, clock: Clock) -> None:
    lead_id = sandbox.add_lead(customerName="Old Person", dateCreated=clock() - timedelta(days=200))
    sandbox.clear_requests()
    assert commands.lookup(deps, OWNER, lead_id).customer_name == "Old Person"
    windows = [days_back(deps, furthest) for furthest in fetched_from(sandbox)]
    assert len(windows) == 3
    assert windows == sorted(windows)
    assert windows[-1] == deps.settings.leadbot_search_days


def test_an_unknown_id_ends_at_the_full_window_and_is_not_found(deps: Deps, sandbox: Sandbox) -> None:
    sandbox.clear_requests()
    with pytest.raises(NotFound):
        commands.lookup(deps, OWNER, "999999999")
    windows = [days_back(deps, furthest) for furthest in fetched_from(sandbox)]
    assert windows[-1] == deps.settings.leadbot_search_days


def test_a_second_look_up_within_the_cache_time_fetches_nothing(
    deps: Deps, sandbox: Sandbox, clock: Clock
) -> None:
    lead_id = sandbox.add_lead(customerName="Card Person", dateCreated=clock() - timedelta(days=1))
    commands.lookup(deps, OWNER, lead_id)
    sandbox.clear_requests()
    clock.advance(deps.settings.leadbot_lookup_cache_seconds - 1)
    assert commands.lookup(deps, OWNER, lead_id).customer_name == "Card Person"
    assert fetched_from(sandbox) == []


def test_a_look_up_after_the_cache_time_fetches_again(deps: Deps, sandbox: Sandbox, clock: Clock) -> None:
    lead_id = sandbox.add_lead(customerName="Card Person", dateCreated=clock() - timedelta(days=1))
    commands.lookup(deps, OWNER, lead_id)
    sandbox.clear_requests()
    clock.advance(deps.settings.leadbot_lookup_cache_seconds + 1)
    commands.lookup(deps, OWNER, lead_id)
    assert len(fetched_from(sandbox)) == 1


def test_a_status_change_makes_the_next_look_up_fetch_again(
    deps: Deps, sandbox: Sandbox, clock: Clock
) -> None:
    lead_id = sandbox.add_lead(
        customerName="Status Person", status="new", dateCreated=clock() - timedelta(days=1)
    )
    commands.set_status(deps, OWNER, SetStatus(lead_id, "Quote"))
    sandbox.clear_requests()
    assert commands.lookup(deps, OWNER, lead_id).status == "Quote"
    assert len(fetched_from(sandbox)) == 1


def test_an_edit_makes_the_next_look_up_fetch_again(deps: Deps, sandbox: Sandbox, clock: Clock) -> None:
    lead_id = sandbox.add_lead(customerName="Before Edit", dateCreated=clock() - timedelta(days=1))
    before = commands.lookup(deps, OWNER, lead_id)
    commands.save_lead(
        deps, OWNER, lead_id, {"customerName": "After Edit"}, {"customerName": before.customer_name}
    )
    assert commands.lookup(deps, OWNER, lead_id).customer_name == "After Edit"


def test_a_deleted_lead_is_not_found_from_the_cache(deps: Deps, sandbox: Sandbox, clock: Clock) -> None:
    lead_id = sandbox.add_lead(customerName="Gone Soon", dateCreated=clock() - timedelta(days=1))
    commands.delete_lead(deps, OWNER, lead_id)
    with pytest.raises(NotFound):
        commands.lookup(deps, OWNER, lead_id)


def test_a_lead_created_after_a_cached_fetch_is_still_found(
    deps: Deps, sandbox: Sandbox, clock: Clock
) -> None:
    first = sandbox.add_lead(customerName="First", dateCreated=clock() - timedelta(days=1))
    commands.lookup(deps, OWNER, first)
    later = sandbox.add_lead(customerName="Created Since", dateCreated=clock())
    assert commands.lookup(deps, OWNER, later).customer_name == "Created Since"


def test_another_persons_look_up_never_uses_the_first_persons_fetch(
    deps: Deps, sandbox: Sandbox, clock: Clock
) -> None:
    lead_id = sandbox.add_lead(
        customerName="Owner Only", assigned_to=OWNER_EMAIL, dateCreated=clock() - timedelta(days=1)
    )
    commands.lookup(deps, OWNER, lead_id)
    sandbox.clear_requests()
    commands.lookup(deps, ADMIN, lead_id)
    fetches = [r for r in sandbox.requests if r.path.endswith("/leads/fetch")]
    assert fetches
    assert {r.body["userEmail"] for r in fetches} == {ADMIN_EMAIL}


def test_a_lead_another_person_may_not_see_stays_unseen_after_the_first_person_looked_it_up(
    deps: Deps, sandbox: Sandbox, clock: Clock
) -> None:
    lead_id = sandbox.add_lead(
        customerName="Not Yours", assigned_to=OWNER_EMAIL, dateCreated=clock() - timedelta(days=1)
    )
    commands.lookup(deps, OWNER, lead_id)
    with pytest.raises(NotFound):
        commands.lookup(deps, STANDARD, lead_id)


def test_a_card_from_a_list_opens_without_fetching_again(deps: Deps, sandbox: Sandbox, clock: Clock) -> None:
    lead_id = sandbox.add_lead(customerName="Listed Person", dateCreated=clock() - timedelta(days=2))
    listed = commands.leads_for(deps, OWNER, ListLeads(commands.today(deps) - timedelta(days=7)))
    assert lead_id in {lead.id for lead in listed}
    sandbox.clear_requests()
    assert commands.lookup(deps, OWNER, lead_id).customer_name == "Listed Person"
    assert fetched_from(sandbox) == []


def test_a_list_or_search_always_fetches_afresh(deps: Deps, sandbox: Sandbox, clock: Clock) -> None:
    commands.leads_for(deps, OWNER, FindLeads("Nobody By This Name"))
    added = sandbox.add_lead(customerName="Nobody By This Name", dateCreated=clock())
    found = commands.leads_for(deps, OWNER, FindLeads("Nobody By This Name"))
    assert [lead.id for lead in found] == [added]


def test_with_the_cache_off_every_look_up_fetches(sandbox: Sandbox, sqlite_url: str, clock: Clock) -> None:
    settings = load_settings(
        env_file=None,
        heatpunk_api_key=SecretStr(sandbox.api_key),
        heatpunk_base_url=sandbox.base_url,
        database_url=sqlite_url,
        slack_api_url="http://127.0.0.1:9/",
        leadbot_lookup_cache_seconds=0,
    )
    closers: list[Callable[[], None]] = []
    try:
        deps = make_root(settings, closers).deps
        lead_id = sandbox.add_lead(customerName="Uncached", dateCreated=clock() - timedelta(days=1))
        commands.lookup(deps, OWNER, lead_id)
        sandbox.clear_requests()
        commands.lookup(deps, OWNER, lead_id)
        assert len(fetched_from(sandbox)) == 1
    finally:
        for close in reversed(closers):
            close()


def test_a_fetch_bigger_than_the_bound_is_not_kept(sandbox: Sandbox, clock: Clock) -> None:
    http = build_http_client(5)
    try:
        client = HeatpunkClient(http, sandbox.base_url, SecretStr(sandbox.api_key))
        lookups = LeadLookups(client, cache_seconds=30, clock=clock, max_leads=0)
        lead_id = sandbox.add_lead(customerName="Bounded", dateCreated=clock() - timedelta(days=1))
        today = clock().date()
        lookups.find(OWNER_EMAIL, lead_id, today=today, search_days=365)
        sandbox.clear_requests()
        lookups.find(OWNER_EMAIL, lead_id, today=today, search_days=365)
        assert len(fetched_from(sandbox)) == 1
    finally:
        http.close()


class WriteDuringFetch:
    """A Heatpunk stand-in whose fetch is overtaken by a write (forget) before it answers."""

    def __init__(self, lead: Lead) -> None:
        self.lead = lead
        self.lookups: LeadLookups | None = None
        self.fetches = 0

    def fetch(self, email: str, since: date) -> list[Lead]:
        self.fetches += 1
        assert self.lookups is not None
        self.lookups.forget(email, self.lead.id)
        return [self.lead]


def test_a_fetch_overtaken_by_a_write_is_not_kept(clock: Clock) -> None:
    lead = Lead(id="42", date_created=clock(), status="new")
    heatpunk = WriteDuringFetch(lead)
    lookups = LeadLookups(heatpunk, cache_seconds=30, clock=clock)  # type: ignore[arg-type]
    heatpunk.lookups = lookups
    lookups.find(OWNER_EMAIL, "42", today=clock().date(), search_days=365)
    lookups.find(OWNER_EMAIL, "42", today=clock().date(), search_days=365)
    assert heatpunk.fetches == 2
