"""Routing as Slack shows it, over real HTTP: round-robin gives each new lead the next available person, who is
told by DM and shown as its owner on the card; territory beats the rota; fair over many leads; a DM that may
have been posted is found in its DM channel, not sent twice."""

from __future__ import annotations

import collections
from datetime import UTC, datetime

from leadbot.alerts.desk import CURSOR
from tests.alerts.rig import Rig
from tests.fakes.slack_workspace import Message
from tests.support import wait_until

SAM, ANN, BOB = "U0SAM0001", "U0ANN0001", "U0BOB0001"
ALWAYS = {"leadbot_hours": "always", "leadbot_sla": "off"}


def team(rig: Rig, *people: str) -> None:
    for person in people:
        rig.slack.add_user(person, f"{person.lower()}@example.com", name=person.lower())
        rig.store().add_to_rota(person, by="UADMIN", now=datetime.now(UTC))


def dms(rig: Rig, user: str) -> list[Message]:
    channel = "D" + user[1:]
    return rig.messages(channel) if channel in rig.slack.channels else []


def test_round_robin_gives_each_new_lead_the_next_person_who_is_told_by_dm(rig: Rig) -> None:
    team(rig, SAM, ANN, BOB)
    rig.store().set_away(ANN, until=None, now=datetime.now(UTC))
    service = rig.service(settings=rig.settings(leadbot_routing="round-robin", **ALWAYS))
    service.run_once()
    first, second, third = (rig.sandbox.add_lead(customerName=f"Lead {n} <!here>") for n in range(3))
    assert service.run_once().ok
    owners = {lead_id: rig.store().clock(lead_id) for lead_id in (first, second, third)}
    assert [clock.owner if clock else None for clock in owners.values()] == [SAM, BOB, SAM]  # Ann is away
    assert rig.store().marker(CURSOR) == SAM
    assert [m.text.split(" — ")[0] for m in dms(rig, BOB)] == [
        f":inbox_tray: New lead for you: Lead 1 &lt;!here&gt; (lead {second})"  # plain words: no mrkdwn
    ]
    assert "routed to you (round-robin)" in dms(rig, BOB)[0].text
    assert len(dms(rig, SAM)) == 2
    assert dms(rig, ANN) == []
    assert f"Owner: <@{SAM}>" in str(rig.card_of(first).blocks)


def test_a_territory_owner_gets_their_postcode_area_before_the_rota(rig: Rig) -> None:
    team(rig, SAM, ANN)
    rig.store().set_territory("PE19", ANN, by="UADMIN", now=datetime.now(UTC))
    service = rig.service(settings=rig.settings(leadbot_routing="territory", **ALWAYS))
    service.run_once()
    local = rig.sandbox.add_lead(customerName="Local", postcode="pe19 1ab")
    elsewhere = rig.sandbox.add_lead(customerName="Elsewhere", postcode="CB1 2AB")
    assert service.run_once().ok
    assert [rig.store().clock(lead).owner for lead in (local, elsewhere)] == [ANN, SAM]  # type: ignore[union-attr]
    assert "territory PE19" in dms(rig, ANN)[0].text


def test_round_robin_is_fair_over_a_hundred_leads_and_never_repeats_a_dm(rig: Rig) -> None:
    team(rig, SAM, ANN, BOB)
    service = rig.service(settings=rig.settings(leadbot_routing="round-robin", leadbot_burst=200, **ALWAYS))
    service.run_once()
    for batch in range(4):
        for _ in range(25):
            rig.sandbox.add_lead()
        assert service.run_once().ok, batch
    wait_until(lambda: rig.store().unsent_count() == 0, what="every DM sent")
    counts = collections.Counter({person: len(dms(rig, person)) for person in (SAM, ANN, BOB)})
    assert sum(counts.values()) == 100
    assert max(counts.values()) - min(counts.values()) <= 1


def test_a_dm_that_may_have_been_posted_is_found_in_its_dm_channel_not_sent_twice(rig: Rig) -> None:
    team(rig, SAM)
    service = rig.service(settings=rig.settings(leadbot_routing="round-robin", **ALWAYS), slack_timeout=0.5)
    service.run_once()
    lead_id = rig.sandbox.add_lead(customerName="Once")
    rig.slack.set_latency(0.8, "chat.postMessage")  # Slack posts, but answers after leadbot gave up
    assert service.run_once().send_error is not None
    rig.slack.set_latency(0.0, "chat.postMessage")
    wait_until(lambda: len(dms(rig, SAM)) == 1, what="Slack to finish the slow DM")
    wait_until(
        lambda: service.run_once().ok and rig.store().unsent_count() == 0, timeout=30, what="the retry"
    )
    assert len(dms(rig, SAM)) == 1
    assert rig.alerted()[lead_id] == 1
    assert rig.slack.calls_to("conversations.open")  # the DM was looked for in its DM channel
    [dm] = rig.store().alerts(kind="dm")
    assert (dm.state, dm.message_ts) == ("sent", dms(rig, SAM)[0].ts)


def test_a_routed_lead_appears_on_its_new_owners_home_tab(rig: Rig) -> None:
    team(rig, SAM)
    service = rig.service(settings=rig.settings(leadbot_routing="round-robin", **ALWAYS))
    service.run_once()
    lead_id = rig.sandbox.add_lead(customerName="Homeward")
    assert service.run_once().ok
    [published] = [call for call in rig.slack.calls_to("views.publish") if call.params["user_id"] == SAM]
    blocks = published.params["view"]["blocks"]
    mine = blocks[next(n for n, b in enumerate(blocks) if "Your open leads" in str(b)) :]
    assert lead_id in str(mine)
