"""cycle plans: the year's RoundSpecs stored once, so the annual cycle carries only a hash

Revision ID: i10_versioning
Revises: i14_meetings
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "i10_versioning"
down_revision = "i14_meetings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Applies this revision."""
    op.create_table(
        "cycle_plans",
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("rounds", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("hash", name=op.f("pk_cycle_plans")),
    )
    with op.batch_alter_table("cycle_plans", schema=None) as batch_op:
        batch_op.create_index("ix_cycle_plans_org_year", ["org_id", "year"], unique=False)
    op.create_table(
        "cycle_plan_rounds",
        sa.Column("plan_hash", sa.String(length=64), nullable=False),
        sa.Column("workflow_id", sa.String(length=300), nullable=False),
        sa.Column("slot", sa.DateTime(timezone=True), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_hash"],
            ["cycle_plans.hash"],
            name=op.f("fk_cycle_plan_rounds_plan_hash_cycle_plans"),
        ),
        sa.PrimaryKeyConstraint("plan_hash", "workflow_id", name=op.f("pk_cycle_plan_rounds")),
    )
    with op.batch_alter_table("cycle_plan_rounds", schema=None) as batch_op:
        batch_op.create_index(
            "ix_cycle_plan_rounds_slot", ["plan_hash", "slot", "workflow_id"], unique=False
        )


def downgrade() -> None:
    """Reverts this revision."""
    with op.batch_alter_table("cycle_plan_rounds", schema=None) as batch_op:
        batch_op.drop_index("ix_cycle_plan_rounds_slot")
    op.drop_table("cycle_plan_rounds")
    with op.batch_alter_table("cycle_plans", schema=None) as batch_op:
        batch_op.drop_index("ix_cycle_plans_org_year")
    op.drop_table("cycle_plans")
