"""Counts for the operations dashboard: rounds by state, mails sent and failed, pending versions."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from arshjul.store.models import DELIVERY_PENDING, AuditEntry, Round, SentMail, Submission

MAIL_FAILED = "mail_failed"  # the audit action of a mail the SMTP server refused for good


def rounds_by_state(session: Session) -> dict[tuple[str, str], int]:
    """Counts the mirrored rounds per (organisation, state)."""
    query = select(Round.org_id, Round.state, func.count()).group_by(Round.org_id, Round.state)
    return {(org, state): count for org, state, count in session.execute(query)}


def mails_sent(session: Session) -> dict[str, int]:
    """Counts the mails the SMTP server accepted, per template."""
    query = select(SentMail.template, func.count()).group_by(SentMail.template)
    return {template: count for template, count in session.execute(query)}


def mails_failed(session: Session) -> int:
    """Counts the mails given up on (refused for good by the SMTP server or a bad address)."""
    query = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == MAIL_FAILED)
    return session.scalar(query) or 0


def pending_submissions(session: Session) -> int:
    """Counts the stored versions Temporal has not taken yet."""
    query = (
        select(func.count())
        .select_from(Submission)
        .where(Submission.delivery_status == DELIVERY_PENDING)
    )
    return session.scalar(query) or 0
