"""Who gets a new lead: UK postcodes, territories, the round-robin rota, and the routing choice (pure).

No I/O, no store, no Slack: callers pass the rota, the cursor (who had the last round-robin lead), the
territories and an `available(user_id)` test, and store the Choice's cursor themselves.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

# UK postcode format: area (1-2 letters), district (a digit, then an optional digit or letter); inward code
# (a digit, then 2 letters). "CB24 6YU", "W1A 0AX", "EC1A 1BB".
_OUTWARD = r"[A-Z]{1,2}[0-9][A-Z0-9]?"
_INWARD = r"[0-9][A-Z]{2}"
_FULL = re.compile(rf"^({_OUTWARD})\s*{_INWARD}$")
_BARE_OUTWARD = re.compile(rf"^{_OUTWARD}$")
_AREA = re.compile(r"^[A-Z]{1,2}$")
_IN_TEXT = re.compile(rf"(?<![A-Z0-9])({_OUTWARD})\s*{_INWARD}(?![A-Z0-9])")

ROUTINGS = ("claim", "round-robin", "territory")


def outward_code(text: str) -> str | None:
    """A postcode field's outward code: "cb24 6yu" → "CB24", a bare "cb24" → "CB24"; None when it is not one."""
    cleaned = " ".join(text.upper().split())
    full = _FULL.match(cleaned)
    if full:
        return full.group(1)
    return cleaned if _BARE_OUTWARD.match(cleaned) else None


def outward_code_in(address: str) -> str | None:
    """The outward code of the last full postcode inside free text ("1 High St, Histon, CB24 6YU" → "CB24")."""
    found = _IN_TEXT.findall(address.upper())
    return str(found[-1]) if found else None


def postcode_area(outward: str) -> str:
    """The area of an outward code: "CB24" → "CB", "W1A" → "W", "EC1A" → "EC"."""
    return re.sub(r"[0-9].*$", "", outward.upper())


def lead_outward_code(postcode: str | None, address: str | None) -> str | None:
    """A lead's outward code: from its postcode field, else from a postcode found in its address."""
    return outward_code(postcode or "") or outward_code_in(address or "")


def territory_prefix(text: str) -> str:
    """What an admin types for a territory (`CB`, `cb`, `PE19`, `EC1A`), normalised; ValueError otherwise."""
    cleaned = text.strip().upper()
    if _AREA.match(cleaned) or _BARE_OUTWARD.match(cleaned):
        return cleaned
    raise ValueError(
        f"“{text.strip()[:20]}” isn't a postcode area or district: give an area such as CB, "
        "or a district such as PE19 or EC1A."
    )


def territory_owner(outward: str, territories: Mapping[str, str]) -> str | None:
    """Who takes leads from this outward code: its district's entry beats its area's; None: nobody."""
    district = outward.upper()
    return territories.get(district) or territories.get(postcode_area(district))


def territory_match(outward: str, territories: Mapping[str, str]) -> str | None:
    """The territory entry (district or area) that an outward code falls in, district first."""
    district = outward.upper()
    for prefix in (district, postcode_area(district)):
        if prefix in territories:
            return prefix
    return None


def next_in_rota(
    rota: Sequence[str],
    after: str | None,
    available: Callable[[str], bool],
    skip: Collection[str] = (),
) -> str | None:
    """The first available person after `after` in rota order, wrapping round (from the top when `after`
    is None or not on the rota); `after` themselves come last. None when nobody is available."""
    if not rota:
        return None
    start = rota.index(after) + 1 if after in rota else 0
    for step in range(len(rota)):
        person = rota[(start + step) % len(rota)]
        if person not in skip and available(person):
            return person
    return None


@dataclass(frozen=True)
class Choice:
    """Who gets a lead (None: nobody, it waits for a claim), the rota cursor to store, and why, in words."""

    owner: str | None
    cursor: str | None
    reason: str


def choose_owner(
    routing: str,
    *,
    postcode: str | None,
    address: str | None,
    rota: Sequence[str],
    cursor: str | None,
    territories: Mapping[str, str],
    available: Callable[[str], bool],
) -> Choice:
    """The owner a new lead gets under LEADBOT_ROUTING (`claim`, `round-robin` or `territory`).

    `territory`: the territory's owner when available (the cursor does not move: round-robin's turn order is
    kept), else round-robin; the reason says which ("territory CB", "territory CB (away) → round-robin").
    """
    if routing == "claim":
        return Choice(None, cursor, "claim")
    if routing not in ROUTINGS:
        raise ValueError(f"unknown routing {routing!r}: one of {', '.join(ROUTINGS)}")
    prefix = ""
    if routing == "territory":
        outward = lead_outward_code(postcode, address)
        match = territory_match(outward, territories) if outward else None
        if outward is None:
            prefix = "no postcode → "
        elif match is None:
            prefix = f"no territory for {outward} → "
        else:
            owner = territories[match]
            if available(owner):
                return Choice(owner, cursor, f"territory {match}")
            prefix = f"territory {match} (away) → "
    chosen = next_in_rota(rota, cursor, available)
    if chosen is None:
        return Choice(None, cursor, f"{prefix}nobody available")
    return Choice(chosen, chosen, f"{prefix}round-robin")
