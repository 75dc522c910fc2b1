"""A card's ownership and contact controls end to end: Bolt with signed requests, the fake Slack, the simulator,
an SQLite store, and an injected clock (Friday 8 January 2027, 17:30 in London: half an hour before closing)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlencode

import pytest
from slack_bolt import App

from leadbot import ids, texts
from leadbot.blocks.values import (
    ClaimButton,
    CloseButton,
    ContactOption,
    KeepTryingButton,
    Outcome,
    ReassignButton,
    UnclaimButton,
)
from leadbot.deps import Root
from leadbot.store import Store
from tests.alerts.rig import Rig
from tests.deps import make_app
from tests.fakes.slack import ALERTS_CHANNEL, SALES_USER, ResponsePost
from tests.fakes.slack_requests import block_action_body, event_body, sign, view_submission_body
from tests.support import wait_until

OTHER = "U0SALES2"
MANAGER = "U0MANAGR"
BOT_USER = "U0ROBOT1"
FRIDAY_1730 = datetime(2027, 1, 8, 17, 30, tzinfo=UTC)  # GMT: the wall clock in London


@dataclass
class Now:
    """The clock leadbot's listeners read (deps.clock)."""

    at: datetime = FRIDAY_1730

    def __call__(self) -> datetime:
        return self.at


@dataclass
class Cards:
    """leadbot's Bolt app on the rig's fakes, with one alerted lead."""

    app: App
    rig: Rig
    lead_id: str
    now: Now

    def store(self) -> Store:
        return self.rig.store()

    def click(
        self,
        action_id: str,
        value: str,
        *,
        user: str = SALES_USER,
        block: str = ids.ALERT_ACTIONS_BLOCK,
        ts: str | None = None,
        action_type: str = "button",
    ) -> str:
        """Clicks a control on the lead's card (or, with `block` and `ts`, another message); returns the
        click's response_url."""
        url = self.rig.slack.new_response_url()
        body = block_action_body(
            action_id,
            value,
            user_id=user,
            trigger_id=self.rig.slack.new_trigger_id(),
            block_id=ids.block_id(block, self.lead_id),
            message={"type": "message", "ts": ts or self.card_ts(), "text": ""},
            channel_id=ALERTS_CHANNEL,
            response_url=url,
            action_type=action_type,
        )
        response = self.app.dispatch(_request(body))
        assert response.status == 200
        return url

    def card_ts(self) -> str:
        return self.rig.card_of(self.lead_id).ts

    def card(self) -> str:
        return json.dumps(self.rig.card_of(self.lead_id).blocks, ensure_ascii=False)

    def card_actions(self) -> list[str]:
        blocks = self.rig.card_of(self.lead_id).blocks
        return [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]

    def answers(self, url: str, count: int = 1) -> list[ResponsePost]:
        return self.rig.slack.wait_for_response(url, count=count, timeout=10)

    def answer_text(self, url: str) -> str:
        return str(self.answers(url)[0].body["text"])

    def wait_card(self, words: str) -> str:
        wait_until(lambda: words in self.card(), what=f"the card to say {words!r}")
        return self.card()

    def owner(self) -> str | None:
        clock = self.store().clock(self.lead_id)
        return clock.owner if clock else None


def _request(body: bytes) -> Any:
    from slack_bolt import BoltRequest

    return BoltRequest(body=body.decode(), headers=dict(sign(body, _secret())))


def _secret() -> str:
    from tests.fakes.slack import SIGNING_SECRET

    return SIGNING_SECRET


@pytest.fixture
def make_cards(rig: Rig) -> Iterator[Callable[..., Cards]]:
    closers: list[Callable[[], None]] = []

    def make(**overrides: Any) -> Cards:
        service = rig.service()
        service.run_once()
        lead_id = rig.sandbox.add_lead(customerName="Jane Doe")
        service.run_once()
        wait_until(lambda: rig.alerts(), what="the card")
        for user, email in ((OTHER, "other@example.co.uk"), (MANAGER, "manager@example.co.uk")):
            rig.slack.add_user(user, email, name=user.lower())
        rig.slack.add_user(BOT_USER, None, name="robot", is_bot=True)
        rig.sandbox.open_team = True
        settings = rig.settings(leadbot_managers=(MANAGER,), **overrides)
        now = Now()
        root = Root(settings, clock=now, heatpunk_backoff=0.01)
        closers.append(root.close)
        return Cards(make_app(root), rig, lead_id, now)

    yield make
    for close in reversed(closers):
        close()


