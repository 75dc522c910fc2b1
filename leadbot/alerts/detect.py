"""Pure poll logic: the fetch window, what is new, changed or gone, and which alerts that makes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from leadbot.blocks.alerts import digest_pages
from leadbot.heatpunk import Lead
from leadbot.heatpunk.models import COORDINATE_FIELDS, TEXT_FIELDS
from leadbot.store import Alert, AuditEntry, CycleWrite, KnownLead, LeadIn, NewAlert, PollState

# Lead attribute → what people call it, for "what changed" notes.
LABELS: Mapping[str, str] = {
    "status": "Status",
    "customer_name": "Name",
    "address": "Address",
    "postcode": "Postcode",
    "customer_email": "Email",
    "customer_phone": "Phone",
    "lat": "Latitude",
    "lng": "Longitude",
    "origin": "Source",
    "date_created": "Created",
}

Change = tuple[str, Any, Any]  # (label, before, after)

# Heatpunk's field name (as the audit log records a change made through leadbot) → the label of a change.
API_LABELS: Mapping[str, str] = {
    **{api: LABELS[attr] for api, attr in TEXT_FIELDS.items()},
    **{api: LABELS[attr] for api, (attr, _) in COORDINATE_FIELDS.items()},
}
# A change the poller sees matches a change made through leadbot this long before (and a little after: two
# clocks) it was seen; older audit entries are someone else's earlier change to the same value.
ATTRIBUTION_WINDOW = timedelta(minutes=30)
ATTRIBUTION_SKEW = timedelta(minutes=2)


@dataclass(frozen=True)
class Window:
    """What to fetch: leads created on or after `furthest`; only leads created since `gone_since` may be gone."""

    furthest: date
    gone_since: datetime
    deep: bool

    @property
    def known_since(self) -> datetime:
        """Stored leads from here on are compared without a lookup by ID (a day of slack each side)."""
        return self.gone_since - timedelta(days=2)


@dataclass(frozen=True)
class Findings:
    """What one fetch showed, compared with what the store remembers."""

    new: list[Lead] = field(default_factory=list)
    changed: list[tuple[Lead, KnownLead]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # Unchanged leads the store can't mark seen by the window's range: older than it, or back from missing.
    unchanged_outside: list[str] = field(default_factory=list)
    missing: list[KnownLead] = field(default_factory=list)  # lacking for the first time: maybe a bad answer
    gone: list[KnownLead] = field(default_factory=list)  # lacking again in a later fetch: deleted


def snapshot(lead: Lead) -> dict[str, Any]:
    return lead.model_dump(mode="json")


FINGERPRINT_JSON = json.JSONEncoder(
    sort_keys=True, ensure_ascii=False, default=str
)  # built once, not per lead


def fingerprint(lead: Lead) -> str:
    """Changes whenever any field of the row changes, undocumented ones included."""
    text = FINGERPRINT_JSON.encode(snapshot(lead))
    return hashlib.sha256(text.encode()).hexdigest()


def choose_window(
    state: PollState,
    *,
    now: datetime,
    overlap_days: int,
    search_days: int,
    deep_hours: float,
    deep_retry: timedelta = timedelta(0),
) -> Window:
    """Newest lead seen (never later than now) minus the overlap; the whole search period when a deep sync is due.

    A deep sync that was tried and failed is tried again only `deep_retry` later: narrow polls meanwhile.
    """
    overdue = state.last_deep_sync is None or now - state.last_deep_sync >= timedelta(hours=deep_hours)
    retry_due = state.last_deep_try is None or now - state.last_deep_try >= deep_retry
    deep = not state.first_run_done or (overdue and retry_due)
    if deep:
        furthest = now.date() - timedelta(days=search_days)
    else:
        newest = min(state.newest_created or now, now)
        furthest = newest.date() - timedelta(days=overlap_days)
    # The API's day may be inclusive or not, UTC or UK: only a lead from the next UTC day on is surely inside.
    gone_since = datetime.combine(furthest + timedelta(days=1), time(0), tzinfo=UTC)
    return Window(furthest=furthest, gone_since=gone_since, deep=deep)


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    """Field by field, in people's words; undocumented fields by their API name."""
    found: list[Change] = []
    for attr, label in LABELS.items():
        if before.get(attr) != after.get(attr):
            found.append((label, before.get(attr), after.get(attr)))
    old_extra, new_extra = before.get("extra") or {}, after.get("extra") or {}
    for key in sorted(set(old_extra) | set(new_extra)):
        if old_extra.get(key) != new_extra.get(key):
            found.append((str(key), old_extra.get(key), new_extra.get(key)))
    return found


