"""The anslagstavla over HTTP with the clock moved: the notice is up from the anslag day through
the last day for appeal, then listed under "Tidigare anslag"; its protocol is public only while
it is up; the Atom feed says the same and validates in an independent parser."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import feedparser
import pytest
from lxml import etree

from arshjul.calendar.appeal import last_day_for_appeal
from arshjul.protocol.justering import MeetingDetails, save_details, sign
from arshjul.store.repositories import MeetingRepository
from tests.protocol.conftest import ADJUSTER, CHAIR, MEETING, pdf_text
from tests.web.anslagstavla.conftest import ANSLAG, APPEAL_UNTIL, Board, post_protocol

ATOM = "{http://www.w3.org/2005/Atom}"


def _section(html: str, section_id: str) -> str:
    found = re.search(rf'<section id="{section_id}".*?</section>', html, re.S)
    assert found, f"no section {section_id}"
    return found.group(0)


def _meeting_id(board: Board) -> int:
    with board.committee.sessions() as session:
        row = MeetingRepository(session).get(
            org_id="hedemora", committee_id="ksau", meeting=MEETING
        )
        assert row is not None
        return row.id


def _archive_sha(board: Board) -> str:
    with board.committee.sessions() as session:
        row = MeetingRepository(session).get(
            org_id="hedemora", committee_id="ksau", meeting=MEETING
        )
        assert row is not None and row.archive_sha256
        return row.archive_sha256


async def _feed(board: Board) -> feedparser.FeedParserDict:
    answer = await board.http.get("/anslagstavla/atom.xml")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(answer.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    # The elements RFC 4287 requires, read from the XML itself.
    root = etree.fromstring(answer.content)
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated"):
        assert (root.findtext(f"{ATOM}{tag}") or "").strip(), f"feed without {tag}"
    assert root.find(f"{ATOM}author/{ATOM}name") is not None
    for entry in root.findall(f"{ATOM}entry"):
        for tag in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{tag}") or "").strip(), f"entry without {tag}"
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
    return parsed


async def test_the_notice_is_up_from_the_anslag_day_through_the_appeal_time(
    board: Board,
) -> None:
    assert last_day_for_appeal(ANSLAG) == APPEAL_UNTIL
    post_protocol(board.committee)
    notice = _meeting_id(board)
    pdf_path = f"/anslagstavla/{notice}.pdf"

    # The day before the anslag day: nothing yet, the protocol not public.
    board.clock.day = ANSLAG - dt.timedelta(days=1)
    page = await board.http.get("/anslagstavla")
    assert page.status_code == 200
    assert "Inga anslag finns på anslagstavlan just nu." in page.text
    assert "Kommunstyrelsens arbetsutskott" not in page.text
    assert (await board.http.get(pdf_path)).status_code == 404
    assert (await _feed(board)).entries == []

    # From the anslag day, with nobody logged in.
    for day in (ANSLAG, APPEAL_UNTIL):
        board.clock.day = day
        page = await board.http.get("/anslagstavla")
        up = _section(page.text, "aktuella")
        assert f'id="anslag-{notice}"' in up
        for words in (
            "Kommunstyrelsens arbetsutskott (KSAU), sammanträde 6 oktober 2026",
            "<dt>Justerat</dt><dd>8 oktober 2026</dd>",
            "<dt>Anslaget uppsatt</dt><dd>9 oktober 2026</dd>",
            "<dt>Sista dag för överklagande</dt><dd>30 oktober 2026</dd>",
            "Kommunkansliet, Hedemora kommun (exempel)",
        ):
            assert words in up, words
        assert f'href="{pdf_path}"' in up
        assert "Inga tidigare anslag." in _section(page.text, "tidigare")
        pdf = await board.http.get(pdf_path)
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        assert pdf.headers["cache-control"] == "no-cache"  # not served from a cache once down
        assert hashlib.sha256(pdf.content).hexdigest() == _archive_sha(board)  # the archive copy
        assert "Kommunstyrelsens arbetsutskott" in pdf_text(pdf.content)
        feed = await _feed(board)
        [entry] = feed.entries
        assert entry.title == (
            "Justerat protokoll: Kommunstyrelsens arbetsutskott (KSAU), sammanträde 6 oktober 2026"
        )
        assert "Sista dag för överklagande: 30 oktober 2026" in entry.summary
        assert entry.link == f"https://arshjul.example.org/anslagstavla#anslag-{notice}"
        assert [e.href for e in entry.enclosures] == [f"https://arshjul.example.org{pdf_path}"]
        first_id = entry.id

    # The day after the appeal time: taken down, still listed, the protocol no longer served.
    board.clock.day = APPEAL_UNTIL + dt.timedelta(days=1)
    page = await board.http.get("/anslagstavla")
    assert "Inga anslag finns på anslagstavlan just nu." in _section(page.text, "aktuella")
    earlier = _section(page.text, "tidigare")
    assert "Kommunstyrelsens arbetsutskott (KSAU), sammanträde 6 oktober 2026" in earlier
    assert "nedtaget efter 30 oktober 2026" in earlier
    assert pdf_path not in page.text
    gone = await board.http.get(pdf_path)
    assert gone.status_code == 410 and "Anslaget är nedtaget" in gone.text
    assert (await _feed(board)).entries == []
    # The record stays in the archive.
    assert _archive_sha(board)

    # Back on the board's days the entry has the same id (feed readers do not see it twice).
    board.clock.day = ANSLAG
    assert (await _feed(board)).entries[0].id == first_id


async def test_only_notices_on_the_board_are_served(board: Board) -> None:
    c = board.committee
    c.decide("sof", "approved")
    details = MeetingDetails(present=[CHAIR, ADJUSTER], adjusters=[ADJUSTER])
    with c.sessions.begin() as session:  # justerat, but the anslag is not recorded yet
        save_details(session, c.config, "ksau", MEETING, details)
        sign(session, c.config, "ksau", MEETING, email=CHAIR, name="Gunnar Ståhl")
        sign(session, c.config, "ksau", MEETING, email=ADJUSTER, name="Ingrid Falk")
    notice = _meeting_id(board)
    page = await board.http.get("/anslagstavla")
    assert "Inga anslag finns" in page.text and "Inga tidigare anslag." in page.text
    for path in (f"/anslagstavla/{notice}.pdf", "/anslagstavla/999999.pdf"):
        assert (await board.http.get(path)).status_code == 404
    for path in ("/anslagstavla/0.pdf", "/anslagstavla/x.pdf", "/anslagstavla/-1.pdf"):
        assert (await board.http.get(path)).status_code in (404, 422)
    # The meeting's own PDF still needs a login.
    login = await board.http.get(f"/ksau/sammantraden/{MEETING.isoformat()}/protokoll.pdf")
    assert login.status_code in (303, 401)


@pytest.mark.parametrize("kept_at", ["Kommunkansliet, Stadshuset, Hedemora"])
async def test_where_the_protocol_is_kept_is_configuration(board: Board, kept_at: str) -> None:
    config = board.committee.config
    organisation = config.organisation.model_copy(update={"protocol_kept_at": kept_at})
    board.app.state.web._config = config.model_copy(update={"organisation": organisation})
    post_protocol(board.committee)
    page = await board.http.get("/anslagstavla")
    assert f"<dd>{kept_at}</dd>" in page.text
    assert kept_at in (await _feed(board)).entries[0].summary
