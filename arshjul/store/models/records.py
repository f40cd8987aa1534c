"""What arshjul keeps to prove what happened: every mail sent, the audit log, the links' tokens
and the compiled reports.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from arshjul.store.models.base import Base


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


class RetentionPermit(Base):
    """Written and removed inside one gallring transaction: while it exists, the append-only
    triggers let a DELETE through for rows of its table older than its cutoff."""

    __tablename__ = "retention_permits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    table_name: Mapped[str] = mapped_column(String(64))
    cutoff: Mapped[dt.datetime]
