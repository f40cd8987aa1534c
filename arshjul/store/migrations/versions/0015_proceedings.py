"""how a case was handled at a meeting: jäv, yrkanden, votes, reservations, protokollsanteckningar

Revision ID: p26_proceedings
Revises: r21_case_numbers
Create Date: 2026-12-08 00:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "p26_proceedings"
down_revision = "r21_case_numbers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Applies this revision."""
    op.create_table(
        "case_proceedings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("committee_id", sa.String(length=64), nullable=False),
        sa.Column("meeting", sa.Date(), nullable=False),
        sa.Column("workflow_id", sa.String(length=300), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.String(length=320), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_proceedings")),
        sa.UniqueConstraint(
            "org_id",
            "committee_id",
            "meeting",
            "workflow_id",
            name=op.f("uq_case_proceedings_org_id_committee_id_meeting_workflow_id"),
        ),
    )


def downgrade() -> None:
    """Reverts this revision."""
    op.drop_table("case_proceedings")
