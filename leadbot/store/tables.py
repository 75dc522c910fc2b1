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


class ClaimRow(Base):
    """Who claimed a lead from its alert card."""

    __tablename__ = "claims"

    lead_id: Mapped[str] = mapped_column(String, primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64))
    claimed_at: Mapped[datetime]


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
