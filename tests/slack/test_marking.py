"""The Slack egress: whatever a builder makes leaves without leadbot's secrets, and is marked SANDBOX on its way
out in sandbox mode, and only then."""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

import pytest
from slack_bolt import BoltResponse
from slack_sdk import WebClient

from leadbot.blocks import alerts, home, kit, leads, messages, modals
from leadbot.heatpunk import Lead
from leadbot.leads.grammar import ListLeads, Reason, ShowLead, Usage
from leadbot.leads.permissions import CardButtons, Denied
from leadbot.settings import DEFAULT_STATUSES
from leadbot.slack.egress import Egress, LeadbotWebClient, json_forms
from leadbot.slack.marking import BANNER_BLOCK_ID, mark_ack_body, mark_blocks, mark_message
from leadbot.slack.respond import Responder
from tests.fakes.slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack
from tests.fakes.slack_blocks import check_blocks, check_view

API_KEY = "hp-live-0f9e8d7c6b5a4"
SECRETS = (API_KEY, SIGNING_SECRET, BOT_TOKEN)
PLANTED = " ".join(SECRETS)  # as if pasted into a lead in Heatpunk
LEAD = Lead(
    id="1042",
    customer_name=f"Jane <!channel> {API_KEY}",
    postcode="CB24 6YU",
    address=PLANTED,
    date_created=datetime.now(UTC),
    extra={"notes": PLANTED},
)

# Every build_* in leadbot.blocks, with an example call. A builder missing here fails the coverage test below.
MESSAGE_BUILDERS: dict[str, Callable[[], kit.Message]] = {
    "messages.build_notice": lambda: messages.build_notice(f"Lead 1042 saved. {PLANTED}"),
    "messages.build_help": messages.build_help,
    "messages.build_usage": lambda: messages.build_usage(Usage(Reason.BAD_SINCE, "list", "someday")),
    "messages.build_refusal": lambda: messages.build_refusal(Denied("Only leadbot admins can do that.")),
    "messages.build_error": lambda: messages.build_error(f"Heatpunk said {PLANTED}", retry=ShowLead("1042")),
    "messages.build_leads_found": lambda: messages.build_leads_found(
        ListLeads(LEAD.date_created.date()), [LEAD], page=1, search_days=90
    ),
    "messages.build_whoami": lambda: messages.build_whoami("a@b.co", "x", can_delete=True, is_admin=True),
    "messages.build_lead_message": lambda: messages.build_lead_message(
        LEAD, statuses=DEFAULT_STATUSES, buttons=CardButtons()
    ),
    "messages.build_delete_prompt": lambda: messages.build_delete_prompt(LEAD),
    "messages.build_shared_card": lambda: messages.build_shared_card(
        LEAD, user_id="U1", statuses=DEFAULT_STATUSES
    ),
    "leads.build_lead_card": lambda: kit.message(
        "card", leads.build_lead_card(LEAD, statuses=DEFAULT_STATUSES, buttons=CardButtons())
    ),
    "leads.build_lead_list": lambda: kit.message(
        "list",
        leads.build_lead_list([LEAD], heading="*1 lead*", page=1, query=ListLeads(LEAD.date_created.date())),
    ),
    "alerts.build_alert_card": lambda: alerts.build_alert_card(LEAD, statuses=DEFAULT_STATUSES),
    "alerts.build_digest": lambda: alerts.build_digest([(LEAD, False)]),
    "alerts.build_change_note": lambda: alerts.build_change_note(LEAD, [["Status", "a", "b"]]),
    "alerts.build_deleted_note": lambda: alerts.build_deleted_note(LEAD),
    "alerts.build_notice": lambda: alerts.build_notice("leadbot is watching"),
    "alerts.build_watching": lambda: alerts.build_watching(3),
    "alerts.build_health": lambda: alerts.build_health(f"Heatpunk said {PLANTED}.", 5),
    "alerts.build_recovered": alerts.build_recovered,
}
VIEW_BUILDERS: dict[str, Callable[[], dict[str, Any]]] = {
    "home.build_home": home.build_home,
    "modals.build_lead_form": lambda: modals.build_lead_form(
        modals.CREATE_FORM, values={}, private_metadata=""
    ),
    "modals.build_message_view": lambda: modals.build_message_view("leadbot", f"Refused: {PLANTED}"),
    "modals.build_duplicate_view": lambda: modals.build_duplicate_view(
        [LEAD], private_metadata="", warning="Looks like one you have:"
    ),
}


SANDBOX = Egress(json_forms(SECRETS), sandbox=True)


def as_dict(message: kit.Message) -> dict[str, Any]:
    """A built message as the dict Slack receives."""
    return message.payload()


def is_marked(blocks: list[dict[str, Any]]) -> bool:
    return (
        bool(blocks) and blocks[0].get("block_id") == BANNER_BLOCK_ID and "SANDBOX" in json.dumps(blocks[0])
    )


