"""figures from the ledger: imports and each unit's budget and utfall per period

Revision ID: i15_municipal_it
Revises: 0001
Create Date: 2026-11-30 00:58:38.771470
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from arshjul.store.guards import Guards, create_guards, drop_guards

revision = "i15_municipal_it"
down_revision = "0001"
branch_labels = None
depends_on = None

# What was imported stays as it was: a new file is a new import, never an edit.
GUARDS: Guards = {"ledger_imports": (True, ()), "ledger_figures": (True, ())}


def upgrade() -> None:
    """Applies this revision."""
    op.create_table(
        "ledger_imports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("file_format", sa.String(length=8), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("generated_on", sa.Date(), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(length=320), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_imports")),
        sa.UniqueConstraint(
            "org_id", "period", "sha256", name=op.f("uq_ledger_imports_org_id_period_sha256")
        ),
    )
    op.create_table(
        "ledger_figures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("unit_id", sa.String(length=64), nullable=False),
        sa.Column("codes", sa.Text(), nullable=False),
        sa.Column("budget_tkr", sa.Numeric(precision=14, scale=1), nullable=True),
        sa.Column("utfall_tkr", sa.Numeric(precision=14, scale=1), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["ledger_imports.id"],
            name=op.f("fk_ledger_figures_import_id_ledger_imports"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_figures")),
    )
    with op.batch_alter_table("ledger_figures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ledger_figures_import_id"), ["import_id"], unique=False
        )
        batch_op.create_index(
            "ix_ledger_figures_unit_period", ["org_id", "unit_id", "period"], unique=False
        )
    create_guards(op.get_bind(), GUARDS)


def downgrade() -> None:
    """Reverts this revision."""
    drop_guards(op.get_bind(), GUARDS)
    with op.batch_alter_table("ledger_figures", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_figures_unit_period")
        batch_op.drop_index(batch_op.f("ix_ledger_figures_import_id"))
    op.drop_table("ledger_figures")
    op.drop_table("ledger_imports")
