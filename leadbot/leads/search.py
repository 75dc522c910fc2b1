"""Reads and searches leads for one person: every call carries that person's own email, never anyone else's."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Protocol

from leadbot.heatpunk import Lead
from leadbot.settings import UK


class Fetcher(Protocol):
    """What fetches a person's leads: the Heatpunk client, or LeadLookups (which remembers the fetch)."""

    def fetch(self, email: str, since: date, /) -> list[Lead]: ...


_NON_DIGITS = re.compile(r"\D")
_SPACES = re.compile(r"\s+")


def _squash(text: str | None) -> str:
    return _SPACES.sub("", text or "").casefold()


def lead_matches(lead: Lead, query: str) -> bool:
    """Case-insensitive match on name, email, address, postcode (spaces ignored) and phone (digits only)."""
    needle = _squash(query)
    if not needle:
        return False
    haystacks = (lead.customer_name, lead.customer_email, lead.address, lead.postcode, lead.id)
    if any(needle in _squash(value) for value in haystacks):
        return True
    digits = phone_digits(query)
    return len(digits) >= 4 and digits in phone_digits(lead.customer_phone)


def phone_digits(text: str | None) -> str:
    """Digits only, with +44 / 0044 written the UK way (0…), so both forms match each other."""
    digits = _NON_DIGITS.sub("", text or "")
    if digits.startswith("0044"):
        return "0" + digits[4:]
    if digits.startswith("44") and len(digits) >= 11:
        return "0" + digits[2:]
    return digits


def newest_first(leads: list[Lead]) -> list[Lead]:
    return sorted(leads, key=lambda lead: (lead.date_created, lead.id), reverse=True)


def leads_since(source: Fetcher, email: str, since: date) -> list[Lead]:
    """Leads created on or after the UK day `since` that `email` can see, newest first.

    The API's day boundary (inclusive? which timezone?) is undocumented: ask from a day earlier, then filter.
    """
    fetched = source.fetch(email, since - timedelta(days=1))
    return newest_first([lead for lead in fetched if lead.date_created.astimezone(UK).date() >= since])


def search_leads(source: Fetcher, email: str, query: str, *, today: date, days: int) -> list[Lead]:
    return [
        lead for lead in leads_since(source, email, today - timedelta(days=days)) if lead_matches(lead, query)
    ]


def possible_duplicates(
    source: Fetcher,
    email: str,
    *,
    customer_email: str | None,
    phone: str | None,
    today: date,
    days: int,
) -> list[Lead]:
    """Leads this person can see that share the new lead's email or phone number."""
    wanted_email = (customer_email or "").strip().casefold()
    wanted_phone = phone_digits(phone)
    matches = []
    for lead in leads_since(source, email, today - timedelta(days=days)):
        same_email = bool(wanted_email) and (lead.customer_email or "").strip().casefold() == wanted_email
        same_phone = len(wanted_phone) >= 6 and phone_digits(lead.customer_phone) == wanted_phone
        if same_email or same_phone:
            matches.append(lead)
    return matches
