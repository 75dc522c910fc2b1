"""The fake Slack's custom steps: functions.completeSuccess / completeError as Slack documents them (an unknown
execution, one already completed, outputs that break the step's definition), and the function_executed event."""

from __future__ import annotations

import json

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from leadbot import ids
from tests.fakes.slack import BOT_TOKEN, SALES_USER, FakeSlack
from tests.fakes.slack_requests import function_executed_event

OUTPUTS = {ids.STEP_LEAD_ID: "1001", ids.STEP_SUMMARY: "Lead 1001: Jane Doe"}


def error_of(call: object) -> str:
    with pytest.raises(SlackApiError) as raised:
        call()  # type: ignore[operator]
    return str(raised.value.response["error"])


def test_complete_success_with_the_executions_token(fake_slack: FakeSlack) -> None:
    execution = fake_slack.new_function_execution(ids.STEP_CREATE_LEAD, {ids.STEP_ACTING_USER: SALES_USER})
    client = WebClient(token=execution.token, base_url=fake_slack.api_url)
    assert client.functions_completeSuccess(function_execution_id=execution.execution_id, outputs=OUTPUTS)[
        "ok"
    ]
    assert (execution.state, execution.outputs) == ("success", OUTPUTS)
    [call] = fake_slack.calls_to("functions.completeSuccess")
    assert json.loads(call.params["outputs"]) == OUTPUTS


def test_complete_error_records_the_words(fake_slack: FakeSlack) -> None:
    execution = fake_slack.new_function_execution(ids.STEP_FIND_LEADS, {})
    client = WebClient(token=BOT_TOKEN, base_url=fake_slack.api_url)  # a bot token is accepted too
    client.functions_completeError(function_execution_id=execution.execution_id, error="No access.")
    assert (execution.state, execution.error) == ("error", "No access.")


def test_unknown_and_finished_executions_are_refused(fake_slack: FakeSlack) -> None:
    execution = fake_slack.new_function_execution(ids.STEP_CREATE_LEAD, {})
    client = WebClient(token=execution.token, base_url=fake_slack.api_url)
    unknown = lambda: client.functions_completeSuccess(function_execution_id="Fx404", outputs=OUTPUTS)  # noqa: E731
    assert error_of(unknown) == "function_execution_not_found"
    client.functions_completeError(function_execution_id=execution.execution_id, error="Broke.")
    again = lambda: client.functions_completeSuccess(  # noqa: E731
        function_execution_id=execution.execution_id, outputs=OUTPUTS
    )
    assert error_of(again) == "execution_not_in_running_state"
    assert execution.state == "error"


@pytest.mark.parametrize(
    "outputs",
    [{ids.STEP_LEAD_ID: "1001"}, {**OUTPUTS, "surprise": "x"}, {**OUTPUTS, ids.STEP_LEAD_ID: 1001}],
    ids=["missing", "undeclared", "wrong-type"],
)
def test_outputs_that_break_the_definition_are_refused(
    fake_slack: FakeSlack, outputs: dict[str, object]
) -> None:
    execution = fake_slack.new_function_execution(ids.STEP_CREATE_LEAD, {})
    client = WebClient(token=execution.token, base_url=fake_slack.api_url)

    def call() -> object:
        return client.functions_completeSuccess(function_execution_id=execution.execution_id, outputs=outputs)

    assert error_of(call) == "parameter_validation_failed"
    assert execution.state == "running"


def test_a_wrong_token_is_refused(fake_slack: FakeSlack) -> None:
    execution = fake_slack.new_function_execution(ids.STEP_CREATE_LEAD, {})
    client = WebClient(token="xwfp-forged", base_url=fake_slack.api_url)
    call = lambda: client.functions_completeError(function_execution_id=execution.execution_id, error="x")  # noqa: E731
    assert error_of(call) == "invalid_auth"


def test_the_event_carries_the_definition_inputs_and_token(fake_slack: FakeSlack) -> None:
    execution = fake_slack.new_function_execution(
        ids.STEP_FIND_LEADS, {"text": "jane", ids.STEP_ACTING_USER: SALES_USER}
    )
    event = function_executed_event(execution)
    assert event["type"] == "function_executed"
    assert event["function"]["callback_id"] == ids.STEP_FIND_LEADS
    assert event["function"]["title"] == "Find leads"
    assert {p["name"]: p["is_required"] for p in event["function"]["input_parameters"]} == {
        "text": True,
        ids.STEP_ACTING_USER: True,
    }
    assert event["inputs"] == {"text": "jane", ids.STEP_ACTING_USER: SALES_USER}
    assert event["function_execution_id"] == execution.execution_id
    assert event["bot_access_token"] == execution.token
