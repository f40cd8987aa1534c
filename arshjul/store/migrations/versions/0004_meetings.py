"""meetings and their protocols: attendance, justering, anslag, archive copy; § per year

Revision ID: i14_meetings
Revises: i11_committees
Create Date: 2026-11-30 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from arshjul.store.protocol_guards import create_protocol_guards, drop_protocol_guards

revision = "i14_meetings"
down_revision = "i11_committees"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Applies this revision."""
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("committee_id", sa.String(length=64), nullable=False),
        sa.Column("meeting", sa.Date(), nullable=False),
        sa.Column("starts_at", sa.String(length=5), nullable=True),
        sa.Column("ends_at", sa.String(length=5), nullable=True),
        sa.Column("place", sa.String(length=300), nullable=True),
        sa.Column("chair_email", sa.String(length=320), nullable=True),
        sa.Column("secretary_email", sa.String(length=320), nullable=True),
        sa.Column("attendance", sa.JSON(), nullable=False),
        sa.Column("adjusters", sa.JSON(), nullable=False),
        sa.Column("justerat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("anslag_date", sa.Date(), nullable=True),
        sa.Column("anslag_by", sa.String(length=320), nullable=True),
        sa.Column("appeal_until", sa.Date(), nullable=True),
        sa.Column("archive_sha256", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
        sa.UniqueConstraint(
            "org_id",
            "committee_id",
            "meeting",
            name=op.f("uq_meetings_org_id_committee_id_meeting"),
        ),
    )
    op.create_table(
        "protocol_signatures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_protocol_signatures_meeting_id_meetings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_protocol_signatures")),
        sa.UniqueConstraint(
            "meeting_id",
            "email",
            "content_sha256",
            name=op.f("uq_protocol_signatures_meeting_id_email_content_sha256"),
        ),
    )
    op.create_index(
        op.f("ix_protocol_signatures_meeting_id"),
        "protocol_signatures",
        ["meeting_id"],
        unique=False,
    )
    op.create_table(
        "protocol_archives",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_protocol_archives_meeting_id_meetings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_protocol_archives")),
        sa.UniqueConstraint("meeting_id", name=op.f("uq_protocol_archives_meeting_id")),
    )
    # Plain ALTER TABLE ADD COLUMN (no batch copy): the decisions table keeps its triggers.
    op.add_column("decisions", sa.Column("year", sa.Integer(), nullable=True))
    op.add_column("decisions", sa.Column("decision_text", sa.Text(), nullable=True))
    op.create_index(
        "ix_decisions_year_paragraph",
        "decisions",
        ["org_id", "committee_id", "year", "paragraph"],
        unique=True,
    )
    create_protocol_guards(op.get_bind())


def downgrade() -> None:
    """Reverts this revision."""
    drop_protocol_guards(op.get_bind())
    op.drop_index("ix_decisions_year_paragraph", table_name="decisions")
    # Plain DROP COLUMN (SQLite 3.35+): a batch copy would lose the decisions' triggers.
    op.drop_column("decisions", "decision_text")
    op.drop_column("decisions", "year")
    op.drop_table("protocol_archives")
    op.drop_index(op.f("ix_protocol_signatures_meeting_id"), table_name="protocol_signatures")
    op.drop_table("protocol_signatures")
    op.drop_table("meetings")
