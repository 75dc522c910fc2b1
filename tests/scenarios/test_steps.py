"""Workflow Builder steps: a signed `function_executed` event starts a step; leadbot acks at once, acts as the
step's acting user, and completes the step with its outputs or fails it in words (functions.complete*)."""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Any

from leadbot import ids, texts
from tests.fakes.slack import SALES_EMAIL, SALES_USER
from tests.fakes.slack_requests import SlackSender
from tests.fakes.slack_workspace import FunctionExecution
from tests.scenarios.conftest import HIDDEN_USER, STANDARD_USER, World, running_world

ACK_WITHIN = 1.0  # seconds: Slack wants the ack within 3


def run_step(
    world: World, slack: SlackSender, callback_id: str, *, timeout: float = 15, **inputs: Any
) -> FunctionExecution:
    """Runs a step with `inputs` (the acting user defaults to the sales user); returns it once completed."""
    inputs = {ids.STEP_ACTING_USER: SALES_USER, **inputs}
    execution, response = slack.step(callback_id, {k: v for k, v in inputs.items() if v is not None})
    assert response.status_code == 200
    world.fake.wait_for(
        lambda call: (
            call.method.startswith("functions.")
            and call.params.get("function_execution_id") == execution.execution_id
        ),
        timeout=timeout,
    )
    return execution


def owner_of(world: World, lead_id: str) -> str | None:
    """The owner leadbot's store holds for a lead (its clock), read from its SQLite file."""
    path = world.leadbot.settings.database_url.removeprefix("sqlite:///")
    with closing(sqlite3.connect(path)) as db:
        row = db.execute("SELECT owner FROM lead_clocks WHERE lead_id = ?", (lead_id,)).fetchone()
    return None if row is None else str(row[0])


def creates(world: World) -> list[Any]:
    return [request for request in world.sandbox.requests if request.path.endswith("/create")]


def test_create_a_lead_completes_with_its_id_and_a_summary(world: World, slack: SlackSender) -> None:
    before = world.sandbox.lead_count
    execution = run_step(
        world,
        slack,
        ids.STEP_CREATE_LEAD,
        customer_name="Workflow Wendy",
        customer_phone="07700 900456",
        postcode="cb24 6yu",
        address="1 Step Lane, Milton",
    )
    assert execution.state == "success", execution.error
    assert execution.outputs is not None
    lead_id = execution.outputs[ids.STEP_LEAD_ID]
    lead = world.sandbox.lead(lead_id)
    assert lead is not None
    assert world.sandbox.lead_count == before + 1
    assert (lead["customerName"], lead["postcode"], lead["customerPhone"]) == (
        "Workflow Wendy",
        "CB24 6YU",
        "07700 900456",
    )
    assert execution.outputs[ids.STEP_SUMMARY] == (
        f"Lead {lead_id}: Workflow Wendy, CB24 6YU, created by leadbot for {SALES_EMAIL}."
    )
    [done] = world.fake.calls_to("functions.completeSuccess")
    assert done.ok
    assert done.headers["authorization"] == f"Bearer {execution.token}"  # the execution's own token
    assert len(creates(world)) == 1
    assert owner_of(world, lead_id) == SALES_USER  # owned by the acting user, its clock running


def test_create_a_lead_validates_like_the_form(world: World, slack: SlackSender) -> None:
    execution = run_step(world, slack, ids.STEP_CREATE_LEAD, customer_name="No Contact", postcode="ZZ9")
    assert execution.state == "error"
    assert execution.error is not None
    assert execution.error.startswith("leadbot can't create this lead:")
    assert f"Email: {texts.NEED_CONTACT}" in execution.error
    assert f"Postcode: {texts.BAD_POSTCODE}" in execution.error
    assert creates(world) == []


def test_set_a_status(world: World, slack: SlackSender) -> None:
    lead_id = world.sandbox.add_lead(customerName="Status Step")
    execution = run_step(world, slack, ids.STEP_SET_STATUS, lead_id=lead_id, status="quote")
    assert execution.state == "success", execution.error
    assert execution.outputs == {ids.STEP_SUMMARY: f"Lead {lead_id} is now Quote (was new)."}
    assert world.sandbox.lead(lead_id)["status"] == "Quote"  # type: ignore[index]
    again = run_step(world, slack, ids.STEP_SET_STATUS, lead_id=lead_id, status="Quote")
    assert again.outputs == {ids.STEP_SUMMARY: f"Lead {lead_id} is already Quote."}


def test_a_status_near_miss_is_refused_in_words(world: World, slack: SlackSender) -> None:
    lead_id = world.sandbox.add_lead(customerName="Near Miss")
    execution = run_step(world, slack, ids.STEP_SET_STATUS, lead_id=lead_id, status="Quoted")
    assert execution.state == "error"
    assert execution.error == (
        "“Quoted” isn't one of the statuses leadbot knows: new, Lead, Quote, Sale, Install, Completed, "
        "Rejected. Did you mean Quote?"
    )
    assert world.sandbox.requests == []
    assert world.sandbox.lead(lead_id)["status"] == "new"  # type: ignore[index]


def test_a_bad_lead_id_is_refused_in_words(world: World, slack: SlackSender) -> None:
    execution = run_step(world, slack, ids.STEP_SET_STATUS, lead_id="12 34", status="Quote")
    assert execution.error == texts.STEP_BAD_LEAD_ID.format(lead_id="12 34")
    assert world.sandbox.requests == []


