"""unit people (recipients, deputies), contact and digest roles, calendar sequence

Revision ID: i13_people
Revises: i10_versioning
Create Date: 2026-11-30 00:58:57.994341
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "i13_people"
down_revision = "i10_versioning"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Applies this revision."""
    op.create_table(
        "unit_people",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("unit_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("starts", sa.Date(), nullable=True),
        sa.Column("ends", sa.Date(), nullable=True),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_people")),
    )
    with op.batch_alter_table("unit_people", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_unit_people_email"), ["email"], unique=False)
        batch_op.create_index("ix_unit_people_org_unit", ["org_id", "unit_id"], unique=False)

    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_role", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("digest_roles", sa.String(length=500), nullable=True))

    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("due_sequence", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("due_changed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Reverts this revision."""
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.drop_column("due_changed_at")
        batch_op.drop_column("due_sequence")

    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("digest_roles")
        batch_op.drop_column("contact_role")

    with op.batch_alter_table("unit_people", schema=None) as batch_op:
        batch_op.drop_index("ix_unit_people_org_unit")
        batch_op.drop_index(batch_op.f("ix_unit_people_email"))

    op.drop_table("unit_people")
