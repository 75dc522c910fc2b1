"""One small exception tree for the Heatpunk API. Errors carry data — why (a `Reason`), the HTTP status, the
API's own words — and `leadbot.texts.heatpunk_failure` says them for people."""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """Why a call to Heatpunk failed (or was refused before it was sent)."""

    KEY_REJECTED = "key_rejected"  # 401: the API key
    NO_ACCESS = "no_access"  # 403: the email has no access to the team's leads
    NOT_FOUND = "not_found"  # 404, or a lead missing from what this email can fetch
    REFUSED = "refused"  # any other 4xx
    SERVER_ERROR = "server_error"  # 5xx
    UNREACHABLE = "unreachable"  # no connection, or it broke
    TOO_SLOW = "too_slow"  # no answer in time
    UNREADABLE = "unreadable"  # a 2xx answer leadbot couldn't read
    TOO_LARGE = "too_large"  # an answer over the size bound, not read to its end
    NO_NEW_ID = "no_new_id"  # a create answered without the new lead's ID
    UNKNOWN_FIELDS = "unknown_fields"  # an update of fields the API can't change: never sent
    NOTHING_TO_CHANGE = "nothing_to_change"  # an update of no fields: never sent
    BAD_BUILD_DATE = "bad_build_date"  # an update with a buildDate the API doesn't take: never sent


class HeatpunkError(Exception):
    """Anything that went wrong talking to Heatpunk, as data; `str()` is for logs and never holds the API's
    own words (an error body may echo the API key back)."""

    def __init__(
        self,
        reason: Reason,
        *,
        status: int | None = None,
        api_message: str | None = None,
        email: str | None = None,
        lead_id: str | None = None,
        fields: tuple[str, ...] = (),
        choices: tuple[str, ...] = (),
        may_have_saved: bool = False,
        cause: str | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status  # the HTTP status, when Heatpunk answered
        self.api_message = api_message  # the API's own words from an error body, cleaned and kept short
        self.email = email  # the email the call was made as (NO_ACCESS)
        self.lead_id = lead_id  # the lead asked for (NOT_FOUND)
        self.fields = fields  # the fields refused (UNKNOWN_FIELDS)
        self.choices = choices  # what would have been taken (UNKNOWN_FIELDS, BAD_BUILD_DATE)
        self.may_have_saved = may_have_saved  # a create that may have reached Heatpunk before it failed
        self.cause = cause  # what broke underneath (an httpx exception's name), for logs

    def __str__(self) -> str:
        status = f" (HTTP {self.status})" if self.status is not None else ""
        cause = f" ({self.cause})" if self.cause else ""
        return f"{self.reason.value}{status}{cause}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.reason.value!r}, status={self.status!r})"


class AuthError(HeatpunkError):
    """401/403: the API key was rejected (KEY_REJECTED), or the email has no access (NO_ACCESS)."""


class NotFound(HeatpunkError):
    """404: the lead does not exist, or this email cannot see it."""


def lead_not_found(lead_id: str) -> NotFound:
    """The one way to say a lead is missing: Heatpunk answered 404, or a fetch as this email lacked it."""
    return NotFound(Reason.NOT_FOUND, status=404, lead_id=lead_id)


class InvalidRequest(HeatpunkError):
    """Any other 4xx (with the API's own words), or a request leadbot refuses before sending."""


class Unavailable(HeatpunkError):
    """5xx, a timeout (or the call's deadline), a connection error, an unreadable or oversized answer: worth
    trying again later."""
