"""Initial schema: seen leads, alert outbox, claims, email overrides, audit log, lease, poll state.

Revision ID: 0001
Revises:
Create Date: 2025-03-11
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Types as they were at this revision; later changes get their own migration.
TIME = sa.DateTime(timezone=True)
JSON = sa.JSON(none_as_null=True)


def upgrade() -> None:
    op.create_table(
        "seen_leads",
        sa.Column("lead_id", sa.String(), primary_key=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("status", sa.String(), nullable=True),
        sa.Column("data", JSON, nullable=False),
        sa.Column("first_seen", TIME, nullable=False),
        sa.Column("last_seen", TIME, nullable=False),
        sa.Column("gone", sa.Boolean(), nullable=False),
        sa.Column("card_alert_id", sa.Integer(), nullable=True),
    )
    op.create_index("ix_seen_leads_created_at", "seen_leads", ["created_at"])
    op.create_index("ix_seen_leads_card_alert_id", "seen_leads", ["card_alert_id"])

    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(32), nullable=False, unique=True),
        sa.Column("lead_id", sa.String(), nullable=True),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("payload", JSON, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("message_ts", sa.String(32), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", TIME, nullable=False),
        sa.Column("last_error", sa.String(300), nullable=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("sent_at", TIME, nullable=True),
    )
    op.create_index("ix_alerts_lead_id", "alerts", ["lead_id"])
    op.create_index("ix_alerts_queue", "alerts", ["state", "channel", "id"])

    op.create_table(
        "claims",
        sa.Column("lead_id", sa.String(), primary_key=True),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("claimed_at", TIME, nullable=False),
    )
    op.create_table(
        "email_overrides",
        sa.Column("user_id", sa.String(64), primary_key=True),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("set_by", sa.String(64), nullable=False),
        sa.Column("set_at", TIME, nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", TIME, nullable=False),
        sa.Column("slack_user", sa.String(64), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("lead_id", sa.String(), nullable=True),
        sa.Column("before", JSON, nullable=True),
        sa.Column("after", JSON, nullable=True),
    )
    op.create_index("ix_audit_log_lead_id", "audit_log", ["lead_id"])

    leases = op.create_table(
        "leases",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("holder", sa.String(128), nullable=True),
        sa.Column("expires_at", TIME, nullable=False),
        sa.Column("acquired_at", TIME, nullable=True),
    )
    state = op.create_table(
        "poll_state",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("first_run_done", sa.Boolean(), nullable=False),
        sa.Column("newest_created", TIME, nullable=True),
        sa.Column("last_deep_sync", TIME, nullable=True),
        sa.Column("last_success", TIME, nullable=True),
        sa.Column("poll_failures", sa.Integer(), nullable=False),
        sa.Column("slack_failures", sa.Integer(), nullable=False),
        sa.Column("health_cause", sa.String(500), nullable=True),
        sa.Column("health_posted", sa.Boolean(), nullable=False),
    )
    # The single rows every instance updates in place (so taking the lease is one conditional UPDATE).
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    if op.get_bind().dialect.name == "sqlite":
        epoch = epoch.replace(tzinfo=None)
    if leases is None or state is None:  # pragma: no cover - create_table returns the table online
        raise RuntimeError("alembic did not return the created tables")
    op.bulk_insert(leases, [{"name": "poller", "holder": None, "expires_at": epoch, "acquired_at": None}])
    op.bulk_insert(
        state,
        [
            {
                "id": 1,
                "first_run_done": False,
                "newest_created": None,
                "last_deep_sync": None,
                "last_success": None,
                "poll_failures": 0,
                "slack_failures": 0,
                "health_cause": None,
                "health_posted": False,
            }
        ],
    )


def downgrade() -> None:
    for table in ("poll_state", "leases", "audit_log", "email_overrides", "claims", "alerts", "seen_leads"):
        op.drop_table(table)
