"""The Home tab: leads waiting for someone (Claim), the person's open leads (Open), New lead, help."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from leadbot import ids
from leadbot.blocks.home import build_home
from leadbot.heatpunk import Lead
from leadbot.routing.clock import ClockView

CREATED = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


def lead(lead_id: str, name: str = "Ada <!channel>") -> Lead:
    return Lead(id=lead_id, date_created=CREATED, customer_name=name, postcode="CB24 6YU")


def test_waiting_leads_offer_claim_and_mine_offer_open_with_their_clocks() -> None:
    view = build_home(
        [(lead("1"), ClockView(waiting_minutes=4))],
        [(lead("2", "Bob"), ClockView(owner="U0SAM0001", attempts=2, first_contact_minutes=7))],
        more_waiting=3,
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
