"""The anslagstavla as an Atom feed (RFC 4287), built with lxml: one entry per notice on the board.

Ids are UUID URNs derived from the kommun, committee and meeting, so they stay the same if the
web's address changes; `updated` is when the notice went up (its anslag day, or the archive copy
if that came later).
"""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from lxml import etree

from arshjul.swedish import date_sv
from arshjul.web.anslagstavla.notices import Board, Notice

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"


def _urn(*parts: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, "arshjul:" + "/".join(parts)).urn


def _stamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def notice_updated(notice: Notice, timezone: str) -> dt.datetime:
    """When the notice went up: the start of its anslag day, or the archive copy if later."""
    start = dt.datetime.combine(notice.anslag, dt.time(0, 0), tzinfo=ZoneInfo(timezone))
    return max(start, notice.archived_at)


def summary_sv(notice: Notice) -> str:
    """The notice's text as the anslagstavla words it (KL 8 kap. 12 §)."""
    return (
        f"{notice.committee_name}: protokollet från sammanträdet {date_sv(notice.meeting)} "
        f"är justerat {date_sv(notice.justerat)}. Anslaget sattes upp {date_sv(notice.anslag)} "
        f"och tas ned efter {date_sv(notice.appeal_until)}. Protokollet förvaras hos "
        f"{notice.kept_at}. Sista dag för överklagande: {date_sv(notice.appeal_until)}."
    )


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def board_feed(board: Board, *, org_id: str, org_name: str, base_url: str, timezone: str) -> bytes:
    """Renders the notices on the board as an Atom feed (UTF-8 bytes)."""
    base = base_url.rstrip("/")
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    feed.set("{http://www.w3.org/XML/1998/namespace}lang", "sv")
    _sub(feed, "id", _urn(org_id, "anslagstavla"))
    _sub(feed, "title", f"Anslagstavla – {org_name}")
    _sub(feed, "subtitle", "Tillkännagivanden om justerade protokoll (kommunallagen 8 kap. 12 §)")
    stamps = [notice_updated(n, timezone) for n in board.up]
    # An empty board changed last when its last notice came down: the start of today.
    empty_since = dt.datetime.combine(board.today, dt.time(0, 0), tzinfo=ZoneInfo(timezone))
    _sub(feed, "updated", _stamp(max(stamps) if stamps else empty_since))
    _sub(
        feed, "link", rel="self", type="application/atom+xml", href=f"{base}/anslagstavla/atom.xml"
    )
    _sub(feed, "link", rel="alternate", type="text/html", href=f"{base}/anslagstavla")
    author = _sub(feed, "author")
    _sub(author, "name", org_name)
    for notice, updated in zip(board.up, stamps, strict=True):
        entry = _sub(feed, "entry")
        _sub(entry, "id", _urn(org_id, "anslag", notice.committee_id, notice.meeting.isoformat()))
        _sub(entry, "title", f"Justerat protokoll: {notice.title}")
        _sub(entry, "updated", _stamp(updated))
        _sub(entry, "published", _stamp(updated))
        _sub(
            entry,
            "link",
            rel="alternate",
            type="text/html",
            href=f"{base}/anslagstavla#anslag-{notice.id}",
        )
        _sub(
            entry,
            "link",
            rel="enclosure",
            type="application/pdf",
            href=f"{base}/anslagstavla/{notice.id}.pdf",
            title=notice.pdf_name,
        )
        _sub(entry, "summary", summary_sv(notice), type="text")
    return etree.tostring(feed, xml_declaration=True, encoding="utf-8", pretty_print=True)
