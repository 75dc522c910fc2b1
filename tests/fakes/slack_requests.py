"""Requests built and signed exactly as Slack sends them, so a real Bolt app with verification on accepts them."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal, Self
from urllib.parse import urlencode

import httpx

from leadbot.leads.form import BLOCK_IDS
from tests.fakes.slack import ALERTS_CHANNEL, SALES_USER, FakeSlack
from tests.fakes.slack_workspace import APP_ID, BOT_USER_ID, TEAM_ID, FunctionExecution, function_definition

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
_action_ts = itertools.count(1)


# ---- signatures


def sign(body: bytes, secret: str, timestamp: int | None = None) -> dict[str, str]:
    """The two headers Slack adds: a timestamp and v0=HMAC-SHA256 of "v0:{ts}:{body}"."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def bad_signature_headers(body: bytes, secret: str) -> dict[str, str]:
    """Headers signed with the wrong secret: Bolt must answer 401."""
    return sign(body, secret + "-wrong")


def stale_headers(body: bytes, secret: str, age: int = 301) -> dict[str, str]:
    """Correctly signed headers from `age` seconds ago (Slack's replay window is 300 s)."""
    return sign(body, secret, int(time.time()) - age)


def unsigned_headers() -> dict[str, str]:
    """No signature at all."""
    return {}


# ---- payloads (dicts, as Socket Mode envelopes carry them) and bodies (bytes, as HTTP carries them)


def slash_command_fields(
    text: str,
    *,
    user_id: str,
    response_url: str,
    trigger_id: str,
    channel_id: str = ALERTS_CHANNEL,
    command: str = "/leads",
    team_id: str = TEAM_ID,
    user_name: str = "sales",
    channel_name: str = "leads-alerts",
) -> dict[str, str]:
    """The fields of a slash command invocation."""
    return {
        "token": "deprecated-verification-token",
        "team_id": team_id,
        "team_domain": "leadbot-test",
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }


def slash_command_body(text: str, **kwargs: Any) -> bytes:
    """A slash command, form-encoded as Slack POSTs it; keywords as slash_command_fields."""
    return urlencode(slash_command_fields(text, **kwargs)).encode()


def block_action_payload(
    action_id: str,
    value: str | None = None,
    *,
    user_id: str,
    trigger_id: str,
    block_id: str = "actions",
    response_url: str | None = None,
    channel_id: str | None = ALERTS_CHANNEL,
    message: Mapping[str, Any] | None = None,
    view: Mapping[str, Any] | None = None,
    action_type: str = "button",
    team_id: str = TEAM_ID,
) -> dict[str, Any]:
    """A block_actions payload: from a message (default) or, given `view`, from a modal or Home tab."""
    action: dict[str, Any] = {"type": action_type, "action_id": action_id, "block_id": block_id}
    action["action_ts"] = f"{int(time.time())}.{next(_action_ts):06d}"
    if action_type == "button":
        action.update(text={"type": "plain_text", "text": action_id}, value=value)
    else:  # selects and overflow menus carry the chosen option
        action["selected_option"] = {"text": {"type": "plain_text", "text": value}, "value": value}
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user_id, "username": "sales", "name": "sales", "team_id": team_id},
        "api_app_id": APP_ID,
        "token": "deprecated-verification-token",
        "team": {"id": team_id, "domain": "leadbot-test"},
        "enterprise": None,
        "is_enterprise_install": False,
        "trigger_id": trigger_id,
        "actions": [action],
        "state": {"values": {}},
    }
    if view is not None:
        payload["container"] = {"type": "view", "view_id": view.get("id", "V000001")}
        payload["view"] = dict(view)
    else:
        msg = dict(message or {"type": "message", "ts": "1700000000.000100", "text": ""})
        payload["container"] = {"type": "message", "message_ts": msg["ts"], "channel_id": channel_id}
        payload["message"] = msg
    if channel_id is not None and view is None:
        payload["channel"] = {"id": channel_id, "name": "leads-alerts"}
    if response_url is not None:
        payload["response_url"] = response_url
    return payload


