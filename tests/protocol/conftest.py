"""Protocol fixtures: a migrated store, the bundled configuration, a committee's decisions."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from pypdf import PdfReader
from sqlalchemy.orm import Session, sessionmaker

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.loader import load_config
from arshjul.calendar.workdays import WorkingDays
from arshjul.models.effects import DecisionRecord
from arshjul.models.rounds import CommitteeSpec, ReviewSpec, RoundSpec, RoundState
from arshjul.protocol.seal import Seal
from arshjul.settings import BUNDLED_CONFIG, Settings
from arshjul.store.repositories import DecisionRepository, RoundRepository
from tests.conftest import monthly_round, session_cookie
from tests.store.conftest import event, migrated
from tests.web.conftest import today as stockholm_today

MEETING = dt.date(2026, 10, 6)  # a KSAU meeting of the bundled example
SECRETARY = "sofia.lund@example.org"
CHAIR = "gunnar.stahl@example.org"
ADJUSTER = "ingrid.falk@example.org"
MEMBER = "mats.ryd@example.org"


@pytest.fixture(scope="session")
def config() -> ArshjulConfig:
    """The bundled Hedemora example."""
    return load_config(BUNDLED_CONFIG)


def spec_for(config: ArshjulConfig, unit_id: str, period: str = "2026-08") -> RoundSpec:
    """A round of the example reviewed by KSAU (refers to KS)."""
    ksau, ks = config.committee("ksau"), config.committee("ks")
    return monthly_round(
        config,
        unit_id,
        period=period,
        period_end=dt.date(2026, 8, 31),
        opens=dt.date(2026, 9, 1),
        due=dt.date(2026, 9, 14),
        review=ReviewSpec(
            committee=CommitteeSpec(id=ksau.id, name=ksau.name, meetings=ksau.dates),
            min_days_before_meeting=7,
            refers_to=CommitteeSpec(id=ks.id, name=ks.name, meetings=ks.dates),
        ),
    )


@dataclass
class Committee:
    """A store with the example's KSAU: records decisions the way the round's activity does."""

    sessions: sessionmaker[Session]
    config: ArshjulConfig

    def decide(
        self,
        unit_id: str,
        outcome: str,
        reason: str | None = None,
        meeting: dt.date = MEETING,
        key: str | None = None,
        spec: RoundSpec | None = None,
    ) -> int:
        """Records a KSAU decision on the unit's round (or on `spec`); returns its §."""
        from arshjul.protocol.wording import decision_text_for

        spec = spec or spec_for(self.config, unit_id)
        record = DecisionRecord(
            idempotency_key=key or f"{spec.workflow_id}/{outcome}/{meeting}",
            workflow_id=spec.workflow_id,
            committee_id="ksau",
            meeting=meeting,
            outcome=outcome,  # type: ignore[arg-type]
            reason=reason,
            decided_by=SECRETARY,
            time=dt.datetime.combine(meeting, dt.time(8, 30), tzinfo=dt.UTC),
        )
        with self.sessions.begin() as session:
            rounds = RoundRepository(session)
            if rounds.get(workflow_id=spec.workflow_id) is None:
                rounds.upsert_from_event(event(spec, 1, "on_agenda", RoundState.ON_AGENDA))
            text = decision_text_for(session, record)
            return DecisionRepository(session).record(record, decision_text=text).paragraph

    def justera(
        self, meeting: dt.date = MEETING, *, anslag: bool = True, seal: Seal | None = None
    ) -> None:
        """Records the meeting's attendance, has the ordförande and the justerare sign, and
        (with `anslag`) records the anslag, which stores the PDF/A archive copy (sealed with
        `seal` when given)."""
        from arshjul.calendar.workdays import WorkingDays
        from arshjul.protocol.justering import MeetingDetails, record_anslag, save_details, sign

        details = MeetingDetails(
            starts_at="08:30",
            place="Stadshuset",
            present=[CHAIR, ADJUSTER, MEMBER],
            adjusters=[ADJUSTER],
        )
        with self.sessions.begin() as session:
            save_details(session, self.config, "ksau", meeting, details)
        for email, name in ((CHAIR, "Gunnar Ståhl"), (ADJUSTER, "Ingrid Falk")):
            with self.sessions.begin() as session:
                sign(session, self.config, "ksau", meeting, email=email, name=name)
        if anslag:
            with self.sessions.begin() as session:
                record_anslag(
                    session,
                    self.config,
                    "ksau",
                    meeting,
                    anslag_date=WorkingDays().next_or_same(stockholm_today()),
                    by=SECRETARY,
                    seal=seal,
                )


@pytest.fixture
def committee(database_url: str, config: ArshjulConfig) -> Iterator[Committee]:
    """A migrated store (SQLite, and PostgreSQL when set) for the example's KSAU."""
    with migrated(database_url) as sessions:
        yield Committee(sessions, config)


MEETING_PAGE = f"/ksau/sammantraden/{MEETING.isoformat()}"


async def post_anslag(c: Committee, settings: Settings) -> tuple[httpx.Response, str]:
    """Records today's anslag (or the next working day's) as the secretary through the web app
    made with `settings`; returns its answer and the meeting page after it."""
    from arshjul.web.app import create_app

    app = create_app(settings, session_maker=c.sessions, config=c.config)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        http.cookies.set("arshjul_session", session_cookie(c.sessions, SECRETARY))
        page = await http.get(MEETING_PAGE)
        found = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert page.status_code == 200 and found, page.text
        posting = WorkingDays().next_or_same(stockholm_today()).isoformat()
        posted = await http.post(
            f"{MEETING_PAGE}/anslag", data={"csrf": found[1], "anslag": posting}
        )
        return posted, (await http.get(MEETING_PAGE)).text


def pdf_text(data: bytes) -> str:
    """Returns the text of every page of a PDF, whitespace collapsed."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def pdfa_part(data: bytes) -> tuple[str, str]:
    """Returns the PDF/A part and conformance the file declares in its XMP metadata."""
    xmp = PdfReader(io.BytesIO(data)).xmp_metadata
    assert xmp is not None, "no XMP metadata"
    xml = xmp.rdf_root.toxml()
    part = xml.split('pdfaid:part="', 1)[1].split('"', 1)[0]
    conformance = xml.split('pdfaid:conformance="', 1)[1].split('"', 1)[0]
    return part, conformance