def test_find_leads_lists_the_first_ten_and_counts_them_all(world: World, slack: SlackSender) -> None:
    found = [
        world.sandbox.add_lead(customerName=f"Zebedee Stepfinder {n}", postcode="CB1 1AA") for n in range(12)
    ]
    execution = run_step(world, slack, ids.STEP_FIND_LEADS, text="stepfinder")
    assert execution.state == "success", execution.error
    assert execution.outputs is not None
    assert execution.outputs[ids.STEP_COUNT] == 12
    lines = execution.outputs[ids.STEP_MATCHES].splitlines()
    assert len(lines) == 10
    assert all(" · Zebedee Stepfinder " in line and line.endswith(" · CB1 1AA · new") for line in lines)
    assert {line.split(" · ")[0] for line in lines} <= set(found)


def test_find_leads_with_no_match_says_so(world: World, slack: SlackSender) -> None:
    execution = run_step(world, slack, ids.STEP_FIND_LEADS, text="nobody-by-this-name")
    assert execution.outputs is not None
    assert execution.outputs[ids.STEP_COUNT] == 0
    assert execution.outputs[ids.STEP_MATCHES].startswith("No leads match “nobody-by-this-name”")


def test_a_person_without_an_email_is_told_the_fix(world: World, slack: SlackSender) -> None:
    execution = run_step(world, slack, ids.STEP_FIND_LEADS, text="anything", acting_user=HIDDEN_USER)
    assert execution.error == texts.EMAIL_HIDDEN
    assert world.sandbox.requests == []


def test_a_step_without_an_acting_user_fails_in_words(world: World, slack: SlackSender) -> None:
    execution = run_step(world, slack, ids.STEP_FIND_LEADS, text="anything", acting_user="")
    assert execution.error == texts.STEP_NO_USER
    forged = run_step(world, slack, ids.STEP_FIND_LEADS, text="anything", acting_user="<!channel>")
    assert forged.error == texts.STEP_NOT_A_USER
    assert world.sandbox.requests == []


def test_an_api_refusal_fails_the_step_with_heatpunks_words(world: World, slack: SlackSender) -> None:
    lead_id = world.sandbox.add_lead(customerName="Refused Step")
    world.sandbox.fail_next(status=400, body={"message": "Leads can't jump to Install"}, endpoint="update")
    execution = run_step(world, slack, ids.STEP_SET_STATUS, lead_id=lead_id, status="Install")
    assert execution.state == "error"
    assert "Leads can't jump to Install" in (execution.error or "")
    assert "&" not in (execution.error or "")  # plain text, not mrkdwn entities


def test_an_api_outage_fails_the_step_with_try_again(world: World, slack: SlackSender) -> None:
    world.sandbox.fail_next(count=3, status=503)
    execution = run_step(world, slack, ids.STEP_FIND_LEADS, text="anything")
    assert execution.state == "error"
    assert "try again" in (execution.error or "")


def test_a_slow_api_still_gets_an_immediate_ack(world: World, slack: SlackSender) -> None:
    world.sandbox.latency = 2.0
    started = time.monotonic()
    execution, response = slack.step(ids.STEP_FIND_LEADS, {"text": "slow", ids.STEP_ACTING_USER: SALES_USER})
    acked = time.monotonic() - started
    assert response.status_code == 200
    assert acked < ACK_WITHIN
    assert execution.state == "running"  # the work goes on after the ack
    [done] = world.fake.wait_for("functions.completeSuccess", timeout=20)
    assert done.time - started >= 2.0
    assert execution.state == "success"


def test_slacks_redelivery_runs_the_step_once(world: World, slack: SlackSender) -> None:
    execution, _ = slack.step(ids.STEP_CREATE_LEAD, {
        ids.STEP_NAME: "Once Only", ids.STEP_EMAIL: "once@example.com", ids.STEP_ACTING_USER: SALES_USER
    })  # fmt: skip
    from tests.fakes.slack_requests import function_executed_event

    slack.event(function_executed_event(execution), retry_num=1)
    world.fake.wait_for("functions.completeSuccess")
    world.leadbot.settle()
    assert len(creates(world)) == 1
    assert world.fake.calls_to("functions.completeError") == []


def test_a_user_not_allowed_is_refused(tmp_path: Path) -> None:
    with running_world(tmp_path, LEADBOT_ALLOWED_USERS=STANDARD_USER) as world:
        execution = run_step(world, world.slack, ids.STEP_FIND_LEADS, text="anything")
        assert execution.error == texts.NOT_ALLOWED_USER
        assert world.sandbox.requests == []
        allowed = run_step(
            world, world.slack, ids.STEP_FIND_LEADS, text="anything", acting_user=STANDARD_USER
        )
        assert allowed.state == "success", allowed.error


def test_a_step_leadbot_does_not_run_is_left_alone(world: World, slack: SlackSender) -> None:
    execution, response = slack.step("someone_elses_step", {ids.STEP_ACTING_USER: SALES_USER})
    assert response.status_code == 404  # Bolt's answer to an event no listener takes
    world.leadbot.settle()
    assert execution.state == "running"
    assert [call.method for call in world.fake.calls if call.method.startswith("functions.")] == []