def test_every_builder_is_walked_through_the_egress() -> None:
    modules: list[ModuleType] = [alerts, home, leads, messages, modals]
    builders = {
        f"{module.__name__.rsplit('.', 1)[1]}.{name}"
        for module in modules
        for name, value in vars(module).items()
        if name.startswith("build_") and inspect.isfunction(value) and value.__module__ == module.__name__
    }
    assert builders == set(MESSAGE_BUILDERS) | set(VIEW_BUILDERS)


@pytest.mark.parametrize("name", sorted(MESSAGE_BUILDERS))
def test_every_message_leaves_marked_by_the_sandbox_client(fake_slack: FakeSlack, name: str) -> None:
    client = LeadbotWebClient(egress=SANDBOX, token=BOT_TOKEN, base_url=fake_slack.api_url)
    message = as_dict(MESSAGE_BUILDERS[name]())
    posted = client.chat_postMessage(channel="C0ALERTS", **message)
    client.chat_update(channel="C0ALERTS", ts=posted["ts"], **message)
    client.chat_postEphemeral(channel="C0ALERTS", user="U0SALES1", **message)
    for method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
        [call] = fake_slack.calls_to(method)
        assert call.ok, call.problems
        assert call.params["text"].startswith("[SANDBOX] ")
        blocks = call.params["blocks"]
        blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
        assert is_marked(blocks)
        assert check_blocks(blocks) == []
        assert json.dumps(blocks).count(BANNER_BLOCK_ID) == 1


@pytest.mark.parametrize("name", sorted(MESSAGE_BUILDERS))
def test_every_answer_to_a_response_url_leaves_marked(fake_slack: FakeSlack, name: str) -> None:
    url = fake_slack.new_response_url()
    Responder(SANDBOX).send(url, as_dict(MESSAGE_BUILDERS[name]()), replace_original=False)
    [post] = fake_slack.responses
    assert post.ok, post.problems
    assert post.body["text"].startswith("[SANDBOX] ")
    assert is_marked(post.body["blocks"])


@pytest.mark.parametrize("name", sorted(VIEW_BUILDERS))
def test_every_view_leaves_marked(fake_slack: FakeSlack, name: str) -> None:
    client = LeadbotWebClient(egress=SANDBOX, token=BOT_TOKEN, base_url=fake_slack.api_url)
    view = VIEW_BUILDERS[name]()
    if view["type"] == "home":
        client.views_publish(user_id="U0SALES1", view=view)
        sent = [fake_slack.calls_to("views.publish")[0]]
    else:
        opened = client.views_open(trigger_id=fake_slack.new_trigger_id(), view=view)
        client.views_update(view_id=opened["view"]["id"], view=view)
        sent = fake_slack.calls_to("views.open") + fake_slack.calls_to("views.update")
    for call in sent:
        assert call.ok, call.problems
        shown = call.params["view"]
        shown = json.loads(shown) if isinstance(shown, str) else shown
        assert is_marked(shown["blocks"])
        assert check_view(shown) == []


def test_outside_the_sandbox_nothing_is_marked(fake_slack: FakeSlack) -> None:
    client = WebClient(token=BOT_TOKEN, base_url=fake_slack.api_url)
    client.chat_postMessage(channel="C0ALERTS", **as_dict(alerts.build_watching(3)))
    Responder(Egress()).send(
        fake_slack.new_response_url(), messages.build_help().payload(), replace_original=False
    )
    assert "SANDBOX" not in json.dumps(fake_slack.calls_to("chat.postMessage")[0].params)
    assert "SANDBOX" not in json.dumps(fake_slack.responses[0].body)


def test_acks_are_marked_messages_and_views_alike() -> None:
    usage = mark_ack_body(
        json.dumps(
            {
                **messages.build_usage(Usage(Reason.UNKNOWN_SUBCOMMAND, None, "x")).payload(),
                "response_type": "ephemeral",
            }
        )
    )
    assert is_marked(json.loads(usage)["blocks"])
    assert json.loads(usage)["response_type"] == "ephemeral"
    update = json.loads(
        mark_ack_body(json.dumps({"response_action": "update", "view": modals.build_message_view("t", "x")}))
    )
    assert is_marked(update["view"]["blocks"])
    errors = json.dumps({"response_action": "errors", "errors": {"customer_name": "Enter a name."}})
    assert mark_ack_body(errors) == errors
    assert mark_ack_body("") == ""
    assert mark_ack_body("not json {") == "not json {"
    assert BoltResponse(status=200, body="").body == ""


def test_marking_twice_marks_once() -> None:
    once = mark_message(as_dict(alerts.build_watching(3)))
    twice = mark_message(once)
    assert twice == once
    assert mark_blocks(mark_blocks([])) == mark_blocks([])


def no_secret_in(sent: object) -> bool:
    text = json.dumps(sent, ensure_ascii=False) + json.dumps(sent)
    return not any(secret in text for secret in SECRETS)


