"""The SQL records: organisation and people, rounds, submissions, decisions, mail, audit, tokens.

Temporal owns process state; these tables mirror it for listing and keep what people need to
search and prove (every version, every decision, every mail, every change).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

DELIVERY_PENDING = "pending"
DELIVERY_DELIVERED = "delivered"
DELIVERY_REJECTED = "rejected"


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite hands back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        """Refuses a naive datetime and stores an aware one as UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use store.db.utc_now()")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        """Returns the stored time as an aware UTC datetime."""
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """The declarative base of every table: constraint names and the UTC and JSON column types."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: UtcDateTime, dict[str, Any]: JSON}


# --- organisation, from the configuration ----------------------------------------------------


class Organisation(Base):
    """The organisation as last synced from the configuration."""

    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    timezone: Mapped[str] = mapped_column(String(64))
    synced_at: Mapped[dt.datetime]
    # The role every mail names as the contact for questions (from the configuration).
    contact_role: Mapped[str | None] = mapped_column(String(64))
    # The roles the weekly digest goes to, comma-separated (none: no digest).
    digest_roles: Mapped[str | None] = mapped_column(String(500))


class Unit(Base):
    """A unit (förvaltning, bolag) as last synced from the configuration."""

    __tablename__ = "units"

    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(32))
    chef_name: Mapped[str] = mapped_column(String(300))
    chef_email: Mapped[str] = mapped_column(String(320))
    # A unit removed from the configuration stays (old rounds name it) but is no longer active.
    active: Mapped[bool] = mapped_column(Boolean, default=True)


UNIT_RECIPIENT = "recipient"
UNIT_DEPUTY = "deputy"


class UnitPerson(Base):
    """Someone besides the configured chef who gets a unit's mails: always, or as deputy.

    A recipient gets every request, reminder and link of the unit. A deputy (ersättare) takes
    the chef's place from `starts` to `ends` (both included); set by the chef or the ekonomichef.
    """

    __tablename__ = "unit_people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(String(64))
    unit_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # UNIT_RECIPIENT | UNIT_DEPUTY
    email: Mapped[str] = mapped_column(String(320), index=True)  # lower-cased
    name: Mapped[str] = mapped_column(String(300))
    starts: Mapped[dt.date | None] = mapped_column(Date)
    ends: Mapped[dt.date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[dt.datetime]

    __table_args__ = (Index("ix_unit_people_org_unit", "org_id", "unit_id"),)


class Person(Base):
    """Everyone the configuration names; only these addresses may log in."""

    __tablename__ = "people"

    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    email: Mapped[str] = mapped_column(String(320), primary_key=True)  # lower-cased
    name: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Membership(Base):
    """What a person is: a unit's chef, a role holder, a committee member or secretary."""

    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    # "unit_chef" | "role" | "committee_member" | "committee_secretary"
    kind: Mapped[str] = mapped_column(String(32))
    ref_id: Mapped[str] = mapped_column(String(64))  # unit, role or committee id
    ref_title: Mapped[str] = mapped_column(String(300))

    __table_args__ = (UniqueConstraint("org_id", "email", "kind", "ref_id"),)


# --- rounds and their records ----------------------------------------------------------------


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


class SentMail(Base):
    """Proof of every mail handed to the SMTP server; the key makes a retry send nothing new."""

    __tablename__ = "sent_mail"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(300), unique=True)
    workflow_id: Mapped[str | None] = mapped_column(String(300), index=True)
    template: Mapped[str] = mapped_column(String(32))
    recipients: Mapped[str] = mapped_column(Text)  # comma-separated addresses
    subject: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(300))
    smtp_response: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[dt.datetime]


class AuditEntry(Base):
    """Append-only: database triggers refuse UPDATE and DELETE."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    time: Mapped[dt.datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(64))
    workflow_id: Mapped[str | None] = mapped_column(String(300), index=True)
    # Position in the workflow's history; with workflow_id the idempotency key of record_event.
    seq: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("workflow_id", "seq"),)


class LinkToken(Base):
    """A link's token: only its HMAC is stored, with its scope and expiry."""

    __tablename__ = "link_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(32))
    workflow_id: Mapped[str | None] = mapped_column(String(300))
    unit_id: Mapped[str | None] = mapped_column(String(64))
    email: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]