def block_action_body(action_id: str, value: str | None = None, **kwargs: Any) -> bytes:
    """A block action as Slack POSTs it: payload=<urlencoded JSON>; keywords as block_action_payload."""
    return urlencode({"payload": json.dumps(block_action_payload(action_id, value, **kwargs))}).encode()


def message_action_payload(
    callback_id: str,
    message: Mapping[str, Any],
    *,
    user_id: str,
    trigger_id: str,
    response_url: str,
    channel_id: str = ALERTS_CHANNEL,
    team_id: str = TEAM_ID,
) -> dict[str, Any]:
    """A message shortcut (`message_action`) used on `message` (at least its ts and text) in `channel_id`."""
    return {
        "type": "message_action",
        "token": "deprecated-verification-token",
        "action_ts": f"{int(time.time())}.{next(_action_ts):06d}",
        "team": {"id": team_id, "domain": "leadbot-test"},
        "user": {"id": user_id, "username": "sales", "name": "sales", "team_id": team_id},
        "channel": {"id": channel_id, "name": "sales"},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": trigger_id,
        "response_url": response_url,
        "message_ts": message["ts"],
        "message": {"type": "message", "user": "U0OTHER1", **message},
    }


def message_action_body(callback_id: str, message: Mapping[str, Any], **kwargs: Any) -> bytes:
    """A message shortcut as Slack POSTs it; keywords as message_action_payload."""
    payload = message_action_payload(callback_id, message, **kwargs)
    return urlencode({"payload": json.dumps(payload)}).encode()


def global_shortcut_payload(
    callback_id: str, *, user_id: str, trigger_id: str, team_id: str = TEAM_ID
) -> dict[str, Any]:
    """A global shortcut (`shortcut`, the ⚡ menu): no channel, no response_url."""
    return {
        "type": "shortcut",
        "token": "deprecated-verification-token",
        "action_ts": f"{int(time.time())}.{next(_action_ts):06d}",
        "team": {"id": team_id, "domain": "leadbot-test"},
        "user": {"id": user_id, "username": "sales", "team_id": team_id},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": trigger_id,
    }


def global_shortcut_body(callback_id: str, **kwargs: Any) -> bytes:
    """A global shortcut as Slack POSTs it; keywords as global_shortcut_payload."""
    return urlencode({"payload": json.dumps(global_shortcut_payload(callback_id, **kwargs))}).encode()


def view_submission_payload(
    callback_id: str,
    values: Mapping[str, Mapping[str, Mapping[str, Any]]],
    *,
    user_id: str,
    trigger_id: str,
    private_metadata: str = "",
    view_id: str = "V000001",
    view: Mapping[str, Any] | None = None,
    team_id: str = TEAM_ID,
) -> dict[str, Any]:
    """A view_submission payload; `view` (e.g. fake_slack.views[view_id]) supplies title, blocks and hash."""
    submitted: dict[str, Any] = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Lead"},
        "blocks": [],
    }
    submitted.update(view or {})
    submitted.update(
        id=submitted.get("id", view_id),
        team_id=team_id,
        callback_id=callback_id,
        private_metadata=private_metadata or submitted.get("private_metadata", ""),
        state={"values": {b: {a: dict(v) for a, v in actions.items()} for b, actions in values.items()}},
        hash=submitted.get("hash", "1700000000.fake"),
        app_id=APP_ID,
    )
    return {
        "type": "view_submission",
        "team": {"id": team_id, "domain": "leadbot-test"},
        "user": {"id": user_id, "username": "sales", "name": "sales", "team_id": team_id},
        "api_app_id": APP_ID,
        "token": "deprecated-verification-token",
        "trigger_id": trigger_id,
        "view": submitted,
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def view_submission_body(
    callback_id: str, values: Mapping[str, Mapping[str, Mapping[str, Any]]], **kwargs: Any
) -> bytes:
    """A view submission as Slack POSTs it; keywords as view_submission_payload."""
    return urlencode({"payload": json.dumps(view_submission_payload(callback_id, values, **kwargs))}).encode()


def text_value(value: str | None) -> dict[str, Any]:
    """The state value of a plain_text_input, for view_submission values."""
    return {"type": "plain_text_input", "value": value}


def form_state(**values: str) -> dict[str, dict[str, dict[str, Any]]]:
    """The lead form's view state as Slack sends it on submit: block_id → action_id → what was typed."""
    return {block: {block: text_value(values.get(block))} for block in BLOCK_IDS}


def event_callback(
    event: Mapping[str, Any], *, event_id: str | None = None, team_id: str = TEAM_ID
) -> dict[str, Any]:
    """An Events API delivery wrapping one event."""
    return {
        "token": "deprecated-verification-token",
        "team_id": team_id,
        "api_app_id": APP_ID,
        "event": dict(event),
        "type": "event_callback",
        "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "authorizations": [
            {"team_id": team_id, "user_id": BOT_USER_ID, "is_bot": True, "is_enterprise_install": False}
        ],
        "is_ext_shared_channel": False,
    }


