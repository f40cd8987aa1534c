"""the kommun's diarienummer of a case or a meeting, unique per organisation

Revision ID: r21_case_numbers
Revises: p26_delegation
Create Date: 2026-12-08 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "r21_case_numbers"
down_revision = "p26_delegation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Applies this revision."""
    op.create_table(
        "case_numbers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("case_key", sa.String(length=300), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=True),
        sa.Column("assigned", sa.Boolean(), nullable=False),
        sa.Column("set_by", sa.String(length=320), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_numbers")),
        sa.UniqueConstraint(
            "org_id", "kind", "case_key", name=op.f("uq_case_numbers_org_id_kind_case_key")
        ),
        sa.UniqueConstraint("org_id", "number", name=op.f("uq_case_numbers_org_id_number")),
    )
    op.create_index(
        "ix_case_numbers_year_seq", "case_numbers", ["org_id", "year", "seq"], unique=True
    )


def downgrade() -> None:
    """Reverts this revision."""
    op.drop_index("ix_case_numbers_year_seq", table_name="case_numbers")
    op.drop_table("case_numbers")
