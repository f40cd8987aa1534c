"""gallring: retention permits, and the append-only tables' DELETE let through under a permit

Revision ID: r21_retention
Revises: m20_motions
Create Date: 2026-12-09 00:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from arshjul.store.guards import create_retention_guards, drop_retention_guards

revision = "r21_retention"
down_revision = "m20_motions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Applies this revision."""
    op.create_table(
        "retention_permits",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("cutoff", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_permits")),
    )
    create_retention_guards(op.get_bind())


def downgrade() -> None:
    """Reverts this revision."""
    drop_retention_guards(op.get_bind())
    op.drop_table("retention_permits")