def event_body(event: Mapping[str, Any], *, event_id: str | None = None) -> bytes:
    """An Events API delivery as Slack POSTs it (JSON)."""
    return json.dumps(event_callback(event, event_id=event_id)).encode()


def function_executed_event(execution: FunctionExecution) -> dict[str, Any]:
    """The `function_executed` event of a step run in a workflow: its definition from the manifest, its
    inputs, its execution id and the bot_access_token Slack includes for that execution."""
    definition = function_definition(execution.callback_id)

    def parameters(kind: str) -> list[dict[str, Any]]:
        declared = definition.get(kind) or {}
        required = set(declared.get("required") or ())
        return [
            {"name": name, **spec, "is_required": name in required}
            for name, spec in (declared.get("properties") or {}).items()
        ]

    return {
        "type": "function_executed",
        "function": {
            "id": "Fn0" + execution.callback_id.upper().replace("_", "")[:9],
            "callback_id": execution.callback_id,
            "title": definition.get("title", execution.callback_id),
            "description": definition.get("description", ""),
            "type": "app",
            "input_parameters": parameters("input_parameters"),
            "output_parameters": parameters("output_parameters"),
            "app_id": APP_ID,
            "date_created": 1764500000,
            "date_updated": 1764500000,
            "date_deleted": 0,
        },
        "inputs": dict(execution.inputs),
        "function_execution_id": execution.execution_id,
        "workflow_execution_id": "Wx" + execution.execution_id[2:],
        "event_ts": f"{time.time():.6f}",
        "bot_access_token": execution.token,
    }


# ---- sending to a running bot


@dataclass(frozen=True)
class Sent:
    """One request the sender made, with the ids it issued, so tests can follow them in the fake."""

    body: bytes
    trigger_id: str | None
    response_url: str | None
    response: httpx.Response


