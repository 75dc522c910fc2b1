"""The create and edit modals: open at once, validate in the ack, save after it, never lose what was typed."""

from __future__ import annotations

from typing import Any

from leadbot import ids, texts
from leadbot.blocks.values import EditButton
from tests.fakes.slack_requests import SlackSender, form_state
from tests.scenarios.conftest import HIDDEN_USER, World
from tests.scenarios.harness import blocks_text
from tests.support import wait_until


def open_form(world: World, slack: SlackSender, text: str) -> dict[str, Any]:
    """Runs the command and returns the modal it opened (as the fake Slack stored it)."""
    assert slack.command(text).status_code == 200
    [opened] = world.fake.wait_for("views.open", timeout=10)
    assert opened.response["ok"], opened.response
    return opened.response["view"]


def latest_view(world: World, view_id: str, predicate) -> dict[str, Any]:
    """The view as the person sees it (acks and views.update applied), once it matches `predicate`."""

    def found() -> dict[str, Any] | None:
        view = world.fake.views.get(view_id)
        return view if view is not None and predicate(view) else None

    return wait_until(found, timeout=10)


def input_values(form: dict[str, Any]) -> dict[str, str | None]:
    """Each input's starting value in a form, by block ID."""
    return {b["block_id"]: b["element"].get("initial_value") for b in form["blocks"] if b["type"] == "input"}


def submit(
    slack: SlackSender, callback_id: str, view: dict[str, Any], *, answer: Any = "now", **values: str
) -> Any:
    return slack.submit(
        callback_id,
        form_state(**values),
        private_metadata=view.get("private_metadata", ""),
        view_id=view["id"],
        answer=answer,
    )


def test_new_opens_the_form_before_any_api_call(world: World, slack: SlackSender) -> None:
    view = open_form(world, slack, "new")
    assert view["callback_id"] == ids.CREATE_VIEW
    labels = [block["label"]["text"] for block in view["blocks"] if block["type"] == "input"]
    assert labels == ["Customer name", "Email", "Phone", "Address", "Postcode", "Latitude", "Longitude"]
    world.leadbot.settle()  # the check of who is asking, which runs after the form opened, is done too
    assert world.sandbox.requests == []  # no Heatpunk request before views.open, nor after it


def test_each_validation_problem_comes_back_on_its_block(world: World, slack: SlackSender) -> None:
    view = open_form(world, slack, "new")
    cases = [
        ({ids.NAME_INPUT: "Jo", ids.EMAIL_INPUT: "jo@"}, ids.EMAIL_INPUT, texts.BAD_EMAIL),
        ({ids.NAME_INPUT: "Jo", ids.PHONE_INPUT: "12"}, ids.PHONE_INPUT, texts.BAD_PHONE),
        (
            {ids.NAME_INPUT: "Jo", ids.PHONE_INPUT: "07700900123", ids.POSTCODE_INPUT: "90210"},
            ids.POSTCODE_INPUT,
            texts.BAD_POSTCODE,
        ),
        (
            {ids.NAME_INPUT: "Jo", ids.PHONE_INPUT: "07700900123", ids.LAT_INPUT: "95", ids.LNG_INPUT: "0"},
            ids.LAT_INPUT,
            texts.BAD_LATITUDE,
        ),
        (
            {ids.NAME_INPUT: "Jo", ids.PHONE_INPUT: "07700900123", ids.LAT_INPUT: "52"},
            ids.LNG_INPUT,
            texts.NEED_BOTH_COORDINATES,
        ),
        ({ids.NAME_INPUT: "Jo"}, ids.EMAIL_INPUT, texts.NEED_CONTACT),
    ]
    for values, block, message in cases:
        response = submit(slack, ids.CREATE_VIEW, view, **values)
        assert response.json() == {"response_action": "errors", "errors": {block: message}}
    assert not [r for r in world.sandbox.requests if r.path.endswith("/create")]


