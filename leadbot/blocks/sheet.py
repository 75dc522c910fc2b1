"""The call sheet: one lead as a salesperson reads it before picking up the phone. Pure, no I/O.

Its layout, top to bottom: the customer's name (a header); one line of what decides the call (phone, area,
project, age); the customer's notes as a quote; the owner and clock (the caller's block); email, address and
the known undocumented fields under plain labels; any other field under More; then a small line with status,
source, lead ID and the map. The alert card, `/leads show` and the shared card all start from it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

from leadbot import ids, texts
from leadbot.blocks.kit import Block, context, section
from leadbot.blocks.owners import mention
from leadbot.blocks.text import (
    date_token,
    escape,
    inline,
    lead_phone_link,
    link,
    mailto_url,
    map_url,
    safe,
    truncate,
)
from leadbot.heatpunk import Lead
from leadbot.limits import HEADER_TEXT, SECTION_TEXT

NOTE_FIELDS = ("notes", "message", "comments")  # the first one present is the customer's notes
PROJECT_FIELD = "projectType"
CATEGORY_FIELDS = frozenset({"projectType", "propertyType"})  # one word from a list: capitalised
NOTES_LIMIT = 1500
AREA_LIMIT = 120
PROJECT_LIMIT = 60
SOURCE_LIMIT = 200
DETAIL_VALUE = 300
ADDRESS_LIMIT = 1000
EXTRA_VALUE = 500
MORE_SECTIONS = 4
# Hosts whose first path segment names the installer's own page (easy-pv.co.uk/speedy-pv → "Speedy PV").
PLATFORM_HOSTS = frozenset({"easy-pv.co.uk", "heatpunk.co.uk"})
ACRONYMS = frozenset({"pv", "uk", "ev", "gb", "hvac", "ashp", "gshp", "eco"})
# Address parts that are never the town: UK counties (besides "…shire" and "County …") and the countries.
NOT_TOWNS = frozenset(
    {
        "greater london",
        "greater manchester",
        "merseyside",
        "tyne and wear",
        "west midlands",
        "east sussex",
        "west sussex",
        "kent",
        "surrey",
        "essex",
        "norfolk",
        "suffolk",
        "devon",
        "cornwall",
        "somerset",
        "dorset",
        "cumbria",
        "northumberland",
        "rutland",
        "middlesex",
        "midlothian",
        "east lothian",
        "west lothian",
        "south glamorgan",
        "west glamorgan",
        "mid glamorgan",
        "gwynedd",
        "powys",
        "gwent",
        "clwyd",
        "dyfed",
        "fife",
        "highland",
        "isle of wight",
        "city of bristol",
        "city of edinburgh",
        "uk",
        "u.k.",
        "gb",
        "united kingdom",
        "great britain",
        "england",
        "scotland",
        "wales",
        "northern ireland",
    }
)
UK_POSTCODE = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}", re.IGNORECASE)
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,60}", re.IGNORECASE)


def lead_title(lead: Lead) -> str:
    """The lead's name as one plain line, or its ID when it has none (or nothing visible)."""
    return inline(lead.customer_name or "") or texts.LEAD_TITLE.format(lead_id=lead.id)


def shown(value: Any) -> bool:
    """Whether a field is worth a line: empty text, null, and empty lists or objects are hidden."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(inline(value))
    if isinstance(value, list | dict):
        return bool(value)
    return True


def value_text(value: Any) -> str:
    """A field's value as text (not escaped): text as it is, anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- what decides the call -----------------------------------------------------------------------------


def _not_town(part: str, postcode: str) -> bool:
    folded = part.casefold()
    return (
        any(char.isdigit() for char in part)
        or (bool(postcode) and folded.replace(" ", "") == postcode.casefold().replace(" ", ""))
        or UK_POSTCODE.fullmatch(part) is not None
        or folded in NOT_TOWNS
        or folded.endswith("shire")
        or folded.startswith("county ")
    )


def town_of(address: str | None, postcode: str | None = None) -> str | None:
    """The town in an address: its last part (by commas and lines) that is not the postcode, a county or a
    country, and has no digits (a house number or a postcode). None when no part qualifies."""
    if not address:
        return None
    parts = [inline(part) for part in re.split(r"[,\n]", address)]
    for part in reversed(parts):
        if part and not _not_town(part, inline(postcode or "")):
            return part
    return None


def area(lead: Lead) -> str | None:
    """Postcode and town (`CB24 6YU Cambridge`), either alone, or None: plain text, not escaped."""
    postcode = inline(lead.postcode or "").upper()
    town = town_of(lead.address, postcode)
    words = " ".join(part for part in (postcode, town) if part)
    return words or None


