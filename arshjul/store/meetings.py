"""Meetings and their protocols: details, signatures (justering), anslag and the archive copy."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from arshjul.store.db import utc_now
from arshjul.store.models import Meeting, ProtocolArchive, ProtocolSignature

EMPTY_ATTENDANCE: dict[str, list[Any]] = {"present": [], "substitutes": [], "others": []}


class MeetingRepository:
    """A committee's meetings; the database refuses changes to a justerat protocol."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, *, org_id: str, committee_id: str, meeting: dt.date) -> Meeting | None:
        """Gets the meeting row, if anything has been recorded for it yet."""
        return self.session.scalar(
            select(Meeting).where(
                Meeting.org_id == org_id,
                Meeting.committee_id == committee_id,
                Meeting.meeting == meeting,
            )
        )

    def get_or_create(
        self,
        *,
        org_id: str,
        committee_id: str,
        meeting: dt.date,
        chair_email: str | None = None,
        secretary_email: str | None = None,
        starts_at: str | None = None,
        place: str | None = None,
    ) -> Meeting:
        """Gets the meeting row, creating it with the configured ordförande, secretary, time and
        place."""
        row = self.get(org_id=org_id, committee_id=committee_id, meeting=meeting)
        if row is not None:
            return row
        row = Meeting(
            org_id=org_id,
            committee_id=committee_id,
            meeting=meeting,
            chair_email=chair_email,
            secretary_email=secretary_email,
            starts_at=starts_at,
            place=place,
            attendance={k: list(v) for k, v in EMPTY_ATTENDANCE.items()},
            adjusters=[],
            created_at=utc_now(),
        )
        self.session.add(row)
        self.session.flush()
        return row

    def list_for_committee(self, *, org_id: str, committee_id: str) -> list[Meeting]:
        """Lists the committee's recorded meetings, newest first."""
        query = select(Meeting).where(
            Meeting.org_id == org_id, Meeting.committee_id == committee_id
        )
        return list(self.session.scalars(query.order_by(Meeting.meeting.desc())))

    def posted(self, *, org_id: str, since: dt.date) -> list[tuple[Meeting, dt.datetime]]:
        """Lists the meetings whose anslag is recorded, appeal time ending on `since` or later,
        with the time their archive copy was made; newest anslag first."""
        query = (
            select(Meeting, ProtocolArchive.created_at)
            .join(ProtocolArchive, ProtocolArchive.meeting_id == Meeting.id)
            .where(
                Meeting.org_id == org_id,
                Meeting.justerat_at.is_not(None),
                Meeting.anslag_date.is_not(None),
                Meeting.appeal_until >= since,
            )
            .order_by(Meeting.anslag_date.desc(), Meeting.id.desc())
        )
        return [(m, at) for m, at in self.session.execute(query)]

    def signatures(self, *, meeting_id: int) -> list[ProtocolSignature]:
        """Lists every signature given on the meeting's protocol, oldest first."""
        query = select(ProtocolSignature).where(ProtocolSignature.meeting_id == meeting_id)
        return list(self.session.scalars(query.order_by(ProtocolSignature.id)))

    def add_signature(
        self,
        *,
        meeting: Meeting,
        role: str,
        email: str,
        name: str,
        content_sha256: str,
        at: dt.datetime | None = None,
    ) -> ProtocolSignature:
        """Records a signature on the protocol's current content."""
        signature = ProtocolSignature(
            meeting_id=meeting.id,
            role=role,
            email=email,
            name=name,
            content_sha256=content_sha256,
            signed_at=at or utc_now(),
        )
        self.session.add(signature)
        self.session.flush()
        return signature

    def archive(self, *, meeting_id: int) -> ProtocolArchive | None:
        """Gets the archive copy of the meeting's protocol, if made."""
        return self.session.scalar(
            select(ProtocolArchive).where(ProtocolArchive.meeting_id == meeting_id)
        )

    def add_archive(
        self, *, meeting: Meeting, content: bytes, media_type: str, created_by: str
    ) -> ProtocolArchive:
        """Stores the archive copy and its hash on the meeting (both written once)."""
        sha = hashlib.sha256(content).hexdigest()
        archive = ProtocolArchive(
            meeting_id=meeting.id,
            media_type=media_type,
            content=content,
            sha256=sha,
            created_by=created_by,
            created_at=utc_now(),
        )
        self.session.add(archive)
        meeting.archive_sha256 = sha
        self.session.flush()
        return archive
