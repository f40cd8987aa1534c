"""What the calendar feeds last published per event, so a moved event's SEQUENCE rises."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from arshjul.store.models.base import Base


class PublishedEvent(Base):
    """One calendar event (UID) as subscribers last got it: start, summary, SEQUENCE."""

    __tablename__ = "published_events"

    org_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    uid: Mapped[str] = mapped_column(String(400), primary_key=True)
    start: Mapped[str] = mapped_column(String(32))
    summary: Mapped[str] = mapped_column(Text)
    sequence: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[dt.datetime]