def project(lead: Lead) -> str | None:
    value = lead.extra.get(PROJECT_FIELD)
    return _capitalised(inline(value_text(value))) if shown(value) else None


def call_line(lead: Lead) -> str:
    """What decides the call, in mrkdwn: phone (a tel: link), area, project type, and age (a date token)."""
    phone = lead.customer_phone
    parts = [texts.SHEET_PHONE.format(phone=lead_phone_link(phone)) if phone else texts.SHEET_NO_PHONE]
    where = area(lead)
    if where:
        parts.append(texts.SHEET_AREA.format(area=safe(where, AREA_LIMIT)))
    kind = project(lead)
    if kind:
        parts.append(f"*{safe(kind, PROJECT_LIMIT)}*")
    parts.append(date_token(lead.date_created))
    return " · ".join(parts)


# --- source in words ------------------------------------------------------------------------------------


def _words_of_slug(slug: str) -> str:
    words = [word for word in re.split(r"[-_.]+", slug) if word]
    return " ".join(word.upper() if word.casefold() in ACRONYMS else _capitalised(word) for word in words)


def site_name(url: str) -> str | None:
    """The site a lead came from, in words: the installer's page on a platform host (easy-pv.co.uk/speedy-pv →
    Speedy PV), else the host without `www.` and its suffix (www.bright-solar.co.uk → Bright Solar)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").casefold()
    if parts.scheme not in ("http", "https") or not host:
        return None
    host = host.removeprefix("www.")
    segment = parts.path.strip("/").split("/")[0]
    if host in PLATFORM_HOSTS and _SLUG.fullmatch(segment):
        return _words_of_slug(segment)
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in ("co", "org", "ac", "gov", "ltd", "plc", "me", "net"):
        name = labels[-3]
    elif len(labels) >= 2:
        name = labels[-2]
    else:
        name = labels[0]
    return _words_of_slug(name) or None


def _named(value: str, names: Mapping[str, str]) -> str:
    return names.get(value.casefold()) or _capitalised(value)


def source_words(origin: str | None, created_by: str | None = None) -> str | None:
    """Where a lead came from, in mrkdwn: "Speedy PV · Facebook · ads" from a URL with utm parameters, "Added in
    Slack by <@U…>" for a lead created through leadbot (`api`; `created_by` from its lead events or the audit
    log; without one, only that it came through the API), anything else escaped. None when there is none."""
    if not origin or not inline(origin):
        return None
    if origin.strip().casefold() == "api":
        if created_by:
            return texts.SOURCE_IN_SLACK_BY.format(user=mention(created_by))
        return texts.SOURCE_API  # another integration, or leadbot before it kept lead events
    site_words = source_of_url(origin)
    return safe(site_words or origin, SOURCE_LIMIT)


def source_of_url(origin: str) -> str | None:
    """A web form's URL in plain words: its site, then utm_source by name, then utm_medium if known ("Speedy
    PV · Facebook · ads"); None when the origin is not such a URL. Reports name sources with it too."""
    site = site_name(origin)
    if site is None:
        return None
    query = parse_qs(urlsplit(origin.strip()).query)
    words = [site]
    source = inline((query.get("utm_source") or [""])[0])
    if source:
        words.append(_named(source, texts.SOURCE_NAMES))
    medium = inline((query.get("utm_medium") or [""])[0]).casefold()
    medium_words = texts.MEDIUM_NAMES.get(medium)
    if medium_words and medium_words.casefold() not in (word.casefold() for word in words):
        words.append(medium_words)
    return " · ".join(words)


# --- notes, details, More -------------------------------------------------------------------------------


def notes_key(lead: Lead) -> str | None:
    """Which field holds the customer's notes (the first of NOTE_FIELDS with something in it)."""
    return next((key for key in NOTE_FIELDS if shown(lead.extra.get(key))), None)


def notes_quote(text: str, limit: int = NOTES_LIMIT) -> str:
    """The customer's words as a mrkdwn quote: each line escaped and quoted, blank lines dropped, cut."""
    cut = truncate(text, limit) if len(text) > limit else text
    lines = [escape(line) for line in cut.splitlines()]
    return "\n".join(f"> {line}" for line in lines if line)[: limit + 200]


