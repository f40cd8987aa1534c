"""What a committee's protocol holds: decisions with their §, the meeting (attendance, justering,
anslag), the signatures and the archive copy.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from arshjul.store.models.base import Base


class Decision(Base):
    """A committee decision with its paragraph in the meeting's protocol ("§ 12")."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(300), unique=True)
    workflow_id: Mapped[str] = mapped_column(String(300), index=True)
    org_id: Mapped[str] = mapped_column(String(64))
    committee_id: Mapped[str] = mapped_column(String(64))
    meeting: Mapped[dt.date] = mapped_column(Date)
    paragraph: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(320))
    submission_id: Mapped[int | None] = mapped_column(Integer)
    decided_at: Mapped[dt.datetime]
    # The meeting's year: § run on through the committee's year (§ 1 at its first meeting).
    # NULL on decisions recorded before numbering per year (then § ran per meeting).
    year: Mapped[int | None] = mapped_column(Integer)
    # The decision as the protocol states it ("Kommunstyrelsens arbetsutskott beslutar att …").
    decision_text: Mapped[str | None] = mapped_column(Text)
    # The committee the decision passes the report on to (approved at a step, or forwarded).
    to_committee_id: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        UniqueConstraint("org_id", "committee_id", "meeting", "paragraph"),
        # An index, not a constraint: SQLite adds it without rebuilding the guarded table.
        Index(
            "ix_decisions_year_paragraph",
            "org_id",
            "committee_id",
            "year",
            "paragraph",
            unique=True,
        ),
    )


class Meeting(Base):
    """A committee's meeting (sammanträde) and its protocol: attendance, justering, anslag.

    Once `justerat_at` is set the protocol is locked: triggers refuse every change except
    recording the anslag (once) and the archive copy's hash (once).
    """

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(String(64))
    committee_id: Mapped[str] = mapped_column(String(64))
    meeting: Mapped[dt.date] = mapped_column(Date)
    starts_at: Mapped[str | None] = mapped_column(String(5))  # "08:30", local time
    ends_at: Mapped[str | None] = mapped_column(String(5))
    place: Mapped[str | None] = mapped_column(String(300))
    chair_email: Mapped[str | None] = mapped_column(String(320))  # ordförande at the meeting
    secretary_email: Mapped[str | None] = mapped_column(String(320))  # protokollförare
    # {"present": [{"name", "email"}], "substitutes": [...], "others": [{"name", "role"}]}
    attendance: Mapped[dict[str, Any]]
    # The justerare chosen at the meeting, by email (one or two).
    adjusters: Mapped[list[str]] = mapped_column(JSON)
    justerat_at: Mapped[dt.datetime | None]
    anslag_date: Mapped[dt.date | None] = mapped_column(Date)
    anslag_by: Mapped[str | None] = mapped_column(String(320))
    appeal_until: Mapped[dt.date | None] = mapped_column(Date)
    archive_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime]

    __table_args__ = (UniqueConstraint("org_id", "committee_id", "meeting"),)


class ProtocolSignature(Base):
    """A signature (justering) of a meeting's protocol by the ordförande or a justerare.

    It names the protocol content it was given on: a signature of an earlier text does not count.
    """

    __tablename__ = "protocol_signatures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # "ordforande" | "justerare"
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(300))
    content_sha256: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[dt.datetime]

    __table_args__ = (UniqueConstraint("meeting_id", "email", "content_sha256"),)


class ProtocolArchive(Base):
    """The archive copy of a justerat protocol (PDF/A) with its hash; never changed."""

    __tablename__ = "protocol_archives"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), unique=True)
    media_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[dt.datetime]


class DelegationParagraph(Base):
    """The § of a meeting's protocol that reports the delegationsbeslut (KL 6 kap. 40 §).

    One per meeting, numbered in the committee's year like the decisions (`DecisionRepository`
    counts these too); made with the meeting's first reported decision and kept after.
    """

    __tablename__ = "delegation_paragraphs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(String(64))
    committee_id: Mapped[str] = mapped_column(String(64))
    meeting: Mapped[dt.date] = mapped_column(Date)
    year: Mapped[int] = mapped_column(Integer)
    paragraph: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[dt.datetime]

    __table_args__ = (
        UniqueConstraint("org_id", "committee_id", "meeting"),
        Index(
            "ix_delegation_paragraphs_year_paragraph",
            "org_id",
            "committee_id",
            "year",
            "paragraph",
            unique=True,
        ),
    )


class DelegationDecision(Base):
    """A decision taken by delegation and reported to the committee at a meeting."""

    __tablename__ = "delegation_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    paragraph_id: Mapped[int] = mapped_column(ForeignKey("delegation_paragraphs.id"), index=True)
    decided_on: Mapped[dt.date] = mapped_column(Date)
    decided_by: Mapped[str] = mapped_column(String(300))  # beslutsfattare (delegat)
    matter: Mapped[str] = mapped_column(Text)  # ärende
    reference: Mapped[str] = mapped_column(String(100))  # the decision's diarienummer or id
    recorded_by: Mapped[str] = mapped_column(String(320))
    recorded_at: Mapped[dt.datetime]

    __table_args__ = (UniqueConstraint("paragraph_id", "reference"),)


class CaseProceedings(Base):
    """How one case was handled at one meeting besides the decision: jäv, yrkanden, a vote,
    reservations and protokollsanteckningar (arshjul.protocol.proceedings, as JSON)."""

    __tablename__ = "case_proceedings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(String(64))
    committee_id: Mapped[str] = mapped_column(String(64))
    meeting: Mapped[dt.date] = mapped_column(Date)
    workflow_id: Mapped[str] = mapped_column(String(300))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_by: Mapped[str] = mapped_column(String(320))
    updated_at: Mapped[dt.datetime]

    __table_args__ = (UniqueConstraint("org_id", "committee_id", "meeting", "workflow_id"),)
