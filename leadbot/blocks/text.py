"""Text for Block Kit: the one mrkdwn escaping function, length limits, times and links."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import quote, quote_plus

from leadbot.settings import UK

ELLIPSIS = "…"

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_NON_DIGITS = re.compile(r"[^\d+]")


def escape(value: object) -> str:
    """Makes any text that did not come from leadbot inert in mrkdwn: no mentions, no links."""
    return str(value).translate(_ESCAPES)


def truncate(text: str, limit: int) -> str:
    """Cuts text to `limit` characters with an ellipsis, never splitting an `&amp;`-style escape."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:] and len(cut) - amp <= 5:
        cut = cut[:amp]
    return cut + ELLIPSIS


def safe(value: object, limit: int) -> str:
    """Escaped, then cut to a Block Kit limit: for every text object, plain_text included (Slack asks for
    `&`, `<`, `>` to be escaped in all text), but never for an input's initial value."""
    return truncate(escape(value), limit)


def uk_time(moment: datetime) -> str:
    """An aware datetime as a UK team reads it: `Tue 11 Mar 2025, 11:03`; never raises (a time the UK
    zone can't hold, e.g. year 1, is shown as ISO text in UTC)."""
    try:
        return moment.astimezone(UK).strftime("%a %d %b %Y, %H:%M")
    except (OverflowError, ValueError):
        return moment.isoformat(sep=" ", timespec="minutes")


def link(url: str, label: str) -> str:
    """A mrkdwn link whose label is escaped and whose URL has no `|` or `>` to break out of it."""
    clean_url = url.replace("|", "%7C").replace(">", "%3E").replace("<", "%3C")
    return f"<{clean_url}|{escape(label)}>"


def map_url(lat: float | None, lng: float | None, postcode: str | None) -> str | None:
    """A map link from coordinates, else from the postcode."""
    if lat is not None and lng is not None:
        return f"https://www.google.com/maps/search/?api=1&query={lat:.6f},{lng:.6f}"
    if postcode and postcode.strip():
        return "https://www.google.com/maps/search/?api=1&query=" + quote_plus(postcode.strip()[:100])
    return None


def tel_url(phone: str) -> str | None:
    """`tel:` URL from a phone number as typed; None when it has no digits."""
    digits = _NON_DIGITS.sub("", phone)
    return f"tel:{digits}" if any(ch.isdigit() for ch in digits) else None


def mailto_url(email: str) -> str:
    return "mailto:" + quote(email.strip(), safe="@.+-_")
