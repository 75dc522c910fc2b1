"""The database tables, as typed SQLAlchemy 2 declarative classes (the migrations must match them)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, DateTime, Dialect, Index, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

LEASE_POLLER = "poller"
STATE_ROW = 1


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, on PostgreSQL (timestamptz) and SQLite (naive UTC text) alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store: use aware UTC datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base; JSON columns hold plain dicts."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON(none_as_null=True),
        datetime: UTCDateTime,
    }


class SeenLeadRow(Base):
    """A lead the poller has seen, with a snapshot to diff against and the message that shows it."""

    __tablename__ = "seen_leads"

    lead_id: Mapped[str] = mapped_column(String, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(index=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[str | None] = mapped_column(String)
    data: Mapped[dict[str, Any]]
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    gone: Mapped[bool] = mapped_column(Boolean, default=False)
    card_alert_id: Mapped[int | None] = mapped_column(Integer, index=True)
    changed_at: Mapped[datetime | None] = mapped_column(default=None)
    missing_since: Mapped[datetime | None] = mapped_column(default=None)


class AlertRow(Base):
    """One outgoing Slack message (or card update + thread note): the outbox."""

    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_queue", "state", "channel", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    lead_id: Mapped[str | None] = mapped_column(String, index=True)
    channel: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict[str, Any]]
    state: Mapped[str] = mapped_column(String(16))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    repeats: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class LeadClockRow(Base):
    """A lead's one owner and its clock until first contact: what routing, the ladder and reports work on."""

    __tablename__ = "lead_clocks"
    __table_args__ = (Index("ix_lead_clocks_open", "timed", "first_contact_at"),)

    lead_id: Mapped[str] = mapped_column(String, primary_key=True)
    arrived_at: Mapped[datetime]  # when leadbot first saw it (or created it)
    out_of_hours: Mapped[bool] = mapped_column(Boolean, default=False)
    timed: Mapped[bool] = mapped_column(Boolean, default=True)  # False: from before leadbot timed leads
    owner: Mapped[str | None] = mapped_column(String(64), index=True)
    owner_since: Mapped[datetime | None]
    clock_from: Mapped[
        datetime
    ]  # arrival or the last assignment: the ladder counts working minutes from here
    ladder_done: Mapped[int] = mapped_column(Integer, default=0)  # steps taken since clock_from
    first_contact_at: Mapped[datetime | None]
    reached_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    retry_due_at: Mapped[datetime | None] = mapped_column(index=True)
    asked_to_close: Mapped[bool] = mapped_column(Boolean, default=False)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=0)  # every change adds one: racing writers compare


class LeadEventRow(Base):
    """What happened to a lead, in order: the audit of ownership and contact, and what reports count."""

    __tablename__ = "lead_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    lead_id: Mapped[str] = mapped_column(String, index=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(64))  # a Slack user ID, or "leadbot"
    kind: Mapped[str] = mapped_column(String(32))
    owner_before: Mapped[str | None] = mapped_column(String(64))
    owner_after: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any] | None]


class RotaRow(Base):
    """Who takes leads in turn under round-robin routing, in rota order."""

    __tablename__ = "rota"

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    added_by: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime]


class TerritoryRow(Base):
    """A UK postcode area (CB) or district (PE19) and who takes its leads under territory routing."""

    __tablename__ = "territories"

    prefix: Mapped[str] = mapped_column(String(8), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64))
    set_by: Mapped[str] = mapped_column(String(64))
    set_at: Mapped[datetime]


class AwayRow(Base):
    """Someone routing and reminders skip: away until a time, or until they say they are back."""

    __tablename__ = "away"

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    until: Mapped[datetime | None]
    since: Mapped[datetime]


class ShownCardRow(Base):
    """A `/leads show` card someone has open (its response_url): re-posted when the lead changes, while Slack
    still lets it be replaced (30 minutes)."""

    __tablename__ = "shown_cards"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    lead_id: Mapped[str] = mapped_column(String, index=True)
    user_id: Mapped[str] = mapped_column(String(64))
    response_url: Mapped[str] = mapped_column(String(500))
    shown_at: Mapped[datetime] = mapped_column(index=True)


class MarkerRow(Base):
    """A named value written at most once per change: the round-robin cursor, the last morning digest's day."""

    __tablename__ = "markers"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime]


class EmailOverrideRow(Base):
    """An admin's mapping of a Slack user to the Easy PV email leadbot acts as."""

    __tablename__ = "email_overrides"

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    set_by: Mapped[str] = mapped_column(String(64))
    set_at: Mapped[datetime]


class AuditRow(Base):
    """One change made through leadbot: who, as which email, what, before → after, when."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    slack_user: Mapped[str] = mapped_column(String(64))
    email: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(64))
    lead_id: Mapped[str | None] = mapped_column(String, index=True)
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]


class LeaseRow(Base):
    """Who may poll (and send) until when; one row per lease name."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(128))
    expires_at: Mapped[datetime]
    acquired_at: Mapped[datetime | None]


class PollStateRow(Base):
    """The poller's memory between cycles and across restarts: one row."""

    __tablename__ = "poll_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_run_done: Mapped[bool] = mapped_column(Boolean, default=False)
    newest_created: Mapped[datetime | None]
    last_deep_sync: Mapped[datetime | None]
    last_deep_try: Mapped[datetime | None]
    last_success: Mapped[datetime | None]
    poll_failures: Mapped[int] = mapped_column(Integer, default=0)
    slack_failures: Mapped[int] = mapped_column(Integer, default=0)
    health_cause: Mapped[str | None] = mapped_column(String(500))
    health_posted: Mapped[bool] = mapped_column(Boolean, default=False)