def test_a_good_lead_is_created_and_confirmed_with_its_card(world: World, slack: SlackSender) -> None:
    view = open_form(world, slack, "new")
    response = submit(
        slack,
        ids.CREATE_VIEW,
        view,
        customer_name="New Person",
        customer_email="new.person@example.co.uk",
        postcode="cb246yu",
        lat="52.24",
        lng="0.13",
    )
    assert response.json()["response_action"] == "update"
    done = latest_view(world, view["id"], lambda v: "created" in blocks_text(v))
    [create] = [r for r in world.sandbox.requests if r.path.endswith("/create")]
    assert create.body["postcode"] == "CB24 6YU"
    new_id = str(max(int(lead["ID"]) for lead in world.sandbox.leads))
    assert f"Lead {new_id} created" in blocks_text(done)
    [card] = world.fake.wait_for_response(lambda r: "New Person" in blocks_text(r.body), timeout=10)
    assert ids.EDIT_LEAD in blocks_text(card.body)


def test_a_fast_outcome_is_what_stays_even_when_slack_applies_the_ack_last(
    world: World, slack: SlackSender
) -> None:
    """Heatpunk answers within the ack's time: the outcome is the ack itself, so no update can lose to it."""
    view = open_form(world, slack, "new")
    response = submit(
        slack,
        ids.CREATE_VIEW,
        view,
        answer="late",
        customer_name="Quick One",
        customer_email="q1@example.co.uk",
    )
    world.leadbot.settle()
    world.fake.release_late_answers()  # Slack applies the ack after everything leadbot sent
    new_id = str(max(int(lead["ID"]) for lead in world.sandbox.leads))
    assert f"Lead {new_id} created" in blocks_text(world.fake.views[view["id"]])
    assert f"Lead {new_id} created" in blocks_text(response.json())


def test_a_slow_outcome_replaces_the_placeholder_for_good(world: World, slack: SlackSender) -> None:
    """Heatpunk answers after the ack had to go: the ack is the placeholder, and the outcome is sent only
    once Slack can no longer apply that ack, so the warning is what stays however late Slack applies it."""
    world.sandbox.add_lead(customerName="Slow Original", customerEmail="slow@example.co.uk")
    view = open_form(world, slack, "new")
    world.sandbox.latency = 2.3  # past the ~2 s leadbot waits to answer in the ack, inside Slack's 3 s
    response = submit(
        slack,
        ids.CREATE_VIEW,
        view,
        answer="late",
        customer_name="Slow Again",
        customer_email="slow@example.co.uk",
    )
    assert texts.CHECKING in blocks_text(response.json())
    world.leadbot.settle()
    world.fake.release_late_answers()
    shown = world.fake.views[view["id"]]
    assert shown["callback_id"] == ids.CONFIRM_CREATE_VIEW
    assert "Slow Original" in blocks_text(shown)


def test_a_duplicate_is_flagged_and_can_be_created_anyway(world: World, slack: SlackSender) -> None:
    world.sandbox.add_lead(customerName="Dup Original", customerEmail="dup@example.co.uk")
    before = world.sandbox.lead_count
    view = open_form(world, slack, "new")
    submit(slack, ids.CREATE_VIEW, view, customer_name="Dup Again", customer_email="DUP@example.co.uk")
    warning = latest_view(world, view["id"], lambda v: v.get("callback_id") == ids.CONFIRM_CREATE_VIEW)
    assert "Dup Original" in blocks_text(warning)
    assert warning["submit"]["text"] == "Create anyway"
    assert world.sandbox.lead_count == before
    slack.submit(
        ids.CONFIRM_CREATE_VIEW, {}, private_metadata=warning["private_metadata"], view_id=view["id"]
    )
    latest_view(world, view["id"], lambda v: "created" in blocks_text(v))
    assert world.sandbox.lead_count == before + 1


