"""Motioner and medborgarförslag, and the § of a reporting meeting that lists those undecided.

A motion's changes are written to the audit log (old and new values), so nothing typed is lost
when a row is edited. The report § is numbered in the committee's year like the decisions and
holds, once the protocol is justerat, the list as it was signed (`items`); the database refuses
every change to it after that (protocol_guards).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from arshjul.store.models.base import Base


class Motion(Base):
    """A motion (by a ledamot) or a medborgarförslag (by a resident) väckt in fullmäktige."""

    __tablename__ = "motions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))  # motion | medborgarforslag
    number: Mapped[str] = mapped_column(String(100))  # diarienummer or the kansli's number
    title: Mapped[str] = mapped_column(String(500))
    # Who submitted it: a ledamot (and party), or for a medborgarförslag a private person.
    submitted_by: Mapped[str] = mapped_column(String(300))
    committee_id: Mapped[str] = mapped_column(String(64))  # where it was väckt (fullmäktige)
    vackt_on: Mapped[dt.date] = mapped_column(Date)  # the meeting where it was väckt
    # Who bereder it: a committee or unit id of the configuration, and its name at the time.
    responsible_id: Mapped[str] = mapped_column(String(64))
    responsible_name: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(32))  # arshjul.calendar.motions.STATUSES
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    decision_ref: Mapped[str | None] = mapped_column(String(100))  # "KF § 45/2026"
    # What the responsible unit says of where the beredning stands and why it takes time.
    delay_reason: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[dt.datetime]
    updated_by: Mapped[str] = mapped_column(String(320))
    updated_at: Mapped[dt.datetime]

    __table_args__ = (
        UniqueConstraint("org_id", "number"),
        Index("ix_motions_org_id_status", "org_id", "status"),
    )


class MotionReport(Base):
    """The § "Redovisning av motioner och medborgarförslag som inte har beretts färdigt" of one
    reporting meeting."""

    __tablename__ = "motion_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(String(64))
    committee_id: Mapped[str] = mapped_column(String(64))
    meeting: Mapped[dt.date] = mapped_column(Date)
    year: Mapped[int] = mapped_column(Integer)
    paragraph: Mapped[int] = mapped_column(Integer)
    # The list as signed, written once at justering; None before (the list is read live).
    items: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[dt.datetime]

    __table_args__ = (
        UniqueConstraint("org_id", "committee_id", "meeting"),
        Index(
            "ix_motion_reports_year_paragraph",
            "org_id",
            "committee_id",
            "year",
            "paragraph",
            unique=True,
        ),
    )
