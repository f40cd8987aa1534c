"""anmälan av delegationsbeslut: one § per meeting and its reported decisions, locked at justering

Revision ID: p26_delegation
Revises: cfg19_config_versions
Create Date: 2026-12-07 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from arshjul.store.protocol_guards import (
    create_delegation_guards,
    drop_delegation_guards,
)

revision = "p26_delegation"
down_revision = "cfg19_config_versions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Applies this revision."""
    op.create_table(
        "delegation_paragraphs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("committee_id", sa.String(length=64), nullable=False),
        sa.Column("meeting", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("paragraph", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delegation_paragraphs")),
        sa.UniqueConstraint(
            "org_id",
            "committee_id",
            "meeting",
            name=op.f("uq_delegation_paragraphs_org_id_committee_id_meeting"),
        ),
    )
    op.create_index(
        "ix_delegation_paragraphs_year_paragraph",
        "delegation_paragraphs",
        ["org_id", "committee_id", "year", "paragraph"],
        unique=True,
    )
    op.create_table(
        "delegation_decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("paragraph_id", sa.Integer(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("decided_by", sa.String(length=300), nullable=False),
        sa.Column("matter", sa.Text(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("recorded_by", sa.String(length=320), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["paragraph_id"],
            ["delegation_paragraphs.id"],
            name=op.f("fk_delegation_decisions_paragraph_id_delegation_paragraphs"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delegation_decisions")),
        sa.UniqueConstraint(
            "paragraph_id",
            "reference",
            name=op.f("uq_delegation_decisions_paragraph_id_reference"),
        ),
    )
    op.create_index(
        op.f("ix_delegation_decisions_paragraph_id"),
        "delegation_decisions",
        ["paragraph_id"],
        unique=False,
    )
    create_delegation_guards(op.get_bind())


def downgrade() -> None:
    """Reverts this revision."""
    drop_delegation_guards(op.get_bind())
    op.drop_index(op.f("ix_delegation_decisions_paragraph_id"), table_name="delegation_decisions")
    op.drop_table("delegation_decisions")
    op.drop_index("ix_delegation_paragraphs_year_paragraph", table_name="delegation_paragraphs")
    op.drop_table("delegation_paragraphs")
