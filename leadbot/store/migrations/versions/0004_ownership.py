"""Speed to lead: each lead's one owner and its clock until first contact (lead_clocks, replacing claims), what
happened to it (lead_events), the round-robin rota, territories, who is away, and named markers.

Claims made before this revision become owners of untimed clocks: no ladder starts for an old lead.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "lead_clocks",
        sa.Column("lead_id", sa.String(), primary_key=True),
        sa.Column("arrived_at", WHEN, nullable=False),
        sa.Column("out_of_hours", sa.Boolean(), nullable=False),
        sa.Column("timed", sa.Boolean(), nullable=False),
        sa.Column("owner", sa.String(64), nullable=True),
        sa.Column("owner_since", WHEN, nullable=True),
        sa.Column("clock_from", WHEN, nullable=False),
        sa.Column("ladder_done", sa.Integer(), nullable=False),
        sa.Column("first_contact_at", WHEN, nullable=True),
        sa.Column("reached_at", WHEN, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("retry_due_at", WHEN, nullable=True),
        sa.Column("asked_to_close", sa.Boolean(), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_lead_clocks_owner", "lead_clocks", ["owner"])
    op.create_index("ix_lead_clocks_retry_due_at", "lead_clocks", ["retry_due_at"])
    op.create_index("ix_lead_clocks_open", "lead_clocks", ["timed", "first_contact_at"])
    op.execute(
        "INSERT INTO lead_clocks (lead_id, arrived_at, out_of_hours, timed, owner, owner_since, clock_from,"
        " ladder_done, first_contact_at, reached_at, attempts, retry_due_at, asked_to_close, closed, version)"
        " SELECT lead_id, claimed_at, false, false, user_id, claimed_at, claimed_at, 0, NULL, NULL, 0, NULL,"
        " false, false, 0 FROM claims"
    )
    op.drop_table("claims")
    op.create_table(
        "lead_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("lead_id", sa.String(), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("owner_before", sa.String(64), nullable=True),
        sa.Column("owner_after", sa.String(64), nullable=True),
        sa.Column("detail", sa.JSON(none_as_null=True), nullable=True),
    )
    op.create_index("ix_lead_events_lead_id", "lead_events", ["lead_id"])
    op.create_index("ix_lead_events_at", "lead_events", ["at"])
    op.create_table(
        "rota",
        sa.Column("user_id", sa.String(64), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("added_by", sa.String(64), nullable=False),
        sa.Column("added_at", WHEN, nullable=False),
    )
    op.create_table(
        "territories",
        sa.Column("prefix", sa.String(8), primary_key=True),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("set_by", sa.String(64), nullable=False),
        sa.Column("set_at", WHEN, nullable=False),
    )
    op.create_table(
        "away",
        sa.Column("user_id", sa.String(64), primary_key=True),
        sa.Column("until", WHEN, nullable=True),
        sa.Column("since", WHEN, nullable=False),
    )
    op.create_table(
        "markers",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(64), nullable=True),
        sa.Column("at", WHEN, nullable=False),
    )


def downgrade() -> None:
    op.create_table(
        "claims",
        sa.Column("lead_id", sa.String(), primary_key=True),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("claimed_at", WHEN, nullable=False),
    )
    op.execute(
        "INSERT INTO claims (lead_id, user_id, claimed_at)"
        " SELECT lead_id, owner, owner_since FROM lead_clocks WHERE owner IS NOT NULL"
    )
    for table in ("markers", "away", "territories", "rota", "lead_events", "lead_clocks"):
        op.drop_table(table)
