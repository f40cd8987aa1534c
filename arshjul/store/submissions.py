"""Submissions (every version kept), drafts and attachments."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from arshjul.forms.content import ReportContent
from arshjul.models.rounds import RoundState
from arshjul.store.db import utc_now
from arshjul.store.models import (
    DELIVERY_DELIVERED,
    DELIVERY_PENDING,
    DELIVERY_REJECTED,
    Attachment,
    Draft,
    Round,
    Submission,
)

APPROVED_STATES = (str(RoundState.APPROVED), str(RoundState.ACCEPTED))


class RoundIdError(ValueError):
    """The workflow id is not a round's id (round/org/report/period/unit)."""


def parse_round_id(workflow_id: str) -> tuple[str, str, str, str]:
    """Splits a round's workflow id into (org_id, report_id, period, unit_id)."""
    parts = workflow_id.split("/")
    if len(parts) != 5 or parts[0] != "round" or not all(parts[1:]):
        raise RoundIdError(f"not a round workflow id: {workflow_id!r}")
    return parts[1], parts[2], parts[3], parts[4]


def content_json(content: ReportContent) -> dict[str, Any]:
    """Returns the JSON form stored for a submission's content."""
    return content.model_dump(mode="json")


def content_sha256(content: ReportContent) -> str:
    """Returns the hash that the workflow carries for a submission (canonical JSON)."""
    canonical = json.dumps(content_json(content), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


class SubmissionRepository:
    """Stores every version of a round's submission; versions are never changed or removed."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add_version(
        self,
        *,
        workflow_id: str,
        content: ReportContent,
        submitted_by: str,
        version: int | None = None,
    ) -> Submission:
        """Stores the next version (or exactly `version`) as pending delivery, and returns it.

        Two writers storing the same number collide on the unique (workflow_id, version).
        """
        org_id, report_id, period, unit_id = parse_round_id(workflow_id)
        latest = (
            (version - 1)
            if version is not None
            else self.session.scalar(
                select(func.max(Submission.version)).where(Submission.workflow_id == workflow_id)
            )
        )
        submission = Submission(
            workflow_id=workflow_id,
            org_id=org_id,
            report_id=report_id,
            period=period,
            unit_id=unit_id,
            version=(latest or 0) + 1,
            content=content_json(content),
            sha256=content_sha256(content),
            submitted_by=submitted_by,
            submitted_at=utc_now(),
            delivery_status=DELIVERY_PENDING,
        )
        self.session.add(submission)
        self.session.flush()
        return submission

    def get(self, *, submission_id: int) -> Submission | None:
        """Gets a submission by its id."""
        return self.session.get(Submission, submission_id)

    def latest(self, *, workflow_id: str) -> Submission | None:
        """Gets the round's newest version, whatever its delivery status."""
        query = (
            select(Submission)
            .where(Submission.workflow_id == workflow_id)
            .order_by(Submission.version.desc())
            .limit(1)
        )
        return self.session.scalar(query)

    def versions(self, *, workflow_id: str) -> list[Submission]:
        """Lists every version of the round, oldest first."""
        query = (
            select(Submission)
            .where(Submission.workflow_id == workflow_id)
            .order_by(Submission.version)
        )
        return list(self.session.scalars(query))

    def latest_for(
        self, *, report_id: str, period: str, approved_only: bool, org_id: str | None = None
    ) -> list[Submission]:
        """Lists one submission per unit for a report and period, ordered by unit.

        With approved_only, only rounds approved or accepted count, with the version the
        workflow holds; otherwise the newest delivered version of each round.
        """
        if approved_only:
            query = (
                select(Submission)
                .join(Round, Round.submission_id == Submission.id)
                .where(Round.report_id == report_id, Round.period == period)
                .where(Round.state.in_(APPROVED_STATES))
            )
            if org_id is not None:
                query = query.where(Round.org_id == org_id)
            return list(self.session.scalars(query.order_by(Submission.unit_id)))
        newest = (
            select(Submission.workflow_id, func.max(Submission.version).label("version"))
            .where(Submission.report_id == report_id, Submission.period == period)
            .where(Submission.delivery_status == DELIVERY_DELIVERED)
            .group_by(Submission.workflow_id)
        )
        if org_id is not None:
            newest = newest.where(Submission.org_id == org_id)
        sub = newest.subquery()
        query = select(Submission).join(
            sub,
            (Submission.workflow_id == sub.c.workflow_id) & (Submission.version == sub.c.version),
        )
        return list(self.session.scalars(query.order_by(Submission.unit_id)))

    def held_by_rounds(
        self, *, report_id: str, period: str, org_id: str | None = None
    ) -> list[Submission]:
        """Lists the version each round of a report period holds (the workflow took it, even if
        the web has not yet marked it delivered), ordered by unit."""
        query = (
            select(Submission)
            .join(Round, Round.submission_id == Submission.id)
            .where(Round.report_id == report_id, Round.period == period)
            .where(Round.state != str(RoundState.CANCELLED))
        )
        if org_id is not None:
            query = query.where(Round.org_id == org_id)
        return list(self.session.scalars(query.order_by(Submission.unit_id)))

    def pending_deliveries(self, *, limit: int = 500) -> list[Submission]:
        """Lists versions stored but not yet accepted or refused by their workflow, oldest first."""
        query = (
            select(Submission)
            .where(Submission.delivery_status == DELIVERY_PENDING)
            .order_by(Submission.submitted_at, Submission.id)
            .limit(limit)
        )
        return list(self.session.scalars(query))

    def mark_delivered(self, *, submission_id: int) -> Submission:
        """Records that the workflow accepted the version."""
        submission = self._get(submission_id)
        submission.delivery_status = DELIVERY_DELIVERED
        submission.delivery_message = None
        submission.delivered_at = utc_now()
        self.session.flush()
        return submission

    def mark_rejected(self, *, submission_id: int, message: str) -> Submission:
        """Records that the workflow refused the version (the content stays, with the reason)."""
        submission = self._get(submission_id)
        submission.delivery_status = DELIVERY_REJECTED
        submission.delivery_message = message
        submission.delivered_at = utc_now()
        self.session.flush()
        return submission

    def _get(self, submission_id: int) -> Submission:
        submission = self.session.get(Submission, submission_id)
        if submission is None:
            raise LookupError(f"no submission {submission_id}")
        return submission


class DraftRepository:
    """Keeps the one draft of each round."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def save(self, *, workflow_id: str, content: dict[str, Any], saved_by: str) -> Draft:
        """Saves (overwrites) the round's draft."""
        draft = self.session.get(Draft, workflow_id)
        if draft is None:
            draft = Draft(workflow_id=workflow_id)
            self.session.add(draft)
        draft.content = content
        draft.saved_by = saved_by
        draft.saved_at = utc_now()
        self.session.flush()
        return draft

    def get(self, *, workflow_id: str) -> Draft | None:
        """Gets the round's draft, if any."""
        return self.session.get(Draft, workflow_id)

    def delete(self, *, workflow_id: str) -> None:
        """Removes the draft (after its content has been submitted)."""
        draft = self.session.get(Draft, workflow_id)
        if draft is not None:
            self.session.delete(draft)
            self.session.flush()


class AttachmentRepository:
    """Stores attachment bytes in SQL, found again by round and sha256."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self, *, workflow_id: str, name: str, content_type: str, data: bytes, uploaded_by: str
    ) -> Attachment:
        """Stores an attachment; the same bytes uploaded twice to a round are stored once."""
        sha = hashlib.sha256(data).hexdigest()
        existing = self.get(workflow_id=workflow_id, sha256=sha)
        if existing is not None:
            return existing
        attachment = Attachment(
            workflow_id=workflow_id,
            name=name,
            size=len(data),
            content_type=content_type,
            sha256=sha,
            data=data,
            uploaded_by=uploaded_by,
            uploaded_at=utc_now(),
        )
        self.session.add(attachment)
        self.session.flush()
        return attachment

    def get(self, *, workflow_id: str, sha256: str) -> Attachment | None:
        """Gets a round's attachment by its hash."""
        query = select(Attachment).where(
            Attachment.workflow_id == workflow_id, Attachment.sha256 == sha256
        )
        return self.session.scalar(query)

    def list_for_round(self, *, workflow_id: str) -> list[Attachment]:
        """Lists a round's attachments in upload order."""
        query = (
            select(Attachment).where(Attachment.workflow_id == workflow_id).order_by(Attachment.id)
        )
        return list(self.session.scalars(query))
