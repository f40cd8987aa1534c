"""review chains: where a decision passes a report on to, and a missed target meeting

Revision ID: i11_committees
Revises: i15_municipal_it
Create Date: 2026-11-30 02:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "i11_committees"
down_revision = "i15_municipal_it"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Applies this revision (new columns only: the append-only guards stay as they are)."""
    op.add_column("decisions", sa.Column("to_committee_id", sa.String(length=64), nullable=True))
    op.add_column("rounds", sa.Column("target_meeting", sa.Date(), nullable=True))
    op.add_column(
        "rounds",
        sa.Column("missed_target", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    """Reverts this revision."""
    with op.batch_alter_table("rounds") as batch:
        batch.drop_column("missed_target")
        batch.drop_column("target_meeting")
    with op.batch_alter_table("decisions") as batch:
        batch.drop_column("to_committee_id")
