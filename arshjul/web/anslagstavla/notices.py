"""What the anslagstavla shows: one notice per justerat protocol whose anslag is recorded.

A notice is on the board from its anslag day through the last day for appeal (KL 8 kap. 12 §),
then taken down; the meeting, its protocol and the archive copy stay in the store. Read in one
transaction, pure data after that.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from arshjul.calendar.appeal import on_the_board
from arshjul.calendar.config import ArshjulConfig
from arshjul.store.meetings import MeetingRepository
from arshjul.store.models import Meeting, ProtocolArchive
from arshjul.swedish import date_sv

# How long a taken-down notice stays listed under "Tidigare anslag".
EARLIER_FOR = dt.timedelta(days=365)


@dataclass(frozen=True)
class Notice:
    """One anslag: which protocol, when justerat and posted, where kept, until when appealable."""

    id: int  # the meeting's row id: the notice's address, /anslagstavla/<id>.pdf
    committee_id: str
    committee_name: str
    meeting: dt.date
    justerat: dt.date
    anslag: dt.date
    appeal_until: dt.date
    kept_at: str
    archived_at: dt.datetime  # when the archive copy (the PDF served) was made
    up: bool  # on the board today; False: taken down after the appeal time

    @property
    def title(self) -> str:
        """The notice's heading: "Kommunstyrelsen, sammanträde 6 oktober 2026"."""
        return f"{self.committee_name}, sammanträde {date_sv(self.meeting)}"

    @property
    def pdf_name(self) -> str:
        """The downloaded file's name."""
        return f"protokoll-{self.committee_id}-{self.meeting.isoformat()}.pdf"


@dataclass(frozen=True)
class Board:
    """The anslagstavla on one day: notices up now and those taken down in the last year."""

    today: dt.date
    up: list[Notice]
    earlier: list[Notice]


def _notice(
    config: ArshjulConfig, row: Meeting, archived_at: dt.datetime, today: dt.date
) -> Notice:
    committee = next((c for c in config.committees if c.id == row.committee_id), None)
    assert row.justerat_at is not None and row.anslag_date is not None
    assert row.appeal_until is not None
    zone = ZoneInfo(config.organisation.timezone)
    return Notice(
        id=row.id,
        committee_id=row.committee_id,
        committee_name=committee.name if committee else row.committee_id,
        meeting=row.meeting,
        justerat=row.justerat_at.astimezone(zone).date(),
        anslag=row.anslag_date,
        appeal_until=row.appeal_until,
        kept_at=config.organisation.protocol_kept_at_sv(),
        archived_at=archived_at,
        up=bool(on_the_board(row.anslag_date, row.appeal_until, today)),
    )


def read_board(session: Session, config: ArshjulConfig, today: dt.date) -> Board:
    """Reads the board as it stands on `today` (notices with a later anslag day not yet)."""
    rows = MeetingRepository(session).posted(
        org_id=config.organisation.id, since=today - EARLIER_FOR
    )
    notices = [_notice(config, row, at, today) for row, at in rows]
    # A notice whose anslag day is still to come is not on the board yet.
    notices = [n for n in notices if on_the_board(n.anslag, n.appeal_until, today) is not None]
    return Board(
        today=today,
        up=[n for n in notices if n.up],
        earlier=[n for n in notices if not n.up],
    )


def public_pdf(
    session: Session, config: ArshjulConfig, notice_id: int, today: dt.date
) -> tuple[Notice | None, bytes | None]:
    """Returns the notice and its archive copy while it is on the board; the notice alone once
    taken down; (None, None) for anything else (no such notice, not posted yet, another kommun)."""
    repo = MeetingRepository(session)
    row = session.get(Meeting, notice_id)
    if row is None or row.org_id != config.organisation.id:
        return None, None
    if row.justerat_at is None or row.anslag_date is None or row.appeal_until is None:
        return None, None
    archive: ProtocolArchive | None = repo.archive(meeting_id=row.id)
    if archive is None:
        return None, None
    notice = _notice(config, row, archive.created_at, today)
    if on_the_board(notice.anslag, notice.appeal_until, today) is None:
        return None, None
    return notice, archive.content if notice.up else None