@pytest.fixture
def cards(make_cards: Callable[..., Cards]) -> Cards:
    return make_cards()


def claimed(cards: Cards, user: str = SALES_USER) -> None:
    cards.click(ids.CLAIM_LEAD, ClaimButton(cards.lead_id).to_value(), user=user)
    wait_until(lambda: cards.owner() == user, what="the claim")
    cards.wait_card(f"Owner: <@{user}>")


# --- Claim -----------------------------------------------------------------------------------------------


def test_claim_shows_the_owner_and_offers_unclaim_reassign_and_log_contact(cards: Cards) -> None:
    assert "Unclaimed" in cards.card()
    assert cards.card_actions()[:2] == [ids.CLAIM_LEAD, ids.LOG_CONTACT]
    claimed(cards)
    assert cards.card_actions()[:3] == [ids.UNCLAIM_LEAD, ids.REASSIGN_LEAD, ids.LOG_CONTACT]


def test_claim_from_a_digest_row_rerenders_the_digest(rig: Rig, make_cards: Callable[..., Cards]) -> None:
    cards = make_cards()
    burst = [rig.sandbox.add_lead(customerName=f"Burst {n}") for n in range(rig.settings().leadbot_burst + 1)]
    rig.service().run_once()
    digest = wait_until(
        lambda: [m for m in rig.alerts() if "digest_heading" in json.dumps(m.blocks)], what="the digest"
    )[0]
    lead_id = burst[0]
    row = next(b for b in digest.blocks if b.get("block_id") == ids.block_id(ids.DIGEST_LEAD_BLOCK, lead_id))
    assert row["accessory"]["action_id"] == ids.OPEN_LEAD  # View beside the row, Claim under it
    claim_row = next(
        b for b in digest.blocks if b.get("block_id") == ids.block_id(ids.DIGEST_CLAIM_BLOCK, lead_id)
    )
    [claim] = claim_row["elements"]
    assert claim["action_id"] == ids.CLAIM_LEAD
    cards.lead_id = lead_id
    cards.click(ids.CLAIM_LEAD, claim["value"], block=ids.DIGEST_CLAIM_BLOCK, ts=digest.ts)

    def row_now() -> dict[str, Any] | None:
        message = next(m for m in rig.messages() if m.ts == digest.ts)
        return next(
            (b for b in message.blocks if b.get("block_id") == ids.block_id(ids.DIGEST_LEAD_BLOCK, lead_id)),
            None,
        )

    wait_until(lambda: f"Owner: <@{SALES_USER}>" in json.dumps(row_now()), what="the digest's row")
    assert row_now()["accessory"]["action_id"] == ids.OPEN_LEAD  # type: ignore[index]
    message = next(m for m in rig.messages() if m.ts == digest.ts)
    assert ids.block_id(ids.DIGEST_CLAIM_BLOCK, lead_id) not in json.dumps(
        message.blocks
    )  # claimed: no Claim
    assert cards.store().clock(lead_id).owner == SALES_USER  # type: ignore[union-attr]