def detail_lines(lead: Lead) -> list[str]:
    """Email, address and the known undocumented fields (plain labels), hiding empty ones; mrkdwn."""
    lines = []
    if lead.customer_email and inline(lead.customer_email):
        email = inline(lead.customer_email)[:254]
        lines.append(f"*{texts.LABEL_EMAIL}:* {link(mailto_url(email), email)}")
    if lead.address and inline(lead.address):
        address = ", ".join(inline(line) for line in lead.address.splitlines() if inline(line))
        lines.append(f"*{texts.LABEL_ADDRESS}:* {safe(address, ADDRESS_LIMIT)}")
    skip = {PROJECT_FIELD, notes_key(lead)}
    for key, label in texts.FIELD_LABELS.items():
        value = lead.extra.get(key)
        if key in skip or not shown(value):
            continue
        text = value_text(value)
        text = _capitalised(inline(text)) if key in CATEGORY_FIELDS else text
        lines.append(f"*{label}:* {safe(text, DETAIL_VALUE)}")
    return lines


def more_sections(lead: Lead) -> list[Block]:
    """Every field nobody named (not documented, not in FIELD_LABELS), by its API name, under More."""
    lines = [
        f"*{safe(key, 100)}:* {safe(value_text(value), EXTRA_VALUE)}"
        for key, value in sorted(lead.extra.items(), key=lambda item: str(item[0]))
        if key not in texts.FIELD_LABELS and shown(value)
    ]
    chunks: list[str] = []
    chunk = f"*{texts.SHEET_MORE}*"
    for line in lines:
        if len(chunk) + 1 + len(line) > SECTION_TEXT:
            chunks.append(chunk)
            chunk = line
        else:
            chunk = f"{chunk}\n{line}"
    if lines:
        chunks.append(chunk)
    blocks = [
        section(text, ids.block_id(f"{ids.SHEET_MORE_BLOCK}{n}", lead.id))
        for n, text in enumerate(chunks[:MORE_SECTIONS])
    ]
    if len(chunks) > MORE_SECTIONS:
        shown_lines = sum(text.count("\n") + 1 for text in chunks[:MORE_SECTIONS]) - 1
        blocks.append(context(texts.SHEET_MORE_FIELDS.format(count=len(lines) - shown_lines)))
    return blocks


def facts_line(lead: Lead, *, created_by: str | None = None, first: str = "", last: str = "") -> str:
    """The small line at the bottom: status, source, lead ID and the map (`first`/`last`: mrkdwn of the
    caller's around them, e.g. "New lead" and "Updated …")."""
    parts = [first] if first else []
    parts.append(texts.SHEET_STATUS.format(status=safe(lead.status or "—", 60)))
    source = source_words(lead.origin, created_by)
    if source:
        parts.append(texts.SHEET_SOURCE.format(source=source))
    parts.append(texts.SHEET_LEAD_ID.format(lead_id=f"`{safe(lead.id, 60)}`"))
    where = map_url(lead.lat, lead.lng, lead.postcode)
    if where:
        parts.append(link(where, texts.OPEN_MAP))
    if last:
        parts.append(last)
    return " · ".join(parts)


def build_call_sheet(
    lead: Lead,
    *,
    state: Block | None = None,
    created_by: str | None = None,
    deleted: bool = False,
    first: str = "",
    last: str = "",
) -> list[Block]:
    """The lead as a call sheet (no buttons: each surface adds its own). `state`: the owner and clock block,
    placed after the notes; `deleted`: struck through, nothing to call; `first`/`last`: words the caller adds
    to the bottom line."""
    title = lead_title(lead)
    blocks: list[Block] = [
        {
            "type": "header",
            "block_id": ids.block_id(ids.SHEET_HEADER_BLOCK, lead.id),
            "text": {"type": "plain_text", "text": safe(title, HEADER_TEXT), "emoji": True},
        }
    ]
    if deleted:
        blocks.append(
            section(
                texts.SHEET_DELETED.format(title=safe(title, 200)),
                ids.block_id(ids.SHEET_CALL_BLOCK, lead.id),
            )
        )
    else:
        blocks.append(section(call_line(lead), ids.block_id(ids.SHEET_CALL_BLOCK, lead.id)))
    key = notes_key(lead)
    if key and not deleted:
        quote = notes_quote(value_text(lead.extra[key]))
        if quote:
            blocks.append(section(quote, ids.block_id(ids.SHEET_NOTES_BLOCK, lead.id)))
    if state is not None:
        blocks.append(state)
    details = detail_lines(lead)
    if details:
        blocks.append(section("\n".join(details), ids.block_id(ids.SHEET_DETAILS_BLOCK, lead.id)))
    blocks += more_sections(lead)
    facts = facts_line(lead, created_by=created_by, first=first, last=last)
    blocks.append(context(facts, ids.block_id(ids.SHEET_FACTS_BLOCK, lead.id)))
    return blocks
