"""what the calendar feeds last published per event (start, summary, SEQUENCE)

Revision ID: cal25_published_events
Revises: i25_ledger_warnings
Create Date: 2026-12-08 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "cal25_published_events"
down_revision = "i25_ledger_warnings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Applies this revision."""
    op.create_table(
        "published_events",
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("uid", sa.String(length=400), nullable=False),
        sa.Column("start", sa.String(length=32), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("org_id", "uid", name=op.f("pk_published_events")),
    )


def downgrade() -> None:
    """Reverts this revision."""
    op.drop_table("published_events")
