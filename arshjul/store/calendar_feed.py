"""The calendar as subscribers get it, from the store: the rounds' live deadlines over the plan,
each event's SEQUENCE raised when it moved since last published. `arshjul calendar ics` and the
web's feeds both call `feed_entries`, so they never drift apart."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.expand import CalendarEntry
from arshjul.calendar.feeds import LiveDeadline, Published, calendar_entries, sequenced
from arshjul.models.rounds import deadline_uid
from arshjul.store.db import utc_now
from arshjul.store.models import PublishedEvent
from arshjul.store.rounds import RoundRepository

log = logging.getLogger(__name__)


class PublishedEventRepository:
    """Reads and writes what the feeds last published per event UID."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def load(self, *, org_id: str) -> dict[str, Published]:
        """Returns every published event of an organisation by UID."""
        rows = self.session.scalars(select(PublishedEvent).where(PublishedEvent.org_id == org_id))
        return {
            r.uid: Published(
                uid=r.uid,
                start=r.start,
                summary=r.summary,
                sequence=r.sequence,
                changed_at=r.changed_at,
            )
            for r in rows
        }

    def save(self, *, org_id: str, records: Iterable[Published]) -> None:
        """Stores the records; one another process stored first (same feed, same moment) wins."""
        for record in records:
            try:
                with self.session.begin_nested():
                    row = self.session.get(PublishedEvent, (org_id, record.uid))
                    if row is None:
                        row = PublishedEvent(org_id=org_id, uid=record.uid)
                        self.session.add(row)
                    row.start, row.summary = record.start, record.summary
                    row.sequence, row.changed_at = record.sequence, record.changed_at
            except IntegrityError:
                log.info("published event %s stored by another process", record.uid)


def live_deadlines(
    session: Session, org_id: str, unit: str | None = None
) -> dict[str, LiveDeadline]:
    """Returns the rounds' deadlines as the store mirror has them (demonstration rounds aside)."""
    rows = RoundRepository(session).list(org_id=org_id, unit_id=unit)
    return {
        (uid := deadline_uid(r.org_id, r.report_id, r.period, r.unit_id)): LiveDeadline(
            uid=uid,
            due=r.due,
            sequence=r.due_sequence or 0,
            modified=r.due_changed_at,
            cancelled=r.state == "cancelled",
            report=r.report_id,
            report_title=r.report_title,
            period=r.period,
            unit=r.unit_id,
            unit_name=r.unit_name,
        )
        for r in rows
        if not r.demo
    }


def feed_entries(
    session: Session | None,
    config: ArshjulConfig,
    years: Iterable[int],
    *,
    unit: str | None = None,
    ref: str | None = None,
    link: str | None = None,
    now: dt.datetime | None = None,
) -> list[CalendarEntry]:
    """Returns a calendar's events (see `calendar_entries`) with the live deadlines and SEQUENCEs
    of the store, and records what it published; without a store (None, or one not migrated
    yet) the plan alone."""
    org = config.organisation.id
    if session is None:
        return calendar_entries(config, years, {}, unit=unit, ref=ref, link=link)
    try:
        live = live_deadlines(session, org, unit)
        published = PublishedEventRepository(session).load(org_id=org)
    except SQLAlchemyError as err:  # a store not migrated yet: the plan alone still serves
        log.warning("calendar without the store: %s", err)
        session.rollback()
        return calendar_entries(config, years, {}, unit=unit, ref=ref, link=link)
    entries = calendar_entries(config, years, live, unit=unit, ref=ref, link=link)
    result, changed = sequenced(entries, published, now or utc_now())
    PublishedEventRepository(session).save(org_id=org, records=changed)
    return result