def test_create_anyway_keeps_a_form_filled_to_every_limit(world: World, slack: SlackSender) -> None:
    """The warning must carry all that was typed within private_metadata's 3,000 characters."""
    world.sandbox.add_lead(customerName="Dup Original", customerEmail="dup@example.co.uk")
    name = ('Bob "the builder" ' * 10)[:150]
    address = ('Flat "A", 1 Long Road\n' * 50)[:1000]
    view = open_form(world, slack, "new")
    submit(
        slack,
        ids.CREATE_VIEW,
        view,
        customer_name=name,
        customer_email="dup@example.co.uk",
        customer_phone="+44 (0)7700 900123",
        address=address,
        postcode="cb246yu",
        lat="52.2400000000000001",
        lng="0.13000000000000001",
    )
    warning = latest_view(world, view["id"], lambda v: v.get("callback_id") == ids.CONFIRM_CREATE_VIEW)
    slack.submit(
        ids.CONFIRM_CREATE_VIEW, {}, private_metadata=warning["private_metadata"], view_id=view["id"]
    )
    latest_view(world, view["id"], lambda v: "created" in blocks_text(v))
    [create] = [r for r in world.sandbox.requests if r.path.endswith("/create")]
    assert (create.body["customerName"], create.body["address"]) == (name.strip(), address.strip())
    assert create.body["postcode"] == "CB24 6YU"


def test_create_anyway_without_what_was_typed_shows_the_form_again(world: World, slack: SlackSender) -> None:
    view = open_form(world, slack, "new")
    response = slack.submit(ids.CONFIRM_CREATE_VIEW, {}, private_metadata="{", view_id=view["id"])
    assert response.json()["response_action"] == "update"
    assert response.json()["view"]["callback_id"] == ids.CREATE_VIEW
    assert not [r for r in world.sandbox.requests if r.path.endswith("/create")]


def test_an_api_refusal_comes_back_inside_the_form_with_what_was_typed(
    world: World, slack: SlackSender
) -> None:
    view = open_form(world, slack, "new")
    world.sandbox.fail_next(
        status=422, body={"message": "Postcode outside our service area"}, endpoint="create"
    )
    submit(slack, ids.CREATE_VIEW, view, customer_name="Far Away", customer_phone="+44 7700 900999")
    form = latest_view(world, view["id"], lambda v: v.get("callback_id") == ids.CREATE_VIEW)
    assert "Postcode outside our service area" in blocks_text(form)
    values = input_values(form)
    assert values[ids.NAME_INPUT] == "Far Away"
    assert values[ids.PHONE_INPUT] == "+44 7700 900999"


def test_edit_opens_loading_then_fills_the_form(world: World, slack: SlackSender) -> None:
    lead_id = world.sandbox.add_lead(
        customerName="Edit Me", customerEmail="edit@example.co.uk", postcode="SW1A 1AA"
    )
    view = open_form(world, slack, f"edit {lead_id}")
    assert texts.LOADING in blocks_text(view)
    form = latest_view(world, view["id"], lambda v: v.get("callback_id") == ids.EDIT_VIEW)
    values = input_values(form)
    assert values[ids.NAME_INPUT] == "Edit Me"
    assert values[ids.POSTCODE_INPUT] == "SW1A 1AA"


def test_edit_sends_only_the_fields_that_changed(world: World, slack: SlackSender) -> None:
    lead_id = world.sandbox.add_lead(
        customerName="Change Me",
        customerEmail="change@example.co.uk",
        customerPhone="07700 900111",
        postcode="M1 1AE",
    )
    view = open_form(world, slack, f"edit {lead_id}")
    form = latest_view(world, view["id"], lambda v: v.get("callback_id") == ids.EDIT_VIEW)
    shown = input_values(form)
    response = submit(
        slack, ids.EDIT_VIEW, form, **{**shown, "customer_phone": "07700 900222", "postcode": "m11ae"}
    )
    assert response.json()["response_action"] == "update"
    latest_view(world, view["id"], lambda v: "saved" in blocks_text(v))
    [update] = [r for r in world.sandbox.requests if r.path.endswith("/update")]
    assert update.body["fields"] == {"customerPhone": "07700 900222"}
    assert world.sandbox.lead(lead_id)["customerPhone"] == "07700 900222"


