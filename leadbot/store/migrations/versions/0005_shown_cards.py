"""`/leads show` cards people have open (their response_url), so a change to the lead replaces them too.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shown_cards",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("lead_id", sa.String(), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("response_url", sa.String(500), nullable=False),
        sa.Column("shown_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_shown_cards_lead_id", "shown_cards", ["lead_id"])
    op.create_index("ix_shown_cards_shown_at", "shown_cards", ["shown_at"])


def downgrade() -> None:
    op.drop_table("shown_cards")