def test_claim_from_a_show_card_and_a_late_claimer_is_told(cards: Cards) -> None:
    from tests.fakes.slack_requests import slash_command_body

    url = cards.rig.slack.new_response_url()
    command = slash_command_body(
        f"show {cards.lead_id}",
        user_id=SALES_USER,
        channel_id=ALERTS_CHANNEL,
        response_url=url,
        trigger_id=cards.rig.slack.new_trigger_id(),
    )
    assert cards.app.dispatch(_request(command)).status == 200
    shown = cards.answers(url)[0].body
    owner_actions = next(
        b for b in shown["blocks"] if b.get("block_id", "").startswith(ids.OWNER_ACTIONS_BLOCK)
    )
    assert [e["action_id"] for e in owner_actions["elements"]] == [ids.CLAIM_LEAD, ids.LOG_CONTACT]
    assert "Unclaimed" in json.dumps(shown["blocks"])

    click_url = cards.click(
        ids.CLAIM_LEAD, ClaimButton(cards.lead_id).to_value(), block=ids.OWNER_ACTIONS_BLOCK
    )
    [again] = cards.answers(click_url)
    assert again.body["replace_original"] is True
    assert f"Owner: <@{SALES_USER}>" in json.dumps(again.body["blocks"])
    assert cards.owner() == SALES_USER
    cards.wait_card(f"Owner: <@{SALES_USER}>")  # the alert card too

    late = cards.click(
        ids.CLAIM_LEAD, ClaimButton(cards.lead_id).to_value(), user=OTHER, block=ids.OWNER_ACTIONS_BLOCK
    )
    assert f"already claimed by <@{SALES_USER}>" in cards.answer_text(late)
    assert cards.owner() == SALES_USER


# --- Unclaim ---------------------------------------------------------------------------------------------


def test_the_owner_unclaims(cards: Cards) -> None:
    claimed(cards)
    url = cards.click(ids.UNCLAIM_LEAD, UnclaimButton(cards.lead_id, SALES_USER).to_value())
    assert cards.answer_text(url) == texts.UNCLAIMED_DONE.format(lead_id=cards.lead_id)
    assert cards.owner() is None
    cards.wait_card("Unclaimed")
    wait_until(lambda: ids.CLAIM_LEAD in cards.card_actions(), what="Claim again")
    assert cards.store().events(cards.lead_id)[-1].kind == "unclaimed"


def test_someone_else_is_refused_in_words(cards: Cards) -> None:
    claimed(cards)
    url = cards.click(ids.UNCLAIM_LEAD, UnclaimButton(cards.lead_id, SALES_USER).to_value(), user=OTHER)
    assert cards.answer_text(url) == texts.NOT_YOURS_TO_CHANGE.format(
        lead_id=cards.lead_id, owner=f"<@{SALES_USER}>"
    )
    assert cards.owner() == SALES_USER


def test_a_manager_may_unclaim(cards: Cards) -> None:
    claimed(cards)
    url = cards.click(ids.UNCLAIM_LEAD, UnclaimButton(cards.lead_id, SALES_USER).to_value(), user=MANAGER)
    cards.answers(url)
    assert cards.owner() is None
    [*_, event] = cards.store().events(cards.lead_id)
    assert (event.kind, event.actor, event.owner_before) == ("unclaimed", MANAGER, SALES_USER)


def test_unclaim_of_an_owner_no_longer_shown_is_refused(cards: Cards) -> None:
    claimed(cards)
    url = cards.click(ids.UNCLAIM_LEAD, UnclaimButton(cards.lead_id, OTHER).to_value(), user=MANAGER)
    assert cards.answer_text(url) == texts.OWNER_CHANGED.format(
        lead_id=cards.lead_id, owner=f"<@{SALES_USER}>"
    )
    assert cards.owner() == SALES_USER


# --- Reassign… ---------------------------------------------------------------------------------------------


def open_reassign(cards: Cards, user: str = SALES_USER, owner: str = SALES_USER) -> dict[str, Any]:
    before = set(cards.rig.slack.views)
    cards.click(ids.REASSIGN_LEAD, ReassignButton(cards.lead_id, owner).to_value(), user=user)
    return wait_until(
        lambda: next(
            (v for k, v in cards.rig.slack.views.items() if k not in before and v.get("type") == "modal"),
            None,
        ),
        what="the modal",
    )


