"""Decisions and their protocol paragraphs, sent mail, link tokens and compiled reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from arshjul.models.effects import DecisionReceipt, DecisionRecord
from arshjul.store.db import utc_now
from arshjul.store.delegations import last_paragraph
from arshjul.store.models import Compilation, Decision, LinkToken, SentMail
from arshjul.store.submissions import parse_round_id


class DecisionRepository:
    """Records committee decisions, numbering paragraphs through the committee's year."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def record(
        self, record: DecisionRecord, *, decision_text: str | None = None
    ) -> DecisionReceipt:
        """Stores a decision once per idempotency key and returns its id and paragraph (§).

        § run on through the committee's year: the first decision of the year is § 1, the next
        meeting continues where the last one ended.
        """
        existing = self.session.scalar(
            select(Decision).where(Decision.idempotency_key == record.idempotency_key)
        )
        if existing is not None:
            return DecisionReceipt(decision_id=existing.id, paragraph=existing.paragraph)
        org_id = parse_round_id(record.workflow_id)[0]
        # Two writers racing for the same § hit the unique constraint; the activity retries.
        year = record.meeting.year
        # The year's delegation §§ (anmälan av delegationsbeslut) count as well.
        last = last_paragraph(
            self.session, org_id=org_id, committee_id=record.committee_id, year=year
        )
        decision = Decision(
            idempotency_key=record.idempotency_key,
            workflow_id=record.workflow_id,
            org_id=org_id,
            committee_id=record.committee_id,
            meeting=record.meeting,
            paragraph=(last or 0) + 1,
            outcome=record.outcome,
            reason=record.reason,
            decided_by=record.decided_by,
            submission_id=record.submission_id,
            decided_at=record.time,
            year=year,
            decision_text=decision_text,
            to_committee_id=record.to_committee_id,
        )
        self.session.add(decision)
        self.session.flush()
        return DecisionReceipt(decision_id=decision.id, paragraph=decision.paragraph)

    def list_for_meeting(
        self, *, committee_id: str, meeting: dt.date, org_id: str | None = None
    ) -> list[Decision]:
        """Lists a meeting's decisions in paragraph order."""
        query = select(Decision).where(
            Decision.committee_id == committee_id, Decision.meeting == meeting
        )
        if org_id is not None:
            query = query.where(Decision.org_id == org_id)
        return list(self.session.scalars(query.order_by(Decision.org_id, Decision.paragraph)))

    def list_since(self, *, org_id: str, committee_id: str, since: dt.date) -> list[Decision]:
        """Lists a committee's decisions at its meetings from `since` on, by meeting and §."""
        query = select(Decision).where(
            Decision.org_id == org_id,
            Decision.committee_id == committee_id,
            Decision.meeting >= since,
        )
        return list(self.session.scalars(query.order_by(Decision.meeting, Decision.paragraph)))

    def list_for_round(self, *, workflow_id: str) -> list[Decision]:
        """Lists a round's decisions in the order they were taken."""
        query = select(Decision).where(Decision.workflow_id == workflow_id)
        return list(self.session.scalars(query.order_by(Decision.decided_at, Decision.id)))