def compare(fetched: Sequence[Lead], known: Mapping[str, KnownLead], window: Window) -> Findings:
    """New (never seen), changed (fingerprint differs, or back after being gone), missing (inside the window,
    not fetched) and gone (missing again, in a later fetch).

    One fetch never deletes: an empty or truncated 200 answer would otherwise mark every card deleted and then
    "back". Two fetches a poll interval apart that agree are what a real deletion looks like; it costs one poll
    of delay on a deletion note, which nobody races to read.
    """
    findings = Findings()
    fetched_ids = set()
    for lead in fetched:
        fetched_ids.add(lead.id)
        seen = known.get(lead.id)
        if seen is None:
            findings.new.append(lead)
        elif seen.gone or seen.fingerprint != fingerprint(lead):
            findings.changed.append((lead, seen))
        else:
            findings.unchanged.append(lead.id)
            if seen.created_at < window.gone_since or seen.missing_since is not None:
                findings.unchanged_outside.append(lead.id)
    for seen in known.values():
        if seen.lead_id not in fetched_ids and not seen.gone and seen.created_at >= window.gone_since:
            (findings.missing if seen.missing_since is None else findings.gone).append(seen)
    findings.new.sort(key=lambda lead: (lead.date_created, lead.id))
    return findings


def lead_in(lead: Lead) -> LeadIn:
    return LeadIn(lead.id, lead.date_created, fingerprint(lead), lead.status, snapshot(lead))


def plan(
    findings: Findings,
    *,
    first_run: bool,
    channel: str,
    burst: int,
    cards: Mapping[int, Alert],
    window: Window,
    newest: datetime | None,
    before: Mapping[str, Mapping[str, Any]],
) -> CycleWrite:
    """The cycle's writes: first run records silently with one line; a burst becomes digests.

    `before` holds the stored snapshots of changed leads, to say what changed on their cards.
    """
    alerts: list[NewAlert] = []
    if first_run:
        total = len(findings.new) + len(findings.changed) + len(findings.unchanged)
        alerts.append(
            NewAlert(kind="notice", channel=channel, payload={"notice": "watching", "count": total})
        )
    elif len(findings.new) > burst:
        for page in digest_pages(findings.new):  # as few messages as Slack takes
            ids = [lead.id for lead in page]
            alerts.append(NewAlert(kind="digest", channel=channel, payload={"lead_ids": ids}, card_for=ids))
    else:
        for lead in findings.new:
            alerts.append(
                NewAlert(kind="new", channel=channel, payload={}, lead_id=lead.id, card_for=[lead.id])
            )
    for lead, seen in findings.changed:
        card = cards.get(seen.card_alert_id or 0)
        if card is not None:
            diff = changes(before.get(lead.id, {}), snapshot(lead))
            payload = {"changes": [list(change) for change in diff], "returned": seen.gone}
            alerts.append(NewAlert(kind="changed", channel=card.channel, payload=payload, lead_id=lead.id))
    for seen in findings.gone:
        card = cards.get(seen.card_alert_id or 0)
        if card is not None:
            alerts.append(NewAlert(kind="deleted", channel=card.channel, payload={}, lead_id=seen.lead_id))
    return CycleWrite(
        new=[lead_in(lead) for lead in findings.new],
        changed=[lead_in(lead) for lead, _ in findings.changed],
        seen=findings.unchanged_outside,
        seen_since=window.gone_since,
        missing=[seen.lead_id for seen in findings.missing],
        gone=[seen.lead_id for seen in findings.gone],
        alerts=alerts,
        newest_created=newest,
        deep_sync=window.deep,
        first_run_done=True,
    )


def _same(made: Any, seen: Any) -> bool:
    """The value a person set and the value the poller saw are one (text compared without outer spaces)."""
    if isinstance(made, str) and isinstance(seen, str):
        return made.strip() == seen.strip()
    return bool(made == seen or (made in (None, "") and seen in (None, "")))


def made_by(
    found: Sequence[Sequence[Any]], audit: Sequence[AuditEntry], *, seen_at: datetime
) -> list[str | None]:
    """Who made each change the poller saw through leadbot (their Slack ID), None where it was made in
    Heatpunk: the newest audit entry of the lead that set the same field to the same value, from
    ATTRIBUTION_WINDOW before `seen_at` (when the poller saw it) to a little after."""
    recent = [
        entry
        for entry in audit
        if entry.after and seen_at - ATTRIBUTION_WINDOW <= entry.at <= seen_at + ATTRIBUTION_SKEW
    ]
    recent.sort(key=lambda entry: (entry.at, entry.id), reverse=True)
    who: list[str | None] = []
    for change in found:
        label, after = str(change[0]), change[2]
        match = next(
            (
                entry.slack_user
                for entry in recent
                for key, value in (entry.after or {}).items()
                if API_LABELS.get(key, key) == label and _same(value, after)
            ),
            None,
        )
        who.append(match or None)
    return who
