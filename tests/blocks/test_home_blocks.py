"""The Home tab: leads waiting for someone (Claim), the person's open leads (Open), New lead, help."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from leadbot import ids
from leadbot.blocks.home import HomeData, Week, build_home, week_line
from leadbot.heatpunk import Lead
from leadbot.routing.clock import ClockView

CREATED = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


def lead(lead_id: str, name: str = "Ada <!channel>") -> Lead:
    return Lead(id=lead_id, date_created=CREATED, customer_name=name, postcode="CB24 6YU")


def test_waiting_leads_offer_claim_and_mine_offer_open_with_their_clocks() -> None:
    view = build_home(
        HomeData(
            waiting=[(lead("1"), ClockView(waiting_minutes=4))],
            mine=[(lead("2", "Bob"), ClockView(owner="U0SAM0001", attempts=2, first_contact_minutes=7))],
            more_waiting=3,
        )
    )
    rows = {b["block_id"]: b for b in view["blocks"] if b.get("block_id", "").startswith(ids.HOME_LEAD_BLOCK)}
    waiting, mine = rows[ids.block_id(ids.HOME_LEAD_BLOCK, "1")], rows[ids.block_id(ids.HOME_LEAD_BLOCK, "2")]
    assert waiting["accessory"]["action_id"] == ids.CLAIM_LEAD
    assert mine["accessory"]["action_id"] == ids.OPEN_LEAD
    assert "Unclaimed · ⏱ 4 min" in waiting["text"]["text"]
    assert "Owner: <@U0SAM0001> · 2 attempts" in mine["text"]["text"]
    shown = json.dumps(view, ensure_ascii=False)
    assert "<!channel>" not in shown  # lead text escaped
    assert "…and 3 more." in shown
    assert len(view["blocks"]) <= 100


def test_an_empty_worklist_says_so_in_words() -> None:
    shown = json.dumps(build_home(), ensure_ascii=False)
    assert "Nobody is waiting: every lead has an owner." in shown
    assert "You own no open leads." in shown
    assert ids.NEW_LEAD in shown


def test_reminders_due_today_the_week_and_for_admins_health_and_the_rota() -> None:
    data = HomeData(
        due=[(lead("3", "Cara"), "try again at 14:35")],
        week=Week(owned=12, median_minutes=4, within_five=0.75),
        admin=True,
        health=["Last successful poll: Tue 10:00"],
        rota=["<@U0SAM0001> — available now"],
    )
    shown = json.dumps(build_home(data), ensure_ascii=False)
    assert "Your reminders due today" in shown
    assert "try again at 14:35" in shown
    assert "This week: 12 lead(s) owned · median first contact 4 min · 75% within 5 min" in shown
    assert "Last successful poll: Tue 10:00" in shown
    assert "<@U0SAM0001> — available now" in shown
    assert "/leads rota" in shown  # admins' help
    member = json.dumps(build_home(HomeData(health=["secret health"], rota=["x"])), ensure_ascii=False)
    assert "secret health" not in member
    assert "/leads rota" not in member
    assert week_line(Week()) == "This week: 0 lead(s) owned · median first contact — · — within 5 min"


def test_a_search_shows_its_results_or_why_it_could_not_run() -> None:
    found = build_home(HomeData(search="cb24", found=[lead("4", "Dan"), lead("5", "Eve")]))
    blocks = found["blocks"]
    search = next(b for b in blocks if b.get("block_id") == ids.HOME_SEARCH_BLOCK)
    assert search["dispatch_action"] is True
    assert search["element"]["action_id"] == ids.HOME_SEARCH
    assert search["element"]["initial_value"] == "cb24"
    assert "*2 found* for “cb24”" in json.dumps(blocks, ensure_ascii=False)
    failed = json.dumps(build_home(HomeData(search="cb24", search_problem="Heatpunk didn't answer")))
    assert "Heatpunk didn't answer" in failed