def submit(cards: Cards, view: dict[str, Any], chosen: str | None, user: str = SALES_USER) -> dict[str, Any]:
    values = {ids.REASSIGN_INPUT: {ids.REASSIGN_INPUT: {"type": "users_select", "selected_user": chosen}}}
    body = view_submission_body(
        ids.REASSIGN_VIEW, values, user_id=user, trigger_id=cards.rig.slack.new_trigger_id(), view=view
    )
    response = cards.app.dispatch(_request(body))
    assert response.status == 200
    return dict(json.loads(response.body)) if response.body else {}


def test_reassign_opens_a_modal_and_moves_the_owner_with_one_dm(cards: Cards) -> None:
    claimed(cards)
    view = open_reassign(cards)
    assert view["callback_id"] == ids.REASSIGN_VIEW
    assert f"Owner now: <@{SALES_USER}>." in json.dumps(view)
    ack = submit(cards, view, OTHER)
    assert ack["response_action"] == "update"
    done = texts.REASSIGNED_DONE.format(lead_id=cards.lead_id, user=OTHER)
    wait_until(
        lambda: done in json.dumps(cards.rig.slack.views.get(view["id"])) or done in json.dumps(ack),
        what="done",
    )
    assert cards.owner() == OTHER
    [dm] = cards.store().alerts(kind="dm")
    assert (dm.channel, dm.lead_id, dm.payload) == (
        OTHER,
        cards.lead_id,
        {"reason": "reassigned", "by": SALES_USER},
    )
    cards.wait_card(f"Owner: <@{OTHER}>")
    assert cards.store().events(cards.lead_id)[-1].kind == "reassigned"


def test_reassign_racing_a_claim_is_refused_in_words(cards: Cards) -> None:
    claimed(cards)
    view = open_reassign(cards, user=MANAGER)
    cards.click(ids.UNCLAIM_LEAD, UnclaimButton(cards.lead_id, SALES_USER).to_value())
    wait_until(lambda: cards.owner() is None, what="the unclaim")
    cards.click(ids.CLAIM_LEAD, ClaimButton(cards.lead_id).to_value(), user=OTHER)
    wait_until(lambda: cards.owner() == OTHER, what="the racing claim")
    ack = submit(cards, view, MANAGER, user=MANAGER)
    words = texts.OWNER_CHANGED.format(lead_id=cards.lead_id, owner=f"<@{OTHER}>")
    wait_until(
        lambda: words in json.dumps(ack) or words in json.dumps(cards.rig.slack.views.get(view["id"])),
        what="the refusal",
    )
    assert cards.owner() == OTHER
    assert cards.store().alerts(kind="dm") == []


def test_reassign_refuses_a_bot_yourself_and_those_who_may_not(cards: Cards) -> None:
    claimed(cards)
    view = open_reassign(cards)
    self_ack = submit(cards, view, SALES_USER)
    assert self_ack == {"response_action": "errors", "errors": {ids.REASSIGN_INPUT: texts.REASSIGN_TO_SELF}}
    bot_ack = submit(cards, view, BOT_USER)
    wait_until(
        lambda: (
            texts.REASSIGN_TO_BOT in json.dumps(bot_ack)
            or texts.REASSIGN_TO_BOT in json.dumps(cards.rig.slack.views.get(view["id"]))
        ),
        what="the bot refusal",
    )
    assert cards.owner() == SALES_USER
    url = cards.click(ids.REASSIGN_LEAD, ReassignButton(cards.lead_id, SALES_USER).to_value(), user=OTHER)
    assert cards.answer_text(url) == texts.NOT_YOURS_TO_CHANGE.format(
        lead_id=cards.lead_id, owner=f"<@{SALES_USER}>"
    )


# --- Log contact -----------------------------------------------------------------------------------------


def log(cards: Cards, outcome: Outcome, user: str = SALES_USER) -> str:
    value = ContactOption(cards.lead_id, outcome).to_value()
    return cards.click(ids.LOG_CONTACT, value, user=user, action_type="static_select")