@pytest.mark.parametrize("sandbox", [False, True], ids=["live", "sandbox"])
@pytest.mark.parametrize("name", sorted(MESSAGE_BUILDERS))
def test_no_message_leaves_with_a_secret(fake_slack: FakeSlack, name: str, sandbox: bool) -> None:
    egress = Egress(json_forms(SECRETS), sandbox=sandbox)
    client = LeadbotWebClient(egress=egress, token=BOT_TOKEN, base_url=fake_slack.api_url)
    message = as_dict(MESSAGE_BUILDERS[name]())
    posted = client.chat_postMessage(channel="C0ALERTS", **message)
    client.chat_update(channel="C0ALERTS", ts=posted["ts"], **message)
    client.chat_postEphemeral(channel="C0ALERTS", user="U0SALES1", **message)
    Responder(egress).send(fake_slack.new_response_url(), message, replace_original=False)
    ack = egress.ack_body(json.dumps({**message, "response_type": "ephemeral"}))
    assert all(call.ok for call in fake_slack.calls), [call.problems for call in fake_slack.calls]
    assert [post.ok for post in fake_slack.responses] == [True]
    assert no_secret_in([call.params for call in fake_slack.calls])
    assert no_secret_in(fake_slack.responses[0].body)
    assert no_secret_in(json.loads(ack))


@pytest.mark.parametrize("sandbox", [False, True], ids=["live", "sandbox"])
@pytest.mark.parametrize("name", sorted(VIEW_BUILDERS))
def test_no_view_leaves_with_a_secret(fake_slack: FakeSlack, name: str, sandbox: bool) -> None:
    egress = Egress(json_forms(SECRETS), sandbox=sandbox)
    client = LeadbotWebClient(egress=egress, token=BOT_TOKEN, base_url=fake_slack.api_url)
    view = VIEW_BUILDERS[name]()
    if view["type"] == "home":
        client.views_publish(user_id="U0SALES1", view=view)
    else:
        opened = client.views_open(trigger_id=fake_slack.new_trigger_id(), view=view)
        client.views_update(view_id=opened["view"]["id"], view=json.dumps(view))
    ack = egress.ack_body(json.dumps({"response_action": "update", "view": view}))
    assert all(call.ok for call in fake_slack.calls), [call.problems for call in fake_slack.calls]
    assert no_secret_in([call.params for call in fake_slack.calls])
    assert no_secret_in(json.loads(ack))


def test_the_egress_finds_secrets_at_any_depth_and_in_json_text() -> None:
    odd = 'k"ey\\with\u00e9-quotes'
    egress = Egress(json_forms((odd, API_KEY)))
    nested = {"a": [{"b": ("x", f"key {API_KEY}!")}], "n": 3, "none": None}
    assert egress.redact(nested) == {"a": [{"b": ["x", "key [redacted]!"]}], "n": 3, "none": None}
    for ensure_ascii in (True, False):
        body = json.dumps({"text": f"said {odd}"}, ensure_ascii=ensure_ascii)
        assert json.loads(egress.ack_body(body)) == {"text": "said [redacted]"}
    assert egress.api_payload("auth.test", {"token": API_KEY}) == {"token": API_KEY}
    assert egress.ack_body(None) is None


def test_a_shared_files_comment_leaves_marked(fake_slack: FakeSlack) -> None:
    client = LeadbotWebClient(egress=SANDBOX, token=BOT_TOKEN, base_url=fake_slack.api_url)
    client.files_upload_v2(
        channel="C0ALERTS", file=b"png", filename="c.png", initial_comment="The week's chart."
    )
    [call] = fake_slack.calls_to("files.completeUploadExternal")
    assert call.params["initial_comment"] == "[SANDBOX] The week's chart."


def test_a_steps_result_leaves_marked_its_ids_and_counts_as_they_are(fake_slack: FakeSlack) -> None:
    """A Workflow Builder step run on demo data: its error and the outputs people read say SANDBOX; the lead
    ID and the count stay usable by the steps after it."""
    client = LeadbotWebClient(egress=SANDBOX, token=BOT_TOKEN, base_url=fake_slack.api_url)
    created = fake_slack.new_function_execution("create_lead", {})
    client.functions_completeSuccess(
        function_execution_id=created.execution_id, outputs={"lead_id": "1061", "summary": "Lead 1061: Jane"}
    )
    assert created.outputs == {"lead_id": "1061", "summary": "[SANDBOX] Lead 1061: Jane"}
    found = fake_slack.new_function_execution("find_leads", {})
    client.functions_completeSuccess(
        function_execution_id=found.execution_id, outputs={"matches": "1061 · Jane", "count": 1}
    )
    assert found.outputs == {"matches": "[SANDBOX] 1061 · Jane", "count": 1}
    failed = fake_slack.new_function_execution("find_leads", {})
    client.functions_completeError(function_execution_id=failed.execution_id, error="No access.")
    assert failed.error == "[SANDBOX] No access."