class Compilation(Base):
    """A compiled report (all units of a report and period) and the versions it was built from."""

    __tablename__ = "compilations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(String(64))
    report_id: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(7))
    format: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime]
    created_by: Mapped[str] = mapped_column(String(320))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    inputs: Mapped[dict[str, Any]]  # {"submissions": [{"id": .., "version": .., "sha256": ..}]}

    __table_args__ = (Index("ix_compilations_report_period", "report_id", "period"),)


# --- the annual cycle's plans --------------------------------------------------------------


class CyclePlan(Base):
    """A year's plan (every RoundSpec), stored once under its sha256 and never changed.

    The annual cycle carries only the hash; a changed configuration is a new plan.
    """

    __tablename__ = "cycle_plans"

    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    org_id: Mapped[str] = mapped_column(String(64))
    year: Mapped[int] = mapped_column(Integer)
    rounds: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime]

    __table_args__ = (Index("ix_cycle_plans_org_year", "org_id", "year"),)


class CyclePlanRound(Base):
    """One round of a plan, found by its opening instant (the cycle opens a slot page by page)."""

    __tablename__ = "cycle_plan_rounds"

    plan_hash: Mapped[str] = mapped_column(ForeignKey("cycle_plans.hash"), primary_key=True)
    workflow_id: Mapped[str] = mapped_column(String(300), primary_key=True)
    slot: Mapped[dt.datetime]
    spec: Mapped[dict[str, Any]]

    __table_args__ = (Index("ix_cycle_plan_rounds_slot", "plan_hash", "slot", "workflow_id"),)


# --- figures from the ledger ------------------------------------------------------------------


class LedgerImport(Base):
    """One ledger file read for one period; the same file and period are imported only once."""

    __tablename__ = "ledger_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    file_name: Mapped[str] = mapped_column(String(255))
    file_format: Mapped[str] = mapped_column(String(8))  # sie | csv | xlsx
    sha256: Mapped[str] = mapped_column(String(64))
    # Where the figures came from, as the form shows it ("SIE-fil från Raindance …").
    source: Mapped[str] = mapped_column(String(500))
    generated_on: Mapped[dt.date | None] = mapped_column(Date)
    imported_at: Mapped[dt.datetime]
    imported_by: Mapped[str] = mapped_column(String(320))
    units: Mapped[int] = mapped_column(Integer)

    __table_args__ = (UniqueConstraint("org_id", "period", "sha256"),)


class LedgerFigure(Base):
    """A unit's budget and utfall for a period as one import found them (tkr, net cost)."""

    __tablename__ = "ledger_figures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("ledger_imports.id"), index=True)
    org_id: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(7))
    unit_id: Mapped[str] = mapped_column(String(64))
    codes: Mapped[str] = mapped_column(Text)  # the ledger codes summed, comma-separated
    budget_tkr: Mapped[Decimal | None] = mapped_column(Numeric(14, 1))
    utfall_tkr: Mapped[Decimal] = mapped_column(Numeric(14, 1))

    __table_args__ = (Index("ix_ledger_figures_unit_period", "org_id", "unit_id", "period"),)


# --- who is let in: web sessions and rate limits, shared by every web process -----------------


class WebSession(Base):
    """A login session: the cookie holds a random token, only its SHA-256 is stored here."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    method: Mapped[str] = mapped_column(String(32))  # how the person logged in: magic_link, oidc
    # What the municipality's IdP said of the person ({"name": …, "values": [role claim values]});
    # None for a magic-link session. Roles are mapped from it through the YAML on every request.
    idp: Mapped[dict[str, Any] | None]
    created_at: Mapped[dt.datetime]
    last_seen_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]


class RateLimitHit(Base):
    """One counted attempt (a login-link request) under a key such as "login-client:10.0.0.7"."""

    __tablename__ = "rate_limit_hits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(400))
    at: Mapped[dt.datetime]

    __table_args__ = (Index("ix_rate_limit_hits_key_at", "key", "at"),)
