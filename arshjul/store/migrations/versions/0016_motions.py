"""motioner and medborgarförslag, and the § that reports those not yet beredda to fullmäktige

Revision ID: m20_motions
Revises: p26_proceedings
Create Date: 2026-12-08 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from arshjul.store.protocol_guards import (
    create_motion_report_guards,
    drop_motion_report_guards,
)

revision = "m20_motions"
down_revision = "p26_proceedings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Applies this revision."""
    op.create_table(
        "motions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("number", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("submitted_by", sa.String(length=300), nullable=False),
        sa.Column("committee_id", sa.String(length=64), nullable=False),
        sa.Column("vackt_on", sa.Date(), nullable=False),
        sa.Column("responsible_id", sa.String(length=64), nullable=False),
        sa.Column("responsible_name", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("decision_ref", sa.String(length=100), nullable=True),
        sa.Column("delay_reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=320), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_motions")),
        sa.UniqueConstraint("org_id", "number", name=op.f("uq_motions_org_id_number")),
    )
    op.create_index("ix_motions_org_id_status", "motions", ["org_id", "status"], unique=False)
    op.create_table(
        "motion_reports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("committee_id", sa.String(length=64), nullable=False),
        sa.Column("meeting", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("paragraph", sa.Integer(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=True),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_motion_reports")),
        sa.UniqueConstraint(
            "org_id",
            "committee_id",
            "meeting",
            name=op.f("uq_motion_reports_org_id_committee_id_meeting"),
        ),
    )
    op.create_index(
        "ix_motion_reports_year_paragraph",
        "motion_reports",
        ["org_id", "committee_id", "year", "paragraph"],
        unique=True,
    )
    create_motion_report_guards(op.get_bind())


def downgrade() -> None:
    """Reverts this revision."""
    drop_motion_report_guards(op.get_bind())
    op.drop_index("ix_motion_reports_year_paragraph", table_name="motion_reports")
    op.drop_table("motion_reports")
    op.drop_index("ix_motions_org_id_status", table_name="motions")
    op.drop_table("motions")