@pytest.mark.parametrize(
    ("outcome", "words"),
    [("spoke", "called — spoke"), ("voicemail", "voicemail"), ("emailed", "emailed"), ("texted", "texted")],
)
def test_each_contact_outcome_is_logged_and_shown(cards: Cards, outcome: Outcome, words: str) -> None:
    claimed(cards)
    url = log(cards, outcome)
    assert cards.answer_text(url) == texts.LOGGED.format(outcome=words, attempt=1)
    clock = cards.store().clock(cards.lead_id)
    assert clock is not None
    assert (clock.attempts, clock.first_contact_at, clock.retry_due_at) == (1, FRIDAY_1730, None)
    assert (clock.reached_at is not None) == (outcome == "spoke")
    assert cards.store().events(cards.lead_id)[-1].detail == {"outcome": outcome}
    shown = cards.wait_card("1 attempt")
    assert ("reached" in shown) == (outcome == "spoke")


def test_no_answer_sets_the_retry_in_working_time(cards: Cards) -> None:
    claimed(cards)
    url = log(cards, "no_answer")
    # 60 working minutes from Friday 17:30: half an hour on Friday, half an hour from Monday's 08:30.
    assert cards.answer_text(url) == texts.LOGGED_RETRY.format(
        outcome="no answer", attempt=1, when="Mon 09:00"
    )
    clock = cards.store().clock(cards.lead_id)
    assert clock is not None
    assert clock.retry_due_at == datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
    cards.wait_card("1 attempt")


def test_logging_on_an_unowned_lead_claims_it_first(cards: Cards) -> None:
    url = log(cards, "voicemail", user=OTHER)
    text = cards.answer_text(url)
    assert text.startswith(texts.LOGGED_CLAIMED.format(lead_id=cards.lead_id))
    assert cards.owner() == OTHER
    cards.wait_card(f"Owner: <@{OTHER}> · 1 attempt")


def test_logging_on_someone_elses_lead_is_refused_naming_the_owner(cards: Cards) -> None:
    claimed(cards)
    url = log(cards, "spoke", user=OTHER)
    assert cards.answer_text(url) == texts.NOT_YOURS_TO_LOG.format(
        lead_id=cards.lead_id, owner=f"<@{SALES_USER}>"
    )
    assert cards.store().clock(cards.lead_id).attempts == 0  # type: ignore[union-attr]
    log(cards, "spoke", user=MANAGER)  # a manager may
    wait_until(lambda: cards.store().clock(cards.lead_id).attempts == 1, what="the manager's log")  # type: ignore[union-attr]


def attempts_question(cards: Cards) -> tuple[str, ResponsePost]:
    claimed(cards)
    log(cards, "no_answer")
    wait_until(lambda: cards.store().clock(cards.lead_id).attempts == 1, what="attempt 1")  # type: ignore[union-attr]
    url = log(cards, "no_answer")
    confirmation, question = cards.answers(url, count=2)
    assert "attempt 2" in confirmation.body["text"]
    return url, question


def test_the_last_attempt_asks_close_and_closing_ends_log_contact(make_cards: Callable[..., Cards]) -> None:
    cards = make_cards(leadbot_max_attempts=2)
    _, question = attempts_question(cards)
    assert question.body["text"].startswith(f"That's 2 attempts on lead {cards.lead_id}")
    buttons = {
        e["action_id"]: e for b in question.body["blocks"] if b["type"] == "actions" for e in b["elements"]
    }
    assert set(buttons) == {ids.CLOSE_LEAD, ids.KEEP_TRYING}
    assert CloseButton.from_value(buttons[ids.CLOSE_LEAD]["value"]) == CloseButton(cards.lead_id)
    url = cards.click(ids.CLOSE_LEAD, buttons[ids.CLOSE_LEAD]["value"], block=ids.ATTEMPTS_BLOCK, ts="1.1")
    [answer] = cards.answers(url)
    assert answer.body["text"] == texts.CLOSED_DONE.format(lead_id=cards.lead_id)
    assert answer.body["replace_original"] is True
    clock = cards.store().clock(cards.lead_id)
    assert clock is not None
    assert (clock.closed, clock.retry_due_at) == (True, None)
    cards.wait_card("closed")
    assert ids.LOG_CONTACT not in cards.card_actions()


