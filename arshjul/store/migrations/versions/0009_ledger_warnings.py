"""a ledger import keeps what it did not read (its warnings), not only the audit log's count

Revision ID: i25_ledger_warnings
Revises: i15_session_idp
Create Date: 2026-12-07 13:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "i25_ledger_warnings"
down_revision = "i15_session_idp"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Applies this revision."""
    with op.batch_alter_table("ledger_imports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("warning_count", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("warnings", sa.Text(), nullable=True))


def downgrade() -> None:
    """Reverts this revision."""
    with op.batch_alter_table("ledger_imports", schema=None) as batch_op:
        batch_op.drop_column("warnings")
        batch_op.drop_column("warning_count")
