"""One small exception tree for the Heatpunk API; every message is a sentence a salesperson can read."""

from __future__ import annotations


class HeatpunkError(Exception):
    """Anything that went wrong talking to Heatpunk; `str(error)` is written for people."""

    def __init__(self, message: str, *, status: int | None = None, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.detail = detail

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, status={self.status!r})"


class AuthError(HeatpunkError):
    """401/403: the API key was rejected, or the email has no access."""

    def __init__(self, message: str, *, reason: str, status: int | None = None, detail: str | None = None):
        super().__init__(message, status=status, detail=detail)
        self.reason = reason  # "key" or "email"


class NotFound(HeatpunkError):
    """404: the lead does not exist, or this email cannot see it."""


def lead_not_found(lead_id: str) -> NotFound:
    """The one way to say a lead is missing: Heatpunk answered 404, or a fetch as this email lacked it."""
    return NotFound(
        f"Lead {lead_id} was not found: it may have been deleted, or your email can't see it.", status=404
    )


class InvalidRequest(HeatpunkError):
    """Any other 4xx, or a request leadbot refuses before sending; carries the API's own words."""


class Unavailable(HeatpunkError):
    """5xx, a timeout, a connection error or an unreadable answer: worth trying again later."""
