"""The App Home tab: published when opened (once per event, even when Slack redelivers), with a New lead button."""

from __future__ import annotations

from leadbot import ids
from tests.fakes.slack import SALES_USER
from tests.fakes.slack_requests import SlackSender
from tests.scenarios.conftest import World
from tests.scenarios.harness import blocks_text


def test_opening_home_publishes_help_once_per_event(world: World, slack: SlackSender) -> None:
    event = {"type": "app_home_opened", "user": SALES_USER, "tab": "home", "channel": "D0HOME"}
    assert slack.event(event, event_id="Ev0HOME1").status_code == 200
    assert slack.event(event, event_id="Ev0HOME1", retry_num=1).status_code == 200
    assert slack.event(event, event_id="Ev0HOME2").status_code == 200
    world.leadbot.settle()  # all three deliveries handled
    published, _ = world.fake.calls_to("views.publish")
    assert published.params["user_id"] == SALES_USER
    assert "/leads list" in blocks_text(published.params["view"])
    assert ids.NEW_LEAD in blocks_text(published.params["view"])


def test_new_lead_button_opens_the_create_form(world: World, slack: SlackSender) -> None:
    slack.action(ids.NEW_LEAD, "new", view={"id": "VHOME", "type": "home"})
    [opened] = world.fake.wait_for("views.open", timeout=10)
    assert opened.params["view"]["callback_id"] == ids.CREATE_VIEW