class MailRepository:
    """The sent-mail table: the proof of every mail and the guard against sending it twice."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, *, idempotency_key: str) -> SentMail | None:
        """Gets the mail sent under this key, if it was sent."""
        return self.session.scalar(
            select(SentMail).where(SentMail.idempotency_key == idempotency_key)
        )

    def record(
        self,
        *,
        idempotency_key: str,
        template: str,
        recipients: list[str],
        subject: str,
        message_id: str,
        smtp_response: str,
        workflow_id: str | None = None,
        sent_at: dt.datetime | None = None,
    ) -> SentMail:
        """Records a mail the SMTP server accepted."""
        mail = SentMail(
            idempotency_key=idempotency_key,
            template=template,
            recipients=", ".join(recipients),
            subject=subject,
            message_id=message_id,
            smtp_response=smtp_response,
            workflow_id=workflow_id,
            sent_at=sent_at or utc_now(),
        )
        self.session.add(mail)
        self.session.flush()
        return mail

    def list_for_round(self, *, workflow_id: str) -> list[SentMail]:
        """Lists the mails sent about a round, oldest first."""
        query = select(SentMail).where(SentMail.workflow_id == workflow_id)
        return list(self.session.scalars(query.order_by(SentMail.sent_at, SentMail.id)))

    def list_recent(self, *, limit: int = 100) -> list[SentMail]:
        """Lists the newest mails first."""
        query = select(SentMail).order_by(SentMail.id.desc()).limit(limit)
        return list(self.session.scalars(query))


class TokenRepository:
    """Stores link tokens by their HMAC; see arshjul.notifications.tokens for issuing them."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self,
        *,
        token_hash: str,
        purpose: str,
        expires_at: dt.datetime,
        workflow_id: str | None = None,
        unit_id: str | None = None,
        email: str | None = None,
    ) -> LinkToken:
        """Stores a token's hash with its scope and expiry."""
        token = LinkToken(
            token_hash=token_hash,
            purpose=purpose,
            workflow_id=workflow_id,
            unit_id=unit_id,
            email=email,
            created_at=utc_now(),
            expires_at=expires_at,
        )
        self.session.add(token)
        self.session.flush()
        return token

    def get(self, *, token_id: int) -> LinkToken | None:
        """Gets a token by its id."""
        return self.session.get(LinkToken, token_id)

    def get_by_hash(self, *, token_hash: str) -> LinkToken | None:
        """Gets a token by its hash."""
        return self.session.scalar(select(LinkToken).where(LinkToken.token_hash == token_hash))

    def delete(self, *, token_hash: str) -> None:
        """Removes a token that was never handed out (its mail failed to go)."""
        token = self.get_by_hash(token_hash=token_hash)
        if token is not None:
            self.session.delete(token)
            self.session.flush()

    def mark_used(self, *, token_id: int, at: dt.datetime | None = None) -> None:
        """Records when a token was used (a login link works once)."""
        token = self.session.get(LinkToken, token_id)
        if token is not None and token.used_at is None:
            token.used_at = at or utc_now()
            self.session.flush()


class CompilationRepository:
    """Compiled reports and the submission versions each was built from."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self,
        *,
        org_id: str,
        report_id: str,
        period: str,
        format: str,
        content: bytes,
        sha256: str,
        inputs: dict[str, Any],
        created_by: str,
        created_at: dt.datetime | None = None,
    ) -> Compilation:
        """Stores a compiled document."""
        compilation = Compilation(
            org_id=org_id,
            report_id=report_id,
            period=period,
            format=format,
            content=content,
            sha256=sha256,
            inputs=inputs,
            created_by=created_by,
            created_at=created_at or utc_now(),
        )
        self.session.add(compilation)
        self.session.flush()
        return compilation

    def get(self, *, compilation_id: int) -> Compilation | None:
        """Gets a compiled document by its id."""
        return self.session.get(Compilation, compilation_id)

    def find_by_key(
        self, *, org_id: str, report_id: str, period: str, key: str
    ) -> Compilation | None:
        """Gets the compilation made for a set of versions (see arshjul.compile.auto)."""
        for row in self.list(report_id=report_id, period=period, org_id=org_id):
            if row.inputs.get("key") == key:
                return row
        return None

    def for_agenda(self, *, org_id: str, report_id: str, period: str) -> Compilation | None:
        """Gets the compilation an agenda shows: the newest the workflow made or the newest final
        one made by hand, whichever is newer; else the newest of any kind."""
        rows = self.list(report_id=report_id, period=period, org_id=org_id)
        # A hand-made draft never hides the workflow's compilation of the same versions, and a
        # final compilation the ekonomichef made after the approvals wins over an older draft.
        chosen = (r for r in rows if r.inputs.get("key") or not r.inputs.get("draft"))
        return next(chosen, rows[0] if rows else None)

    def list(self, *, report_id: str, period: str, org_id: str | None = None) -> list[Compilation]:
        """Lists a report period's compilations, newest first."""
        query = select(Compilation).where(
            Compilation.report_id == report_id, Compilation.period == period
        )
        if org_id is not None:
            query = query.where(Compilation.org_id == org_id)
        return list(self.session.scalars(query.order_by(Compilation.id.desc())))