def test_keep_trying_keeps_it_open(make_cards: Callable[..., Cards]) -> None:
    cards = make_cards(leadbot_max_attempts=2)
    attempts_question(cards)
    url = cards.click(
        ids.KEEP_TRYING, KeepTryingButton(cards.lead_id).to_value(), block=ids.ATTEMPTS_BLOCK, ts="1.1"
    )
    assert cards.answer_text(url) == texts.KEPT_DONE.format(lead_id=cards.lead_id)
    clock = cards.store().clock(cards.lead_id)
    assert clock is not None
    assert clock.closed is False
    assert cards.store().events(cards.lead_id)[-1].kind == "kept"
    assert ids.LOG_CONTACT in cards.card_actions()


def test_claim_from_the_morning_list_rerenders_that_list_not_a_card(rig: Rig, cards: Cards) -> None:
    from leadbot.store import NewAlert

    store = cards.store()
    store.queue_alert(
        NewAlert(kind="morning", channel=ALERTS_CHANNEL, payload={"lead_ids": [cards.lead_id]}),
        now=cards.now(),
    )
    rig.service().run_once()
    morning = wait_until(
        lambda: [m for m in rig.messages() if "morning_heading" in json.dumps(m.blocks)],
        what="the morning list",
    )[0]
    row_id = ids.block_id(ids.MORNING_LEAD_BLOCK, cards.lead_id)
    row = next(b for b in morning.blocks if b.get("block_id") == row_id)
    assert row["accessory"]["action_id"] == ids.CLAIM_LEAD
    cards.click(ids.CLAIM_LEAD, row["accessory"]["value"], block=ids.MORNING_LEAD_BLOCK, ts=morning.ts)

    def now_shown() -> str:
        return json.dumps(next(m for m in rig.messages() if m.ts == morning.ts).blocks)

    wait_until(lambda: f"Owner: <@{SALES_USER}>" in now_shown(), what="the morning list's row")
    assert "morning_heading" in now_shown()  # still the list, not one lead's card
    assert cards.owner() == SALES_USER


def test_the_home_tab_lists_waiting_leads_to_claim_and_claiming_moves_the_lead_to_mine(
    rig: Rig, cards: Cards
) -> None:
    from leadbot.listeners.events import publish_home
    from tests.fakes.slack_requests import block_action_body

    root = Root(rig.settings(), clock=cards.now)
    try:
        publish_home(root.deps, SALES_USER)
    finally:
        root.close()
    [published] = rig.slack.calls_to("views.publish")
    home = json.dumps(published.params["view"], ensure_ascii=False)
    assert "Waiting for someone" in home
    assert "You own no open leads." in home
    row_id = ids.block_id(ids.HOME_LEAD_BLOCK, cards.lead_id)
    row = next(b for b in published.params["view"]["blocks"] if b.get("block_id") == row_id)
    assert row["accessory"]["action_id"] == ids.CLAIM_LEAD
    body = block_action_body(
        ids.CLAIM_LEAD,
        row["accessory"]["value"],
        user_id=SALES_USER,
        trigger_id=rig.slack.new_trigger_id(),
        block_id=row_id,
        view={"id": "V0HOME", "type": "home"},
        channel_id=None,
    )
    assert cards.app.dispatch(_request(body)).status == 200
    wait_until(lambda: len(rig.slack.calls_to("views.publish")) == 2, what="the Home tab published again")
    again = rig.slack.calls_to("views.publish")[1].params["view"]
    mine = json.dumps(
        again["blocks"][
            again["blocks"].index(next(b for b in again["blocks"] if "Your open leads" in json.dumps(b))) :
        ]
    )
    assert f"Owner: <@{SALES_USER}>" in mine
    assert cards.owner() == SALES_USER
    assert f"Owner: <@{SALES_USER}>" in cards.wait_card("Owner:")  # the alert card in the channel too


# --- App Home as a worklist ------------------------------------------------------------------------------


ADMIN = "U0ADMIN001"


