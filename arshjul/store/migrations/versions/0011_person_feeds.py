"""people's own calendar feeds behind a random, replaceable token

Revision ID: login_person_feeds
Revises: cal25_published_events
Create Date: 2026-12-10 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "login_person_feeds"
down_revision = "cal25_published_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Applies this revision."""
    op.create_table(
        "person_feeds",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_feeds")),
        sa.UniqueConstraint("token", name=op.f("uq_person_feeds_token")),
    )
    with op.batch_alter_table("person_feeds", schema=None) as batch_op:
        batch_op.create_index("ix_person_feeds_org_id_email", ["org_id", "email"], unique=False)


def downgrade() -> None:
    """Reverts this revision."""
    with op.batch_alter_table("person_feeds", schema=None) as batch_op:
        batch_op.drop_index("ix_person_feeds_org_id_email")
    op.drop_table("person_feeds")
