"""What people did through leadbot: admins' email overrides and the audit log."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select

from leadbot.store.base import StoreBase
from leadbot.store.records import AuditEntry, from_row
from leadbot.store.tables import AuditRow, EmailOverrideRow

EMAIL_LENGTH = 320  # the email columns' size: a longer one is refused here, on SQLite as on PostgreSQL


def _now() -> datetime:
    return datetime.now(UTC)


class PeopleStore(StoreBase):
    """Email overrides and audit entries."""

    def get_email_override(self, user_id: str) -> str | None:
        with self._read() as session:
            row = session.get(EmailOverrideRow, user_id)
            return row.email if row else None

    def set_email_override(self, user_id: str, email: str, *, set_by: str) -> None:
        """Maps `user_id` to `email` (replacing any earlier mapping), remembering which admin did it; raises
        ValueError for an email longer than an address can be (the command checks it first, in words)."""
        if len(email) > EMAIL_LENGTH:
            raise ValueError(f"an email is at most {EMAIL_LENGTH} characters")
        with self._tx() as session:
            row = session.get(EmailOverrideRow, user_id)
            if row is None:
                session.add(EmailOverrideRow(user_id=user_id, email=email, set_by=set_by, set_at=_now()))
            else:
                row.email, row.set_by, row.set_at = email, set_by, _now()

    def remove_email_override(self, user_id: str) -> bool:
        """True when there was a mapping to remove."""
        with self._tx() as session:
            result = session.execute(delete(EmailOverrideRow).where(EmailOverrideRow.user_id == user_id))
            return bool(getattr(result, "rowcount", 0))

    def record_audit(
        self,
        *,
        slack_user: str,
        email: str,
        action: str,
        lead_id: str | None,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        now: datetime | None = None,
    ) -> None:
        """One change made through leadbot; `now`: when (the caller's clock; the system clock if not given)."""
        with self._tx() as session:
            session.add(
                AuditRow(
                    at=now or _now(),
                    slack_user=slack_user,
                    email=email,
                    action=action,
                    lead_id=lead_id,
                    before=before,
                    after=after,
                )
            )

    def audit_for(self, lead_id: str, limit: int = 20) -> list[AuditEntry]:
        """The newest `limit` changes to one lead, newest first."""
        query = (
            select(AuditRow)
            .where(AuditRow.lead_id == lead_id)
            .order_by(AuditRow.at.desc(), AuditRow.id.desc())
            .limit(limit)
        )
        with self._read() as session:
            return [from_row(AuditEntry, row) for row in session.scalars(query)]