def opened_home(cards: Cards, user: str) -> dict[str, Any]:
    """Opens the Home tab as `user`; returns the view leadbot published for them."""
    before = len(cards.rig.slack.calls_to("views.publish"))
    body = event_body({"type": "app_home_opened", "user": user, "tab": "home", "channel": "D0HOME"})
    cards.app.dispatch(_request(body))
    calls = wait_until(
        lambda: [
            c for c in cards.rig.slack.calls_to("views.publish")[before:] if c.params["user_id"] == user
        ],
        what="the Home tab published",
    )
    call = calls[-1]  # (a claim's refresh may publish it too)
    return dict(call.params["view"])


def test_each_person_sees_their_own_leads_and_only_admins_see_health_and_the_rota(
    rig: Rig, make_cards: Callable[..., Cards]
) -> None:
    cards = make_cards(leadbot_admins=(ADMIN,))
    rig.slack.add_user(ADMIN, "admin@example.co.uk", name="admin")
    cards.store().add_to_rota(SALES_USER, by=ADMIN, now=cards.now())
    claimed(cards)
    mine = json.dumps(opened_home(cards, SALES_USER), ensure_ascii=False)
    assert "Your open leads" in mine
    assert f"Owner: <@{SALES_USER}>" in mine
    assert "Last successful poll" not in mine
    assert "/leads rota" not in mine
    theirs = json.dumps(opened_home(cards, ADMIN), ensure_ascii=False)
    assert "You own no open leads." in theirs
    assert "Last successful poll" in theirs
    assert f"<@{SALES_USER}> — " in theirs  # the rota, with who is available now
    assert "/leads rota" in theirs


def test_the_search_box_shows_results_in_the_tab_as_the_person(rig: Rig, cards: Cards) -> None:
    body = block_action_body(
        ids.HOME_SEARCH,
        None,
        user_id=SALES_USER,
        trigger_id=rig.slack.new_trigger_id(),
        block_id=ids.HOME_SEARCH_BLOCK,
        view={"id": "V0HOME", "type": "home"},
        channel_id=None,
        action_type="plain_text_input",
    )
    payload = json.loads(parse_qs(body.decode())["payload"][0])
    payload["actions"][0]["value"] = "Jane Doe"  # what a plain_text_input dispatches on Enter
    payload["actions"][0].pop("selected_option", None)
    cards.app.dispatch(_request(urlencode({"payload": json.dumps(payload)}).encode()))
    call = wait_until(lambda: rig.slack.calls_to("views.publish"), what="the results")[-1]
    shown = json.dumps(call.params["view"], ensure_ascii=False)
    assert "found* for “Jane Doe”" in shown
    assert ids.block_id(ids.HOME_FOUND_BLOCK, cards.lead_id) in shown


# --- /leads show cards follow their lead -----------------------------------------------------------------


def test_a_shown_card_is_replaced_when_heatpunk_changes_or_deletes_its_lead(rig: Rig, cards: Cards) -> None:
    from tests.fakes.slack_requests import slash_command_body

    url = rig.slack.new_response_url()
    body = slash_command_body(
        f"show {cards.lead_id}", user_id=SALES_USER, response_url=url, trigger_id=rig.slack.new_trigger_id()
    )
    assert cards.app.dispatch(_request(body)).status == 200
    [shown] = cards.answers(url)
    assert "Status: new" in json.dumps(shown.body, ensure_ascii=False)
    rig.heatpunk().update(cards.lead_id, rig.settings().leadbot_poll_email or "", {"status": "Quote"})
    service = rig.service()
    assert service.run_once().ok
    _, replaced = cards.answers(url, count=2)
    assert replaced.body["replace_original"] is True
    assert "Status: Quote" in json.dumps(replaced.body, ensure_ascii=False)
    rig.heatpunk().delete(cards.lead_id, rig.settings().leadbot_poll_email or "")
    for _ in range(2):  # gone only when a second poll agrees
        assert service.run_once().ok
    *_, gone = cards.answers(url, count=3)
    assert "was deleted in Heatpunk" in json.dumps(gone.body, ensure_ascii=False)