def test_edit_with_nothing_changed_sends_nothing(world: World, slack: SlackSender) -> None:
    lead_id = world.sandbox.add_lead(customerName="Same Person", customerPhone="07700 900333")
    view = open_form(world, slack, f"edit {lead_id}")
    form = latest_view(world, view["id"], lambda v: v.get("callback_id") == ids.EDIT_VIEW)
    values = input_values(form)
    response = submit(slack, ids.EDIT_VIEW, form, **{k: v for k, v in values.items() if v})
    assert texts.NOTHING_CHANGED in blocks_text(response.json())
    assert not [r for r in world.sandbox.requests if r.path.endswith("/update")]


def test_edit_of_an_unknown_lead_says_so_in_the_modal(world: World, slack: SlackSender) -> None:
    view = open_form(world, slack, "edit 99999999")
    message = latest_view(world, view["id"], lambda v: "was not found" in blocks_text(v))
    assert "Lead 99999999 was not found" in blocks_text(message)


def test_edit_button_on_a_card_opens_the_form(world: World, slack: SlackSender) -> None:
    lead_id = world.sandbox.add_lead(customerName="Button Edit")
    slack.action(ids.EDIT_LEAD, EditButton(lead_id).to_value())
    [opened] = world.fake.wait_for("views.open", timeout=10)
    latest_view(world, opened.response["view"]["id"], lambda v: "Button Edit" in blocks_text(v))


def test_a_person_without_an_email_gets_the_reason_in_the_modal(world: World, slack: SlackSender) -> None:
    assert slack.command("new", user_id=HIDDEN_USER).status_code == 200
    [opened] = world.fake.wait_for("views.open", timeout=10)
    latest_view(world, opened.response["view"]["id"], lambda v: "can't see your email" in blocks_text(v))


def test_an_expired_trigger_is_explained(world: World, slack: SlackSender) -> None:
    ttl = world.fake.trigger_ttl
    world.fake.trigger_ttl = 0.0
    try:
        slack.command("new")
        [post] = world.fake.wait_for_response(slack.last.response_url, timeout=10)
    finally:
        world.fake.trigger_ttl = ttl
    assert "wouldn't open the form in time" in blocks_text(post.body)


def test_edit_leaves_fields_nobody_touched_as_they_were(world: World, slack: SlackSender) -> None:
    """A lead from Heatpunk may hold what the form would refuse (the docs' example phone, an Eircode):
    changing its name must not be blocked by them, nor send them back."""
    lead_id = world.sandbox.add_lead(
        customerName="Old Name", customerEmail="", customerPhone="1234567890", postcode="D02 X285"
    )
    view = open_form(world, slack, f"edit {lead_id}")
    form = latest_view(world, view["id"], lambda v: v.get("callback_id") == ids.EDIT_VIEW)
    shown = {key: value for key, value in input_values(form).items() if value}
    response = submit(slack, ids.EDIT_VIEW, form, **{**shown, "customer_name": "New Name"})
    assert response.json()["response_action"] == "update", response.json()
    latest_view(world, view["id"], lambda v: "saved" in blocks_text(v))
    [update] = [r for r in world.sandbox.requests if r.path.endswith("/update")]
    assert update.body["fields"] == {"customerName": "New Name"}
    lead = world.sandbox.lead(lead_id)
    assert (lead["customerPhone"], lead["postcode"]) == ("1234567890", "D02 X285")  # type: ignore[index]


def test_a_changed_field_is_still_checked(world: World, slack: SlackSender) -> None:
    lead_id = world.sandbox.add_lead(
        customerName="Eire Person", customerPhone="1234567890", postcode="D02 X285"
    )
    view = open_form(world, slack, f"edit {lead_id}")
    form = latest_view(world, view["id"], lambda v: v.get("callback_id") == ids.EDIT_VIEW)
    shown = {key: value for key, value in input_values(form).items() if value}
    response = submit(slack, ids.EDIT_VIEW, form, **{**shown, "postcode": "D02 X286"})
    assert response.json() == {"response_action": "errors", "errors": {"postcode": texts.BAD_POSTCODE}}
    assert not [r for r in world.sandbox.requests if r.path.endswith("/update")]
