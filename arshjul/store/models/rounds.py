"""Rounds and what units hand in: the round's mirror of its workflow, every submitted version,
the draft and the attachments.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from arshjul.store.models.base import Base

DELIVERY_PENDING = "pending"
DELIVERY_DELIVERED = "delivered"
DELIVERY_REJECTED = "rejected"


class Round(Base):
    """One row per round, mirroring the workflow's state for fast listing and dashboards."""

    __tablename__ = "rounds"

    workflow_id: Mapped[str] = mapped_column(String(300), primary_key=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    report_id: Mapped[str] = mapped_column(String(64))
    report_title: Mapped[str] = mapped_column(String(300))
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    unit_id: Mapped[str] = mapped_column(String(64))
    unit_name: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(32))
    opens: Mapped[dt.date] = mapped_column(Date)
    due: Mapped[dt.date] = mapped_column(Date)
    meeting: Mapped[dt.date | None] = mapped_column(Date)
    committee_id: Mapped[str | None] = mapped_column(String(64))
    # The meeting the current committee was meant to take it at, and whether it missed it.
    target_meeting: Mapped[dt.date | None] = mapped_column(Date)
    missed_target: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    submission_id: Mapped[int | None] = mapped_column(Integer)
    last_event: Mapped[str] = mapped_column(String(32))
    last_seq: Mapped[int] = mapped_column(Integer)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    spec: Mapped[dict[str, Any]]  # the RoundSpec, so pages need not ask Temporal for titles
    updated_at: Mapped[dt.datetime]
    # How often the deadline moved or was cancelled, and when last: the calendar event's
    # SEQUENCE and LAST-MODIFIED, so subscribed calendars and mailed invitations update.
    due_sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    due_changed_at: Mapped[dt.datetime | None]

    __table_args__ = (Index("ix_rounds_report_period", "report_id", "period"),)


class Submission(Base):
    """One version of a report as submitted; never changed, never deleted."""

    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workflow_id: Mapped[str] = mapped_column(String(300), index=True)
    org_id: Mapped[str] = mapped_column(String(64))
    report_id: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(7))
    unit_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict[str, Any]]  # ReportContent as JSON (validated before storing)
    sha256: Mapped[str] = mapped_column(String(64))
    submitted_by: Mapped[str] = mapped_column(String(320))
    submitted_at: Mapped[dt.datetime]
    # Stored first, then sent to the workflow: "pending" until Temporal answers.
    delivery_status: Mapped[str] = mapped_column(String(16), default=DELIVERY_PENDING)
    delivery_message: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[dt.datetime | None]

    __table_args__ = (
        UniqueConstraint("workflow_id", "version"),
        Index("ix_submissions_report_period", "report_id", "period"),
        Index("ix_submissions_delivery_status", "delivery_status"),
    )


class Draft(Base):
    """The one unsent draft of a round, overwritten by every "spara utkast"."""

    __tablename__ = "drafts"

    workflow_id: Mapped[str] = mapped_column(String(300), primary_key=True)
    content: Mapped[dict[str, Any]]  # may be incomplete, so not validated as a submission
    saved_by: Mapped[str] = mapped_column(String(320))
    saved_at: Mapped[dt.datetime]


class Attachment(Base):
    """A file attached to a round's submission, its bytes stored once per round and hash."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workflow_id: Mapped[str] = mapped_column(String(300), index=True)
    name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[str] = mapped_column(String(320))
    uploaded_at: Mapped[dt.datetime]

    __table_args__ = (UniqueConstraint("workflow_id", "sha256"),)