class SlackSender:
    """POSTs signed Slack requests to a running bot, issuing fresh trigger ids and response URLs from FakeSlack.

    Over HTTP by default; given a `transport` (e.g. one that calls a Bolt app's dispatch), through that.
    """

    def __init__(
        self,
        url: str,
        secret: str,
        fake_slack: FakeSlack,
        *,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = url if url.rstrip("/").endswith("/slack/events") else url.rstrip("/") + "/slack/events"
        self.secret = secret
        self.fake = fake_slack
        self.sent: list[Sent] = []
        self._http = httpx.Client(timeout=timeout, trust_env=False, transport=transport)

    @property
    def last(self) -> Sent:
        """The most recent request."""
        return self.sent[-1]

    def command(self, text: str = "", *, user_id: str = SALES_USER, **kwargs: Any) -> httpx.Response:
        """Send a slash command (default /leads) as `user_id`."""
        trigger_id, response_url = self.fake.new_trigger_id(), self.fake.new_response_url()
        body = slash_command_body(
            text, user_id=user_id, trigger_id=trigger_id, response_url=response_url, **kwargs
        )
        return self._send(body, FORM, trigger_id, response_url)

    def action(
        self, action_id: str, value: str | None = None, *, user_id: str = SALES_USER, **kwargs: Any
    ) -> httpx.Response:
        """Click a button (or pick an option) on a message, or in a modal when `view=` is given."""
        trigger_id = self.fake.new_trigger_id()
        response_url = None if kwargs.get("view") is not None else self.fake.new_response_url()
        kwargs.setdefault("response_url", response_url)
        body = block_action_body(action_id, value, user_id=user_id, trigger_id=trigger_id, **kwargs)
        return self._send(body, FORM, trigger_id, kwargs["response_url"])

    def submit(
        self,
        callback_id: str,
        values: Mapping[str, Mapping[str, Mapping[str, Any]]],
        *,
        user_id: str = SALES_USER,
        answer: Literal["now", "late"] | None = "now",
        **kwargs: Any,
    ) -> httpx.Response:
        """Submit a modal with state `values` (block_id -> action_id -> value dict). The ack is applied to the
        fake's view as Slack applies it: at once, or with `answer="late"` at the end of Slack's window, after
        the views.update calls that came inside it (see FakeSlack.answer_view_submission); None: not at all."""
        trigger_id = self.fake.new_trigger_id()
        body = view_submission_body(callback_id, values, user_id=user_id, trigger_id=trigger_id, **kwargs)
        submitted_at = self.fake.clock()
        response = self._send(body, FORM, trigger_id, None)
        if answer is not None and response.status_code == 200 and response.content:
            view_id = str(kwargs.get("view_id", "V000001"))
            self.fake.answer_view_submission(
                view_id, response.json(), submitted_at=submitted_at, late=answer == "late"
            )
        return response

    def message_shortcut(
        self, callback_id: str, message: Mapping[str, Any], *, user_id: str = SALES_USER, **kwargs: Any
    ) -> httpx.Response:
        """Use a message shortcut on `message` (its ts and text) in a channel (default #leads-alerts)."""
        trigger_id, response_url = self.fake.new_trigger_id(), self.fake.new_response_url()
        body = message_action_body(
            callback_id, message, user_id=user_id, trigger_id=trigger_id, response_url=response_url, **kwargs
        )
        return self._send(body, FORM, trigger_id, response_url)

    def global_shortcut(self, callback_id: str, *, user_id: str = SALES_USER) -> httpx.Response:
        """Use a global shortcut from the ⚡ menu."""
        trigger_id = self.fake.new_trigger_id()
        body = global_shortcut_body(callback_id, user_id=user_id, trigger_id=trigger_id)
        return self._send(body, FORM, trigger_id, None)

    def event(
        self, event: Mapping[str, Any], *, event_id: str | None = None, retry_num: int | None = None
    ) -> httpx.Response:
        """Deliver an Events API event; `retry_num` marks it as Slack's redelivery."""
        retry = (
            {}
            if retry_num is None
            else {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        )
        return self._send(event_body(event, event_id=event_id), JSON, None, None, extra=retry)

    def step(self, callback_id: str, inputs: Mapping[str, Any]) -> tuple[FunctionExecution, httpx.Response]:
        """Run a custom step in a workflow: the fake issues the execution, leadbot gets its function_executed
        event (signed, JSON); returns the execution, to follow it in the fake, and leadbot's answer."""
        execution = self.fake.new_function_execution(callback_id, dict(inputs))
        return execution, self.event(function_executed_event(execution))

    def post(self, body: bytes, content_type: str = FORM, *, signing: str = "good") -> httpx.Response:
        """Send a raw body signed "good", "bad", "stale" or "none", to check the bot's verification."""
        headers = {
            "good": lambda: sign(body, self.secret),
            "bad": lambda: bad_signature_headers(body, self.secret),
            "stale": lambda: stale_headers(body, self.secret),
            "none": unsigned_headers,
        }[signing]()
        return self._http.post(self.url, content=body, headers={"Content-Type": content_type, **headers})

    def close(self) -> None:
        """Close the HTTP client."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def _send(
        self,
        body: bytes,
        content_type: str,
        trigger_id: str | None,
        response_url: str | None,
        extra: Mapping[str, str] = {},
    ) -> httpx.Response:
        headers = {"Content-Type": content_type, **sign(body, self.secret), **extra}
        response = self._http.post(self.url, content=body, headers=headers)
        self.sent.append(Sent(body, trigger_id, response_url, response))
        return response
