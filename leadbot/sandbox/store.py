"""The sandbox's leads and team, indexed by date so a narrow fetch window stays fast at 100,000 leads."""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterable, Mapping
from typing import Any

ROLES = ("owner", "admin", "standard")
SEES_EVERYTHING = frozenset({"owner", "admin"})


def normalise_team(team: Iterable[str] | Mapping[str, str]) -> dict[str, str]:
    """A list of emails (all admins) or an email → role mapping, as lower-cased email → role."""
    if isinstance(team, str):
        raise TypeError("team must be a list of emails or a mapping of email to role, not one string")
    pairs = team.items() if isinstance(team, Mapping) else ((email, "admin") for email in team)
    members: dict[str, str] = {}
    for email, role in pairs:
        if role.lower() not in ROLES:
            raise ValueError(f"unknown role {role!r} for {email}: use one of {', '.join(ROLES)}")
        members[email.strip().lower()] = role.lower()
    return members


class LeadStore:
    """Leads in API form; rows are replaced, never changed in place, so readers serialise them unlocked."""

    def __init__(self, team: Iterable[str] | Mapping[str, str]) -> None:
        self._lock = threading.Lock()
        self._team = normalise_team(team)
        self.open_team = False  # when True, any email counts as an admin (try-out mode for every Slack user)
        self._rows: dict[int, dict[str, Any]] = {}
        self._owners: dict[int, str | None] = {}
        self._order: list[tuple[str, int]] = []  # (dateCreated, id), oldest first
        self._next_id = 1

    # --- team -----------------------------------------------------------------------------------

    @property
    def team(self) -> dict[str, str]:
        with self._lock:
            return dict(self._team)

    def set_team(self, team: Iterable[str] | Mapping[str, str]) -> None:
        members = normalise_team(team)
        with self._lock:
            self._team = members

    def role(self, email: str) -> str | None:
        with self._lock:
            return self._role(email.strip().lower())

    def _role(self, key: str) -> str | None:
        return self._team.get(key) or ("admin" if self.open_team and key else None)

    # --- leads ----------------------------------------------------------------------------------

    def load(self, rows: list[dict[str, Any]], owners: list[str | None], first_id: int) -> None:
        """Replaces every lead with `rows` (oldest first), numbered upwards from `first_id`."""
        ids = range(first_id, first_id + len(rows))
        with self._lock:
            self._rows = dict(zip(ids, rows, strict=True))
            self._owners = dict(zip(ids, owners, strict=True))
            self._order = sorted(zip((row["dateCreated"] for row in rows), ids, strict=True))
            self._next_id = first_id + len(rows)

    def add(self, row: dict[str, Any], owner: str | None) -> int:
        with self._lock:
            lead_id = self._next_id
            self._next_id += 1
            self._rows[lead_id] = row
            self._owners[lead_id] = owner.strip().lower() if owner else None
            bisect.insort(self._order, (row["dateCreated"], lead_id))
            return lead_id

    def _visible(self, lead_id: int, email: str) -> bool:
        if lead_id not in self._rows:
            return False
        key = email.strip().lower()
        return self._role(key) in SEES_EVERYTHING or self._owners.get(lead_id) == key

    def get(self, lead_id: int) -> dict[str, Any] | None:
        with self._lock:
            row = self._rows.get(lead_id)
            return None if row is None else dict(row)

    def find(self, lead_id: int, email: str) -> dict[str, Any] | None:
        """The row, or None when it does not exist or `email` can't see it (the API answers 404 to both)."""
        with self._lock:
            return dict(self._rows[lead_id]) if self._visible(lead_id, email) else None

    def update(self, lead_id: int, email: str, changes: Mapping[str, Any]) -> bool:
        with self._lock:
            if not self._visible(lead_id, email):
                return False
            self._rows[lead_id] = {**self._rows[lead_id], **changes}
            return True

    def delete(self, lead_id: int, email: str) -> bool:
        with self._lock:
            if not self._visible(lead_id, email):
                return False
            row = self._rows.pop(lead_id)
            self._owners.pop(lead_id, None)
            key = (row["dateCreated"], lead_id)
            del self._order[bisect.bisect_left(self._order, key)]
            return True

    def assign(self, lead_id: int, email: str | None) -> None:
        with self._lock:
            if lead_id not in self._rows:
                raise KeyError(f"no lead {lead_id}")
            self._owners[lead_id] = email.strip().lower() if email else None

    def owner(self, lead_id: int) -> str | None:
        with self._lock:
            return self._owners.get(lead_id)

    def since(self, day: str, email: str) -> list[tuple[int, dict[str, Any]]]:
        """(id, row) created on or after `day` (YYYY-MM-DD, UTC) that `email` may see, newest first."""
        key = email.strip().lower()
        with self._lock:
            start = bisect.bisect_left(self._order, (day, 0))
            window = self._order[start:]
            rows, owners = self._rows, self._owners
            if self._role(key) in SEES_EVERYTHING:
                return [(lead_id, rows[lead_id]) for _, lead_id in reversed(window)]
            return [(lead_id, rows[lead_id]) for _, lead_id in reversed(window) if owners[lead_id] == key]

    def all(self) -> list[dict[str, Any]]:
        """Every lead in the array shape (`ID` first), by ID."""
        with self._lock:
            return [{"ID": lead_id, **row} for lead_id, row in sorted(self._rows.items())]

    def count(self) -> int:
        with self._lock:
            return len(self._rows)
