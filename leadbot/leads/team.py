"""What the team commands do: the rota, territories, away and back (the store), and who is available now.

No Slack messages here: listeners/team.py turns a command into one of these calls and blocks/team.py shows it.
Times away are worked out in the team's time zone (the working hours' zone) and stored as aware UTC.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from leadbot.leads.availability import Availability, Presence
from leadbot.leads.context import Deps
from leadbot.leads.grammar import (
    AddToRota,
    AwayFor,
    AwayUntil,
    AwayUntilDate,
    AwayUntilTime,
    AwayUntilTomorrow,
    AwayUntilWeekday,
    RemoveFromRota,
    RemoveTerritory,
    SetTerritory,
)
from leadbot.routing.hours import WorkingHours

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RotaChange:
    """Who a rota add or remove changed, and who it didn't (already on it, or not on it)."""

    changed: tuple[str, ...]
    unchanged: tuple[str, ...]


@dataclass(frozen=True)
class TerritoryChange:
    """A territory set or removed: who had it before (None: nobody) and who has it now (None: nobody)."""

    prefix: str
    before: str | None
    after: str | None


def availability(deps: Deps) -> Availability:
    """Who is available now, for one command (DND answers cached within it)."""
    return Availability(deps.store, deps.slack, deps.settings.working_hours(), deps.clock)


def rota(deps: Deps) -> list[Presence]:
    """The rota in turn order, each person with whether they can take a lead now and why not."""
    people = availability(deps)
    return [people.presence(user_id) for user_id in deps.store.rota()]


def add_to_rota(deps: Deps, by: str, command: AddToRota) -> RotaChange:
    now = deps.clock()
    added = tuple(user for user in command.user_ids if deps.store.add_to_rota(user, by=by, now=now))
    if added:
        _audit(deps, by, "rota_add", {"users": list(added)})
    return RotaChange(added, tuple(user for user in command.user_ids if user not in added))


def remove_from_rota(deps: Deps, by: str, command: RemoveFromRota) -> RotaChange:
    removed = tuple(user for user in command.user_ids if deps.store.remove_from_rota(user))
    if removed:
        _audit(deps, by, "rota_remove", {"users": list(removed)})
    return RotaChange(removed, tuple(user for user in command.user_ids if user not in removed))


def set_territory(deps: Deps, by: str, command: SetTerritory) -> TerritoryChange:
    before = deps.store.set_territory(command.prefix, command.user_id, by=by, now=deps.clock())
    if before != command.user_id:
        _audit(
            deps, by, "territory_set", {"prefix": command.prefix, "user": command.user_id, "before": before}
        )
    return TerritoryChange(command.prefix, before, command.user_id)


def remove_territory(deps: Deps, by: str, command: RemoveTerritory) -> TerritoryChange:
    before = deps.store.territories().get(command.prefix)
    if before is None or not deps.store.remove_territory(command.prefix):
        return TerritoryChange(command.prefix, None, None)
    _audit(deps, by, "territory_remove", {"prefix": command.prefix, "before": before})
    return TerritoryChange(command.prefix, before, None)


def go_away(deps: Deps, user_id: str, until: AwayUntil | None) -> datetime | None:
    """Marks the person away until the moment `until` names (None: until they say they're back)."""
    now = deps.clock()
    moment = away_until(until, now, deps.settings.working_hours())
    deps.store.set_away(user_id, until=moment, now=now)
    logger.info("%s is away until %s", user_id, moment.isoformat() if moment else "back")
    return moment


def come_back(deps: Deps, user_id: str) -> bool:
    """Ends the person's time away; False when they weren't away (or their time away had run out)."""
    was_away = user_id in deps.store.away(deps.clock())
    deps.store.set_back(user_id)
    return was_away


def away_until(until: AwayUntil | None, now: datetime, hours: WorkingHours) -> datetime | None:
    """The UTC moment `until` names, read at `now` in the team's time zone (hours.zone).

    `17:00`: today, or tomorrow once past; `tomorrow`, a weekday, a date: the team's first opening from that
    day's local midnight (a weekday is the next one, a week on when it is today)."""
    zone = hours.zone
    local = now.astimezone(zone)
    match until:
        case None:
            return None
        case AwayFor(minutes=minutes):
            return _utc(now + timedelta(minutes=minutes))
        case AwayUntilTime(hour=hour, minute=minute):
            moment = datetime.combine(local.date(), time(hour, minute), tzinfo=zone)
            if moment <= local:
                moment = datetime.combine(local.date() + timedelta(days=1), time(hour, minute), tzinfo=zone)
            return _utc(moment)
        case AwayUntilTomorrow():
            day = local.date() + timedelta(days=1)
        case AwayUntilWeekday(weekday=weekday):
            day = local.date() + timedelta(days=(weekday - local.weekday() - 1) % 7 + 1)
        case AwayUntilDate(day=day):
            pass
    midnight = datetime.combine(day, time(0, 0), tzinfo=zone)
    return _utc(hours.next_opening(_utc(midnight)))


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _audit(deps: Deps, by: str, action: str, after: dict[str, object]) -> None:
    """Admins' team changes go in the audit log (no Heatpunk email is involved)."""
    deps.store.record_audit(slack_user=by, email="", action=action, lead_id=None, before=None, after=after)
