"""web sessions remember what the municipality's IdP said of the person

Revision ID: i15_session_idp
Revises: i12_hardening
Create Date: 2026-11-30 02:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "i15_session_idp"
down_revision = "i12_hardening"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Applies this revision."""
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idp", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Reverts this revision."""
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.drop_column("idp")
