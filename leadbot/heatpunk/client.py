"""A small, typed, synchronous client for the Heatpunk / Easy PV leads API."""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

import httpx
from pydantic import SecretStr

from leadbot.heatpunk.errors import (
    AuthError,
    HeatpunkError,
    InvalidRequest,
    NotFound,
    Reason,
    Unavailable,
    lead_not_found,
)
from leadbot.heatpunk.models import BUILD_DATES, UPDATABLE_FIELDS, Lead, NewLead, parse_id, parse_leads
from leadbot.redaction import redact

logger = logging.getLogger(__name__)

MAX_TRIES = 3
BACKOFF_SECONDS = 0.5  # before the 2nd try of a failed call; doubled before the 3rd
_TAGS = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")


def build_http_client(timeout_seconds: float = 10.0) -> httpx.Client:
    """The httpx client the API client runs on, with explicit timeouts and no environment proxies."""
    timeout = httpx.Timeout(timeout_seconds, connect=min(5.0, timeout_seconds))
    return httpx.Client(timeout=timeout, trust_env=False, headers={"User-Agent": "leadbot"})


def describe_body(response: httpx.Response) -> str | None:
    """The API's own words from an error body, whatever it is (JSON, text, HTML, empty), kept short."""
    text = response.text.strip()
    if not text:
        return None
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    if isinstance(body, Mapping):
        for key in ("message", "error", "detail", "errors", "status"):
            value = body.get(key)
            if isinstance(value, str) and value.strip():
                text = value
                break
            if isinstance(value, list | Mapping) and value:
                text = json.dumps(value)
                break
    elif isinstance(body, str):
        text = body
    text = _SPACES.sub(" ", _TAGS.sub(" ", text)).strip()
    return text[:300] or None


class HeatpunkClient:
    """fetch / create / update / delete leads; every failure is raised from errors.py, as data."""

    def __init__(
        self,
        http: httpx.Client,
        base_url: str,
        api_key: SecretStr,
        *,
        backoff_seconds: float = BACKOFF_SECONDS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._http = http
        self._base_url = base_url.rstrip("/")
        self._api_key = api_key
        self._backoff = backoff_seconds
        self._sleep = sleep

    def __repr__(self) -> str:
        return f"HeatpunkClient(base_url={self._base_url!r})"

    def fetch(self, user_email: str, furthest_date: date) -> list[Lead]:
        """Leads created on or after `furthest_date` that `user_email` may see."""
        body = {"userEmail": user_email, "furthestDate": furthest_date.isoformat()}
        response = self._request("POST", "leads/fetch", body, email=user_email)
        try:
            return parse_leads(response.json())
        except ValueError:
            raise Unavailable(Reason.UNREADABLE, status=response.status_code) from None

    def create(self, lead: NewLead) -> str:
        """Creates a lead and returns its new ID; never retried once it may have reached Heatpunk."""
        response = self._request("POST", "leads/create", lead.to_api(), retry_sent=False)
        try:
            body = response.json()
        except ValueError:
            body = None
        new_id = None
        if isinstance(body, Mapping):
            new_id = parse_id(body.get("leadId", body.get("leadID", body.get("id"))))
        if new_id is None:
            raise Unavailable(Reason.NO_NEW_ID, status=response.status_code)
        return new_id

    def update(self, lead_id: str, user_email: str, fields: Mapping[str, Any]) -> None:
        """Changes the given meta fields of a lead; unknown field names are refused before any call."""
        check_update_fields(fields)
        body = {"leadID": lead_id, "userEmail": user_email, "fields": dict(fields)}
        self._request("POST", "leads/update", body, email=user_email, lead_id=lead_id)

    def delete(self, lead_id: str, user_email: str) -> None:
        """Deletes a lead (a JSON body on DELETE, as the API documents)."""
        body = {"leadID": lead_id, "userEmail": user_email}
        self._request("DELETE", "leads/delete", body, email=user_email, lead_id=lead_id)

    def _request(
        self,
        method: str,
        endpoint: str,
        body: Mapping[str, Any],
        *,
        email: str | None = None,
        lead_id: str | None = None,
        retry_sent: bool = True,
    ) -> httpx.Response:
        """The one request path: send, retry what is safe to retry, and pass every answer through the gate."""
        content = json.dumps(body).encode()
        headers = {"X-API-KEY": self._api_key.get_secret_value(), "Content-Type": "application/json"}
        url = f"{self._base_url}/{endpoint}"
        for attempt in range(1, MAX_TRIES + 1):
            try:
                response = self._http.request(method, url, content=content, headers=headers)
            except (httpx.ConnectError, httpx.ConnectTimeout) as error:
                failure, reached = Unavailable(Reason.UNREACHABLE, cause=type(error).__name__), False
            except httpx.TimeoutException as error:
                failure, reached = Unavailable(Reason.TOO_SLOW, cause=type(error).__name__), True
            except httpx.TransportError as error:
                failure, reached = Unavailable(Reason.UNREACHABLE, cause=type(error).__name__), True
            else:
                try:
                    return raise_for_status(
                        response, email=email, lead_id=lead_id, secrets=(headers["X-API-KEY"],)
                    )
                except Unavailable as error:
                    failure, reached = error, True
            if reached and not retry_sent:
                raise Unavailable(
                    failure.reason, status=failure.status, cause=failure.cause, may_have_saved=True
                )
            if attempt == MAX_TRIES:
                raise failure
            logger.warning("Heatpunk %s failed (try %d of %d): %s", endpoint, attempt, MAX_TRIES, failure)
            self._sleep(self._backoff * 2 ** (attempt - 1))
        raise AssertionError("unreachable")  # pragma: no cover


def raise_for_status(
    response: httpx.Response,
    *,
    email: str | None = None,
    lead_id: str | None = None,
    secrets: Iterable[str] = (),
) -> httpx.Response:
    """The one status gate: 2xx passes, everything else becomes an exception from errors.py (data, no words).

    The API's own words are kept without `secrets`: an error page may echo the request, API key included,
    and those words reach people (replies, the health notice, `leadbot poll --once`).
    """
    status = response.status_code
    if 200 <= status < 300:
        return response
    described = describe_body(response)
    said = None if described is None else redact(described, secrets)
    error: HeatpunkError
    if status == 401:
        error = AuthError(Reason.KEY_REJECTED, status=status)
    elif status == 403:
        error = AuthError(Reason.NO_ACCESS, status=status, email=email)
    elif status == 404:
        error = lead_not_found(lead_id) if lead_id else NotFound(Reason.NOT_FOUND, status=status)
    elif 400 <= status < 500:
        error = InvalidRequest(Reason.REFUSED, status=status)
    else:
        error = Unavailable(Reason.SERVER_ERROR, status=status)
    error.api_message = said  # kept with every error; texts.heatpunk_failure decides where people see it
    raise error


def check_update_fields(fields: Mapping[str, Any]) -> None:
    """Refuses names the update endpoint does not document, and values it can't take."""
    unknown = tuple(sorted(set(fields) - UPDATABLE_FIELDS))
    if unknown:
        raise InvalidRequest(Reason.UNKNOWN_FIELDS, fields=unknown, choices=tuple(sorted(UPDATABLE_FIELDS)))
    if not fields:
        raise InvalidRequest(Reason.NOTHING_TO_CHANGE)
    build_date = fields.get("buildDate")
    if build_date is not None and build_date not in BUILD_DATES:
        raise InvalidRequest(Reason.BAD_BUILD_DATE, fields=("buildDate",), choices=tuple(BUILD_DATES))
