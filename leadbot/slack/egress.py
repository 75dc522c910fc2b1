"""The one way out to Slack: everything leadbot sends is stripped of its secrets, and marked in sandbox mode.

Every Web API call (the listeners' client and the alert sender's), every response_url answer and every ack
passes through an Egress, so a secret that reached a lead's text, Heatpunk's error words or what a person
typed never reaches Slack, whichever builder or listener made the message. Defence in depth: the Heatpunk
client already keeps its own key out of its error words.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.web import SlackResponse
from slack_sdk.webhook import WebhookClient, WebhookResponse

from leadbot.redaction import redact
from leadbot.settings import Settings
from leadbot.slack.marking import mark_ack_body, mark_api_payload, mark_message

Payload = dict[str, Any]
# Arguments that authenticate the call itself; everything else people may see.
CREDENTIAL_ARGUMENTS = frozenset({"token"})


def json_forms(secrets: tuple[str, ...]) -> tuple[str, ...]:
    """Each secret as written, and as it reads inside JSON text (an ack's body, a JSON-encoded argument)."""
    forms = list(secrets)
    for secret in secrets:
        for ascii_only in (True, False):
            escaped = json.dumps(secret, ensure_ascii=ascii_only)[1:-1]
            if escaped not in forms:
                forms.append(escaped)
    return tuple(forms)


@dataclass(frozen=True)
class Egress:
    """What every payload for Slack passes through: `secrets` removed wherever they appear, then marked
    when `sandbox`."""

    secrets: tuple[str, ...] = ()
    sandbox: bool = False

    @classmethod
    def for_settings(cls, settings: Settings, *, sandbox: bool = False) -> Egress:
        """Every secret the settings hold (Slack tokens, signing secret, Heatpunk key, database password)."""
        return cls(json_forms(tuple(settings.secret_values())), sandbox)

    def redact(self, value: Any) -> Any:
        """`value` (text, or JSON-like data) with every secret and Slack token replaced, at any depth."""
        if isinstance(value, str):
            return redact(value, self.secrets)
        if isinstance(value, dict):
            return {key: self.redact(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.redact(item) for item in value]
        return value

    def api_payload(self, method: str, payload: dict[str, Any]) -> Payload:
        """A Web API call's arguments, redacted (not the token that authenticates it), marked in sandbox."""
        cleaned = {
            key: value if key in CREDENTIAL_ARGUMENTS else self.redact(value)
            for key, value in payload.items()
        }
        return mark_api_payload(method, cleaned) if self.sandbox else cleaned

    def message(self, body: dict[str, Any]) -> Payload:
        """A response_url answer, redacted, marked in sandbox."""
        cleaned: Payload = self.redact(body)
        return mark_message(cleaned) if self.sandbox else cleaned

    def ack_body(self, body: Any) -> Any:
        """An ack's HTTP body (JSON text or words), redacted, marked in sandbox."""
        if not isinstance(body, str):
            return body
        cleaned = redact(body, self.secrets)
        return mark_ack_body(cleaned) if self.sandbox else cleaned


class LeadbotWebClient(WebClient):
    """The Web API client leadbot sends with: every call's arguments pass its Egress."""

    def __init__(self, *, egress: Egress, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.egress = egress

    def api_call(
        self,
        api_method: str,
        *,
        json: dict[str, Any] | None = None,
        data: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> SlackResponse:
        if json is not None:
            json = self.egress.api_payload(api_method, json)
        if data is not None:
            data = self.egress.api_payload(api_method, data)
        if params is not None:
            params = self.egress.api_payload(api_method, params)
        return super().api_call(api_method, json=json, data=data, params=params, **kwargs)


class LeadbotWebhookClient(WebhookClient):
    """The response_url client leadbot answers with: every answer passes its Egress."""

    def __init__(self, url: str, *, egress: Egress, **kwargs: Any) -> None:
        super().__init__(url, **kwargs)
        self.egress = egress

    def send_dict(self, body: dict[str, Any], headers: dict[str, str] | None = None) -> WebhookResponse:
        return super().send_dict(self.egress.message(body), headers=headers)
