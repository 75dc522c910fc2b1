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
from leadbot.heatpunk.models import (
    BUILD_DATES,
    UPDATABLE_FIELDS,
    Lead,
    NewLead,
    may_hold_unsafe_text,
    parse_id,
    parse_leads,
)
from leadbot.heatpunk.transport import CALL_DEADLINE
from leadbot.redaction import redact

logger = logging.getLogger(__name__)

MAX_TRIES = 3
BACKOFF_SECONDS = 0.5  # before the 2nd try of a failed call; doubled before the 3rd
DEADLINE_SECONDS = 25.0  # one whole call, its retries included (HEATPUNK_DEADLINE_SECONDS)
# A year of a busy team's leads is a few MB; an answer this big is broken or hostile (measured decompressed).
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
_TAGS = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")

# Headers about the bytes on the wire: the answer kept is already decoded, whole.
DECODED_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


class TooLarge(Exception):
    """An answer over the size bound, cut off while reading."""


def read_json(response: httpx.Response) -> Any:
    """The answer as JSON; ValueError for anything else, however odd (nested too deep to parse, any encoding)."""
    try:
        return response.json()
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def describe_body(response: httpx.Response) -> str | None:
    """The API's own words from an error body, whatever it is (JSON, text, HTML, empty), kept short."""
    try:
        text = response.text.strip()
    except (ValueError, LookupError):  # a charset the bytes aren't in (e.g. utf-16 without a BOM)
        text = response.content.decode("utf-8", errors="replace").strip()
    if not text:
        return None
    try:
        body = json.loads(text)
    except (ValueError, RecursionError):
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
        deadline_seconds: float = DEADLINE_SECONDS,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._http = http
        self._base_url = base_url.rstrip("/")
        self._api_key = api_key
        self._backoff = backoff_seconds
        self._deadline = deadline_seconds
        self._max_bytes = max_response_bytes
        self._sleep = sleep

    def __repr__(self) -> str:
        return f"HeatpunkClient(base_url={self._base_url!r})"

    def fetch(self, user_email: str, furthest_date: date) -> list[Lead]:
        """Leads created on or after `furthest_date` that `user_email` may see."""
        body = {"userEmail": user_email, "furthestDate": furthest_date.isoformat()}
        response = self._request("POST", "leads/fetch", body, email=user_email)
        try:
            clean = not may_hold_unsafe_text(response.content)
            return parse_leads(read_json(response), clean=clean)
        except ValueError:
            raise Unavailable(Reason.UNREADABLE, status=response.status_code) from None

    def create(self, lead: NewLead) -> str:
        """Creates a lead and returns its new ID; never retried once it may have reached Heatpunk."""
        response = self._request("POST", "leads/create", lead.to_api(), retry_sent=False)
        try:
            body = read_json(response)
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
        """The one request path: send, retry what is safe to retry, and pass every answer through the gate;
        all of it within the call's deadline, however slowly Heatpunk answers."""
        content = json.dumps(body).encode()
        headers = {"X-API-KEY": self._api_key.get_secret_value(), "Content-Type": "application/json"}
        url = f"{self._base_url}/{endpoint}"
        deadline = time.monotonic() + self._deadline
        token = CALL_DEADLINE.set(deadline)
        try:
            for attempt in range(1, MAX_TRIES + 1):
                answer = self._try(method, url, content, headers, email=email, lead_id=lead_id)
                if isinstance(answer, httpx.Response):
                    return answer
                failure, reached = answer
                if reached and not retry_sent:
                    raise Unavailable(
                        failure.reason, status=failure.status, cause=failure.cause, may_have_saved=True
                    )
                pause = self._backoff * 2 ** (attempt - 1)
                if attempt == MAX_TRIES or time.monotonic() + pause >= deadline:
                    raise failure
                logger.warning("Heatpunk %s failed (try %d of %d): %s", endpoint, attempt, MAX_TRIES, failure)
                self._sleep(pause)
        finally:
            CALL_DEADLINE.reset(token)
        raise AssertionError("unreachable")  # pragma: no cover

    def _try(
        self,
        method: str,
        url: str,
        content: bytes,
        headers: Mapping[str, str],
        *,
        email: str | None,
        lead_id: str | None,
    ) -> httpx.Response | tuple[Unavailable, bool]:
        """One try: the answer when it passed the gate, else why not and whether it reached Heatpunk."""
        try:
            response = self._send(method, url, content, headers)
        except (httpx.ConnectError, httpx.ConnectTimeout) as error:
            return Unavailable(Reason.UNREACHABLE, cause=type(error).__name__), False
        except httpx.TimeoutException as error:
            return Unavailable(Reason.TOO_SLOW, cause=type(error).__name__), True
        except httpx.TransportError as error:
            return Unavailable(Reason.UNREACHABLE, cause=type(error).__name__), True
        except httpx.DecodingError as error:  # e.g. "Content-Encoding: gzip" on a body that isn't
            return Unavailable(Reason.UNREADABLE, cause=type(error).__name__), True
        except TooLarge:
            return Unavailable(Reason.TOO_LARGE, cause=f"over {self._max_bytes} bytes"), True
        try:
            secrets = (self._api_key.get_secret_value(),)
            return raise_for_status(response, email=email, lead_id=lead_id, secrets=secrets)
        except Unavailable as error:
            return error, True

    def _send(self, method: str, url: str, content: bytes, headers: Mapping[str, str]) -> httpx.Response:
        """Sends and reads the whole answer, but no more than the size bound (decompressed, as it is kept)."""
        with self._http.stream(method, url, content=content, headers=headers) as streamed:
            declared = streamed.headers.get("Content-Length", "")
            if declared.isascii() and declared.isdigit() and int(declared) > self._max_bytes:
                raise TooLarge
            received = bytearray()
            for chunk in streamed.iter_bytes():
                received += chunk
                if len(received) > self._max_bytes:
                    raise TooLarge
        kept = [(k, v) for k, v in streamed.headers.multi_items() if k.lower() not in DECODED_HEADERS]
        return httpx.Response(
            streamed.status_code, headers=kept, content=bytes(received), request=streamed.request
        )


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
