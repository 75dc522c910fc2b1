"""A seeded week of leads with known speed-to-lead answers (Mon 2 – Sun 8 March 2026, London = UTC then).

Working hours Mon–Fri 08:30–18:00. Each lead: arrival, first owner, first contact, source, status moves.
  L1 Mon 10:00 speedypv/facebook, U1 claims 10:02, contact 10:03 (2 / 3 min), moves to Quote
  L2 Mon 10:00 speedypv/facebook, U1 claims 10:10, contact 10:20 (10 / 20 min), moves to Quote, then Sale
  L3 Fri 17:58 Google, U2 claims Sat 09:00, contact Mon 9th 08:31 (2 / 3 working min across the weekend)
  L4 Wed 12:00 created in Slack by U2 (owner at once), contact 12:45 (0 / 45 min)
  L5 Thu 09:00 no origin, nobody claims or calls it
  L6 Sun 20:00 Google (out of hours), U2 claims Mon 9th 08:40 (10 working min), no contact
  L0 Sun 1st, before the week: not counted
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from leadbot.routing.hours import WorkingHours
from leadbot.store import ClockIn, CycleWrite, LeadIn, Store

LONDON = ZoneInfo("Europe/London")
HOURS = WorkingHours.parse("Mon-Fri 08:30-18:00", timezone="Europe/London", holidays="england-and-wales")
SPEEDY = "https://www.speedypv.co.uk/quote?utm_source=facebook&utm_medium=paid"
U1, U2 = "U0ANN001", "U0BOB001"
TTL = timedelta(days=60)


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON).astimezone(UTC)


ORIGINS: dict[str, str | None] = {}


def arrive(store: Store, lead_id: str, at: str, origin: str | None, *, created_by: str | None = None) -> None:
    moment = local(at)
    ORIGINS[lead_id] = origin
    data = {"id": lead_id, "customer_name": f"Customer {lead_id}", "origin": origin}
    clock = ClockIn(
        lead_id,
        moment,
        out_of_hours=not HOURS.is_open(moment),
        owner=created_by,
        how="created" if created_by else "arrived",
        actor=created_by or "leadbot",
    )
    store.commit_cycle(
        "me",
        CycleWrite(new=[LeadIn(lead_id, moment, f"fp{lead_id}", "new", data)], clocks=[clock]),
        now=moment,
    )


def move(store: Store, lead_id: str, status: str, at: str) -> None:
    data = {
        "id": lead_id,
        "customer_name": f"Customer {lead_id}",
        "origin": ORIGINS[lead_id],
        "status": status,
    }
    lead = LeadIn(lead_id, local("2026-03-02T10:00"), f"fp{lead_id}{status}", status, data)
    store.commit_cycle("me", CycleWrite(changed=[lead]), now=local(at))


def seed(store: Store) -> None:
    assert store.acquire_lease("me", ttl=TTL, now=local("2026-03-01T00:00"))
    arrive(store, "L0", "2026-03-01T12:00", SPEEDY)
    arrive(store, "L1", "2026-03-02T10:00", SPEEDY)
    arrive(store, "L2", "2026-03-02T10:00", SPEEDY)
    arrive(store, "L3", "2026-03-06T17:58", "Google")
    arrive(store, "L4", "2026-03-04T12:00", "api", created_by=U2)
    arrive(store, "L5", "2026-03-05T09:00", None)
    arrive(store, "L6", "2026-03-08T20:00", "Google")
    store.claim("L1", U1, now=local("2026-03-02T10:02"))
    store.log_contact("L1", "spoke", by=U1, now=local("2026-03-02T10:03"), retry_at=None)
    store.claim("L2", U1, now=local("2026-03-02T10:10"))
    store.log_contact("L2", "no_answer", by=U1, now=local("2026-03-02T10:20"), retry_at=None)
    store.claim("L3", U2, now=local("2026-03-07T09:00"))
    store.log_contact("L3", "spoke", by=U2, now=local("2026-03-09T08:31"), retry_at=None)
    store.log_contact("L4", "emailed", by=U2, now=local("2026-03-04T12:45"), retry_at=None)
    store.claim("L6", U2, now=local("2026-03-09T08:40"))
    move(store, "L1", "quote", "2026-03-03T09:00")  # matched to Quote whatever its case
    move(store, "L2", "Quote", "2026-03-03T09:00")
    move(store, "L2", "SALE", "2026-03-05T09:00")
