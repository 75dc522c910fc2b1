"""Text for Block Kit: lead text on one plain line, the one mrkdwn escaping function, limits, times and links."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from urllib.parse import quote, quote_plus

import phonenumbers

from leadbot.settings import UK

ELLIPSIS = "…"
PHONE_REGION = "GB"  # numbers written without a country code are read as UK numbers

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ASCII_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")
# Unicode categories that are never seen, only obeyed: controls (newlines, NUL…), format characters
# (RTL override, zero-width space, bidi isolates, invisible tags) and lone surrogates (half an emoji).
_INVISIBLE = frozenset({"Cc", "Cf", "Cs"})
# Zero-width (non-)joiners are kept between two visible non-ASCII characters: they build emoji sequences
# (a family, a flag of skin tones) and are part of the spelling in Persian and Indic scripts. They move
# nothing and break no line; anywhere else (inside an ASCII name, doubled, at an edge) they are dropped.
_JOINERS = frozenset({"\u200c", "\u200d"})


def _visible_non_ascii(char: str) -> bool:
    return not char.isascii() and not char.isspace() and unicodedata.category(char) not in _INVISIBLE


def _keeps_joiner(text: str, at: int) -> bool:
    return 0 < at < len(text) - 1 and _visible_non_ascii(text[at - 1]) and _visible_non_ascii(text[at + 1])


def inline(value: object) -> str:
    """Lead text as one plain line: newlines and any run of whitespace become one space; control and format
    characters (RTL override, zero-width, lone surrogates) are dropped. For every one-line field shown."""
    text = str(value)
    if text.isascii():
        return " ".join(_ASCII_CONTROLS.sub(" ", text).split())
    kept = []
    for at, char in enumerate(text):
        category = unicodedata.category(char)
        if category == "Cc":
            kept.append(" ")
        elif category not in _INVISIBLE or (char in _JOINERS and _keeps_joiner(text, at)):
            kept.append(char)
    return " ".join("".join(kept).split())


def escape(value: object) -> str:
    """Makes any text that did not come from leadbot one inert line in mrkdwn: no mentions, no links, no
    extra lines or reversed text (inline)."""
    return inline(value).translate(_ESCAPES)


def escape_lines(value: object) -> str:
    """escape() for text that may have lines (an address): its lines kept, blank ones dropped, each inline."""
    lines = (escape(line) for line in str(value).splitlines())
    return "\n".join(line for line in lines if line)


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
    """Escaped (one line), then cut to a Block Kit limit: for every text object, plain_text included (Slack
    asks for `&`, `<`, `>` to be escaped in all text), but never for an input's initial value."""
    return truncate(escape(_at_most(value, limit)), limit)


def safe_lines(value: object, limit: int) -> str:
    """safe() for text that may have lines (escape_lines)."""
    return truncate(escape_lines(_at_most(value, limit)), limit)


def _at_most(value: object, limit: int) -> str:
    """Enough of a huge text to fill `limit` after whitespace is collapsed, without reading all of it."""
    text = str(value)
    return text[: limit * 8 + 64]


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
    """A `tel:` URL (E.164, `;ext=` when given) for a phone number that reads as one (UK unless it has a
    country code); None for anything else, so junk around digits never becomes a number to call."""
    try:
        number = phonenumbers.parse(phone, PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):  # possible, not "valid": Ofcom's drama numbers link too
        return None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    extension = "".join(char for char in number.extension or "" if char.isdigit())
    return f"tel:{e164};ext={extension}" if extension else f"tel:{e164}"


def phone_words(phone: str) -> str | None:
    """A phone number as people dial it: national format for UK numbers (`07700 900123`), international for
    others (`+33 1 23 45 67 89`); None for anything that doesn't read as a number."""
    try:
        number = phonenumbers.parse(phone, PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    uk = phonenumbers.region_code_for_number(number) == PHONE_REGION or number.country_code == 44
    style = phonenumbers.PhoneNumberFormat.NATIONAL if uk else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)


def lead_phone_link(phone: str, limit: int = 60) -> str:
    """A lead's phone as mrkdwn: a `tel:` link (E.164) labelled in one format (phone_words) when it is a
    number, else the text, escaped, on one line."""
    url = tel_url(phone)
    if url is None:
        return safe(phone, limit)
    return link(url, truncate(phone_words(phone) or inline(phone), limit))


def date_token(moment: datetime) -> str:
    """Slack's date token: each reader sees the time in their own zone and words (`today 10:42`); clients
    that can't render it show uk_time."""
    try:
        stamp = int(moment.timestamp())
    except (OverflowError, ValueError, OSError):
        return uk_time(moment)
    return f"<!date^{stamp}^{{date_short_pretty}} {{time}}|{uk_time(moment)}>"


_LINKS = re.compile(r"<([^<>|]*)\|([^<>]*)>")
_MARKS = re.compile(r"(?<![\w*_~])[*_~]+(?=\S)|(?<=\S)[*_~]+(?![\w*_~])")


def plain_words(mrkdwn: str) -> str:
    """mrkdwn as plain words for a notification: links and date tokens become their labels, and bold,
    italic and strike marks go (a mark inside a word, as in `a_b@example.com`, stays)."""
    return _MARKS.sub("", _LINKS.sub(lambda found: found.group(2), mrkdwn))


def mailto_url(email: str) -> str:
    return "mailto:" + quote(email.strip(), safe="@.+-_")
