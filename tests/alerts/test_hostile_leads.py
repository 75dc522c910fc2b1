"""Leads no web form should produce still cost nobody an alert: half an emoji, NUL characters, impossible dates."""

from __future__ import annotations

from datetime import date
from typing import Any

from leadbot.blocks.leads import build_lead_list
from leadbot.leads.grammar import ListLeads
from tests.alerts.rig import Rig
from tests.fakes.heatpunk_fixtures import TEAM_EMAIL


def test_a_name_with_half_an_emoji_is_alerted_and_polling_goes_on(rig: Rig) -> None:
    service = rig.service()
    assert service.run_once().ok
    eve = rig.sandbox.add_lead(customerName="Eve \ud83d")
    result = service.run_once()
    assert result.ok, result.poll_error
    assert rig.alerted() == {eve: 1}
    assert "Eve \ufffd" in rig.card_of(eve).text
    next_one = rig.sandbox.add_lead()
    assert service.run_once().ok
    assert rig.alerted() == {eve: 1, next_one: 1}


def test_nul_characters_in_a_lead_are_stored_and_alerted(rig_any_db: Rig) -> None:
    """PostgreSQL refuses NUL in text and JSON: the cycle commit must not carry one."""
    rig = rig_any_db
    service = rig.service()
    assert service.run_once().ok
    odd = rig.sandbox.add_lead(customerName="Nul\x00 Person", status="new\x00", notes={"a\x00": "b\x00c"})
    result = service.run_once()
    assert result.ok, result.poll_error
    assert rig.alerted() == {odd: 1}
    seen = rig.store().seen_lead(odd)
    assert seen is not None
    assert (seen.data["customer_name"], seen.status) == ("Nul Person", "new")
    assert seen.data["extra"]["notes"] == {"a": "bc"}


def _answer_with(rig: Rig, **odd_rows: dict[str, Any]) -> dict[str, Any]:
    """The fetch answer the simulator would give now, plus rows it could never hold (raw dateCreated text)."""
    rows = {str(lead["ID"]): {k: v for k, v in lead.items() if k != "ID"} for lead in rig.sandbox.leads}
    return {"rows": rows | odd_rows}


def test_impossible_creation_times_skip_only_those_leads(rig: Rig) -> None:
    service = rig.service()
    assert service.run_once().ok
    good = rig.sandbox.add_lead()
    template = rig.sandbox.lead(good) or {}
    odd = {
        "90001": {**template, "dateCreated": "9999-12-31T23:30:00-01:00"},
        "90002": {**template, "dateCreated": "0001-01-01T00:00:00Z"},
    }
    rig.sandbox.fail_next(status=200, body=_answer_with(rig, **odd), endpoint="fetch")
    result = service.run_once()
    assert result.ok, result.poll_error
    assert rig.alerted() == {good: 1}
    assert service.run_once().ok
    assert rig.alerted() == {good: 1}

    # /leads list: the same kind of answer, then the page people see
    rig.sandbox.fail_next(status=200, body=_answer_with(rig, **odd), endpoint="fetch")
    leads = rig.heatpunk().fetch(TEAM_EMAIL, date(2000, 1, 1))
    assert good in {lead.id for lead in leads}
    assert not {"90001", "90002"} & {lead.id for lead in leads}
    build_lead_list(leads, heading="Leads", page=1, query=ListLeads(since=date(2000, 1, 1)))
