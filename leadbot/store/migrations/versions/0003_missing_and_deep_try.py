"""Remember when a lead first went missing (deleted only once a later fetch agrees), when a deep sync
was last tried (a failing one is retried after a delay, not on every poll), and how many times in a row an
alert failed the same way (set aside after a few, so it never blocks its channel).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("seen_leads", sa.Column("missing_since", sa.DateTime(timezone=True), nullable=True))
    op.add_column("poll_state", sa.Column("last_deep_try", sa.DateTime(timezone=True), nullable=True))
    op.add_column("alerts", sa.Column("repeats", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("alerts") as batch:
        batch.drop_column("repeats")
    with op.batch_alter_table("poll_state") as batch:
        batch.drop_column("last_deep_try")
    with op.batch_alter_table("seen_leads") as batch:
        batch.drop_column("missing_since")
