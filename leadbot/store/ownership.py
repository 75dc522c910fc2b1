"""Who owns each lead and its clock until first contact; the rota, territories and who is away.

People's writes (claim, unclaim, reassign, log contact) are conditional updates: of two racing writers exactly
one wins and the other learns who did. The lease holder's writes (ladder steps, retries, daily routines) are
fenced by the lease and commit their Slack messages to the outbox in the same transaction: each step once.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from leadbot.store.base import StoreBase
from leadbot.store.clocks import add_clock, add_event
from leadbot.store.leads import _chunks, add_alert
from leadbot.store.records import (
    Claim,
    ClockIn,
    ContactOutcome,
    LeadClock,
    LeadEvent,
    NewAlert,
    OwnerChange,
    ShownCard,
    from_row,
)
from leadbot.store.tables import (
    AwayRow,
    LeadClockRow,
    LeadEventRow,
    MarkerRow,
    RotaRow,
    ShownCardRow,
    TerritoryRow,
)


class OwnershipStore(StoreBase):
    """Owners, clocks, contact attempts, lead events; rota, territories, away; markers."""

    # --- reading ---------------------------------------------------------------------------------

    def clock(self, lead_id: str) -> LeadClock | None:
        with self._read() as session:
            row = session.get(LeadClockRow, lead_id)
            return from_row(LeadClock, row) if row else None

    def clocks(self, lead_ids: Collection[str]) -> dict[str, LeadClock]:
        found: dict[str, LeadClock] = {}
        with self._read() as session:
            for chunk in _chunks(sorted(set(lead_ids))):
                rows = session.scalars(select(LeadClockRow).where(LeadClockRow.lead_id.in_(chunk)))
                found.update((row.lead_id, from_row(LeadClock, row)) for row in rows)
        return found

    def running_clocks(self, *, below_step: int = 1_000) -> list[LeadClock]:
        """Timed leads nobody has contacted yet and nobody closed, with fewer than `below_step` ladder steps
        taken (the ladder's length: a lead whose ladder is climbed is left alone): what the ladder looks at."""
        query = (
            select(LeadClockRow)
            .where(
                LeadClockRow.timed.is_(True),
                LeadClockRow.first_contact_at.is_(None),
                LeadClockRow.closed.is_(False),
                LeadClockRow.ladder_done < below_step,
            )
            .order_by(LeadClockRow.clock_from, LeadClockRow.lead_id)
        )
        with self._read() as session:
            return [from_row(LeadClock, row) for row in session.scalars(query)]

    def retries_due(self, now: datetime) -> list[LeadClock]:
        """Leads whose retry reminder is due (No answer, then the retry time passed)."""
        query = (
            select(LeadClockRow)
            .where(LeadClockRow.retry_due_at <= now, LeadClockRow.closed.is_(False))
            .order_by(LeadClockRow.retry_due_at, LeadClockRow.lead_id)
        )
        with self._read() as session:
            return [from_row(LeadClock, row) for row in session.scalars(query)]

    def owned_clocks(self) -> list[LeadClock]:
        """Every owned lead not closed, by owner then arrival (the stale-leads check)."""
        query = (
            select(LeadClockRow)
            .where(LeadClockRow.owner.is_not(None), LeadClockRow.closed.is_(False))
            .order_by(LeadClockRow.owner, LeadClockRow.arrived_at, LeadClockRow.lead_id)
        )
        with self._read() as session:
            return [from_row(LeadClock, row) for row in session.scalars(query)]

    def owned_by(self, user_id: str) -> list[LeadClock]:
        query = (
            select(LeadClockRow)
            .where(LeadClockRow.owner == user_id, LeadClockRow.closed.is_(False))
            .order_by(LeadClockRow.arrived_at, LeadClockRow.lead_id)
        )
        with self._read() as session:
            return [from_row(LeadClock, row) for row in session.scalars(query)]

    def clocks_arrived_between(self, start: datetime, end: datetime) -> list[LeadClock]:
        """Leads that arrived in [start, end), oldest first (the morning digest's overnight leads)."""
        query = (
            select(LeadClockRow)
            .where(LeadClockRow.arrived_at >= start, LeadClockRow.arrived_at < end)
            .order_by(LeadClockRow.arrived_at, LeadClockRow.lead_id)
        )
        with self._read() as session:
            return [from_row(LeadClock, row) for row in session.scalars(query)]

    def events(self, lead_id: str) -> list[LeadEvent]:
        """What happened to a lead, oldest first."""
        query = select(LeadEventRow).where(LeadEventRow.lead_id == lead_id).order_by(LeadEventRow.id)
        with self._read() as session:
            return [from_row(LeadEvent, row) for row in session.scalars(query)]

    def events_for(self, lead_ids: Collection[str]) -> dict[str, list[LeadEvent]]:
        """Each lead's events, oldest first (leads without any are absent): what reports read."""
        found: dict[str, list[LeadEvent]] = {}
        with self._read() as session:
            for chunk in _chunks(sorted(set(lead_ids))):
                query = select(LeadEventRow).where(LeadEventRow.lead_id.in_(chunk)).order_by(LeadEventRow.id)
                for row in session.scalars(query):
                    found.setdefault(row.lead_id, []).append(from_row(LeadEvent, row))
        return found

    def claim_for(self, lead_id: str) -> Claim | None:
        """The lead's owner as a claim (who, since when), or None when nobody owns it."""
        clock = self.clock(lead_id)
        if clock is None or clock.owner is None or clock.owner_since is None:
            return None
        return Claim(lead_id, clock.owner, clock.owner_since)

    # --- people's writes ---------------------------------------------------------------------------

    def start_clock(self, clock: ClockIn, *, timed: bool = True) -> LeadClock:
        """Starts a lead's clock unless it has one (then that one stands); returns the clock as stored."""
        try:
            with self._tx() as session:
                if session.get(LeadClockRow, clock.lead_id) is None:
                    add_clock(session, clock, timed=timed)
        except IntegrityError:  # started by someone else in the same instant (PostgreSQL)
            pass
        found = self.clock(clock.lead_id)
        if found is None:
            raise RuntimeError(f"lead {clock.lead_id} has no clock after starting one")
        return found

    def claim(self, lead_id: str, user_id: str, *, now: datetime) -> Claim:
        """Makes `user_id` the owner unless someone already is; returns whoever owns the lead now.

        A lead with no clock yet (alerted before leadbot timed leads) gets an untimed one: owned, no ladder.
        """
        self.start_clock(ClockIn(lead_id, now, actor=user_id, how="arrived"), timed=False)
        with self._tx() as session:
            result = session.execute(
                update(LeadClockRow)
                .where(LeadClockRow.lead_id == lead_id, LeadClockRow.owner.is_(None))
                .values(owner=user_id, owner_since=now, version=LeadClockRow.version + 1)
                .execution_options(synchronize_session=False)
            )
            if getattr(result, "rowcount", 0) == 1:
                add_event(session, lead_id, "claimed", actor=user_id, now=now, after=user_id)
        claim = self.claim_for(lead_id)
        if claim is None:  # unclaimed again between the two transactions: claim once more
            return self.claim(lead_id, user_id, now=now)
        return claim

    def change_owner(
        self,
        lead_id: str,
        new_owner: str | None,
        *,
        expected_owner: str | None,
        by: str,
        kind: str,
        now: datetime,
        restart_clock: bool = True,
    ) -> OwnerChange:
        """Unclaim (new_owner None) or reassign, only if the owner is still `expected_owner`: a racing claim or
        reassignment wins and this one is refused, with the clock as it is now. A new owner's clock starts
        again (the ladder counts from the assignment) unless `restart_clock` is False."""
        values: dict[str, Any] = {
            "owner": new_owner,
            "owner_since": now if new_owner else None,
            "version": LeadClockRow.version + 1,
        }
        if restart_clock and new_owner is not None:
            values |= {"clock_from": now, "ladder_done": 0}
        owner_is = (
            LeadClockRow.owner.is_(None) if expected_owner is None else LeadClockRow.owner == expected_owner
        )
        with self._tx() as session:
            result = session.execute(
                update(LeadClockRow)
                .where(LeadClockRow.lead_id == lead_id, owner_is)
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            done = getattr(result, "rowcount", 0) == 1
            if done:
                add_event(session, lead_id, kind, actor=by, now=now, before=expected_owner, after=new_owner)
        return OwnerChange(done, self.clock(lead_id))

    def log_contact(
        self, lead_id: str, outcome: ContactOutcome, *, by: str, now: datetime, retry_at: datetime | None
    ) -> LeadClock | None:
        """Counts an attempt: the first stops the ladder; `retry_at` (No answer) replaces any pending retry,
        any other outcome clears it. None when the lead has no clock."""
        values: dict[str, Any] = {
            "attempts": LeadClockRow.attempts + 1,
            "first_contact_at": func.coalesce(LeadClockRow.first_contact_at, now),
            "retry_due_at": retry_at,
            "version": LeadClockRow.version + 1,
        }
        if outcome == "spoke":
            values["reached_at"] = func.coalesce(LeadClockRow.reached_at, now)
        with self._tx() as session:
            result = session.execute(
                update(LeadClockRow)
                .where(LeadClockRow.lead_id == lead_id)
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            if getattr(result, "rowcount", 0) != 1:
                return None
            add_event(session, lead_id, "contact", actor=by, now=now, detail={"outcome": outcome})
        return self.clock(lead_id)

    def close_clock(self, lead_id: str, *, by: str, now: datetime, closed: bool = True) -> LeadClock | None:
        """Closes a lead for leadbot's reminders (or keeps it open: `closed=False` after being asked)."""
        with self._tx() as session:
            result = session.execute(
                update(LeadClockRow)
                .where(LeadClockRow.lead_id == lead_id)
                .values(closed=closed, retry_due_at=None, version=LeadClockRow.version + 1)
                .execution_options(synchronize_session=False)
            )
            if getattr(result, "rowcount", 0) != 1:
                return None
            add_event(session, lead_id, "closed" if closed else "kept", actor=by, now=now)
        return self.clock(lead_id)

    # --- the lease holder's writes: fenced, with their messages ----------------------------------------

    def take_step(
        self,
        holder: str,
        clock: LeadClock,
        *,
        changes: Mapping[str, Any],
        event: str,
        alerts: Sequence[NewAlert] = (),
        now: datetime,
        detail: dict[str, Any] | None = None,
    ) -> bool:
        """Applies `changes` to a clock still at `clock.version`, records `event` and queues `alerts`, in one
        fenced transaction; False (nothing written) when the clock moved meanwhile (a claim, a contact)."""
        with self._tx() as session:
            self._fence(session, holder)
            result = session.execute(
                update(LeadClockRow)
                .where(LeadClockRow.lead_id == clock.lead_id, LeadClockRow.version == clock.version)
                .values(**changes, version=LeadClockRow.version + 1)
                .execution_options(synchronize_session=False)
            )
            if getattr(result, "rowcount", 0) != 1:
                return False
            after = changes.get("owner", clock.owner)
            add_event(
                session,
                clock.lead_id,
                event,
                actor="leadbot",
                now=now,
                before=clock.owner,
                after=after,
                detail=detail,
            )
            for alert in alerts:
                add_alert(session, alert, now)
            return True

    def marker(self, name: str) -> str | None:
        with self._read() as session:
            row = session.get(MarkerRow, name)
            return row.value if row else None

    def set_marker(
        self,
        holder: str | None,
        name: str,
        value: str | None,
        *,
        expected: str | None,
        now: datetime,
        alerts: Sequence[NewAlert] = (),
    ) -> bool:
        """Moves a marker from `expected` to `value` and queues `alerts`, in one transaction (fenced when a
        `holder` is given); False when it was not at `expected` (someone moved it first)."""
        try:
            with self._tx() as session:
                if holder is not None:
                    self._fence(session, holder)
                row = session.get(MarkerRow, name)
                current = row.value if row else None
                if current != expected:
                    return False
                if row is None:
                    session.add(MarkerRow(name=name, value=value, at=now))
                else:
                    result = session.execute(
                        update(MarkerRow)
                        .where(MarkerRow.name == name, MarkerRow.value == expected)
                        .values(value=value, at=now)
                        .execution_options(synchronize_session=False)
                    )
                    if getattr(result, "rowcount", 0) != 1:
                        return False
                for alert in alerts:
                    add_alert(session, alert, now)
                return True
        except IntegrityError:  # created by another writer in the same instant
            return False

    # --- /leads show cards people have open ------------------------------------------------------------

    def remember_shown(
        self, lead_id: str, user_id: str, response_url: str, *, now: datetime, keep: timedelta
    ) -> None:
        """Remembers a shown card's response_url; forgets every one older than `keep` (Slack's window)."""
        with self._tx() as session:
            session.execute(delete(ShownCardRow).where(ShownCardRow.shown_at < now - keep))
            session.add(
                ShownCardRow(lead_id=lead_id, user_id=user_id, response_url=response_url[:500], shown_at=now)
            )

    def shown_cards(self, lead_id: str, *, since: datetime) -> list[ShownCard]:
        """The lead's cards shown since `since`, newest first (one per response_url)."""
        query = (
            select(ShownCardRow)
            .where(ShownCardRow.lead_id == lead_id, ShownCardRow.shown_at >= since)
            .order_by(ShownCardRow.shown_at.desc(), ShownCardRow.id.desc())
        )
        with self._read() as session:
            found: dict[str, ShownCard] = {}
            for row in session.scalars(query):
                found.setdefault(row.response_url, from_row(ShownCard, row))
            return list(found.values())

    # --- rota, territories, away -------------------------------------------------------------------

    def rota(self) -> list[str]:
        """The round-robin rota, in order."""
        with self._read() as session:
            return list(session.scalars(select(RotaRow.user_id).order_by(RotaRow.position, RotaRow.user_id)))

    def add_to_rota(self, user_id: str, *, by: str, now: datetime) -> bool:
        """Adds someone at the end of the rota; False when they are on it already."""
        try:
            with self._tx() as session:
                if session.get(RotaRow, user_id) is not None:
                    return False
                last = session.scalar(select(func.max(RotaRow.position)))
                session.add(RotaRow(user_id=user_id, position=(last or 0) + 1, added_by=by, added_at=now))
                return True
        except IntegrityError:
            return False

    def remove_from_rota(self, user_id: str) -> bool:
        with self._tx() as session:
            result = session.execute(delete(RotaRow).where(RotaRow.user_id == user_id))
            return bool(getattr(result, "rowcount", 0))

    def territories(self) -> dict[str, str]:
        """Postcode area or district → who takes its leads."""
        with self._read() as session:
            rows = session.execute(
                select(TerritoryRow.prefix, TerritoryRow.user_id).order_by(TerritoryRow.prefix)
            )
            return {prefix: user_id for prefix, user_id in rows}

    def set_territory(self, prefix: str, user_id: str, *, by: str, now: datetime) -> str | None:
        """Gives a postcode area or district to someone; returns who had it before (None: nobody)."""
        with self._tx() as session:
            row = session.get(TerritoryRow, prefix)
            before = row.user_id if row else None
            if row is None:
                session.add(TerritoryRow(prefix=prefix, user_id=user_id, set_by=by, set_at=now))
            else:
                row.user_id, row.set_by, row.set_at = user_id, by, now
            return before

    def remove_territory(self, prefix: str) -> bool:
        with self._tx() as session:
            result = session.execute(delete(TerritoryRow).where(TerritoryRow.prefix == prefix))
            return bool(getattr(result, "rowcount", 0))

    def away(self, now: datetime) -> dict[str, datetime | None]:
        """Who is away at `now`, and until when (None: until they say they're back)."""
        query = select(AwayRow.user_id, AwayRow.until).where(
            (AwayRow.until.is_(None)) | (AwayRow.until > now)
        )
        with self._read() as session:
            return {user_id: until for user_id, until in session.execute(query)}

    def set_away(self, user_id: str, *, until: datetime | None, now: datetime) -> None:
        with self._tx() as session:
            row = session.get(AwayRow, user_id)
            if row is None:
                session.add(AwayRow(user_id=user_id, until=until, since=now))
            else:
                row.until, row.since = until, now

    def set_back(self, user_id: str) -> bool:
        """Ends someone's time away; False when they were not away."""
        with self._tx() as session:
            result = session.execute(delete(AwayRow).where(AwayRow.user_id == user_id))
            return bool(getattr(result, "rowcount", 0))
