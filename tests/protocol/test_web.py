"""The meeting pages over HTTP: the secretary records, the ordförande and justerare sign, the
secretary posts the anslag; nobody else may, and a justerat protocol stays as it was."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import AsyncIterator

import httpx
import pytest

from arshjul.calendar.workdays import WorkingDays
from arshjul.models.rounds import RoundState
from arshjul.settings import Settings
from arshjul.store.repositories import MeetingRepository, RoundRepository
from arshjul.swedish import weekday_date_sv
from arshjul.web.app import create_app
from tests.conftest import session_cookie
from tests.protocol.conftest import (
    ADJUSTER,
    CHAIR,
    MEETING,
    MEMBER,
    SECRETARY,
    Committee,
    pdf_text,
    spec_for,
)
from tests.store.conftest import event
from tests.web.conftest import today as stockholm_today

SECRET = "test-secret-for-meetings"
PAGE = f"/ksau/sammantraden/{MEETING.isoformat()}"


@pytest.fixture
async def http(committee: Committee) -> AsyncIterator[httpx.AsyncClient]:
    """The app over the committee's store (no Temporal needed for these pages)."""
    settings = Settings.model_validate({"SECRET_KEY": SECRET, "BASE_URL": "http://testserver"})
    app = create_app(settings, session_maker=committee.sessions, config=committee.config)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as client:
        yield client


async def as_person(http: httpx.AsyncClient, email: str) -> str:
    """Logs the client in as `email` and returns the page's CSRF token."""
    sessions = http._transport.app.state.web.session_maker  # type: ignore[attr-defined]
    http.cookies.set("arshjul_session", session_cookie(sessions, email))
    page = await http.get(PAGE)
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found
    return found[1]


async def test_only_the_secretary_records_and_only_signers_sign(
    committee: Committee, http: httpx.AsyncClient
) -> None:
    committee.decide("bun", "approved")
    details = {
        "starts_at": "08:30",
        "place": "Stadshuset",
        "present": [CHAIR, ADJUSTER, MEMBER],
        "adjusters": [ADJUSTER],
        "chair": CHAIR,  # the secretary names who presided
        "others": "Eva Ekström, ekonomichef",
    }
    csrf = await as_person(http, MEMBER)
    assert (await http.post(f"{PAGE}/uppgifter", data={"csrf": csrf, **details})).status_code == 403
    csrf = await as_person(http, SECRETARY)
    saved = await http.post(f"{PAGE}/uppgifter", data={"csrf": csrf, **details})
    assert saved.status_code == 303
    page = await http.get(saved.headers["location"])
    assert "Uppgifterna om sammanträdet är sparade" in page.text
    assert f'<option value="{CHAIR}" selected>Gunnar Ståhl</option>' in page.text

    csrf = await as_person(http, MEMBER)
    refused = await http.post(f"{PAGE}/justera", data={"csrf": csrf, "confirm": "ja"})
    assert refused.status_code == 409 and "Bara ordföranden" in refused.text
    csrf = await as_person(http, CHAIR)
    unconfirmed = await http.post(f"{PAGE}/justera", data={"csrf": csrf})
    assert unconfirmed.status_code == 400 and "Bekräfta" in unconfirmed.text
    assert (
        await http.post(f"{PAGE}/justera", data={"csrf": csrf, "confirm": "ja"})
    ).status_code == 303
    csrf = await as_person(http, ADJUSTER)
    done = await http.post(f"{PAGE}/justera", data={"csrf": csrf, "confirm": "ja"})
    assert "klart=justerat" in done.headers["location"]

    csrf = await as_person(http, SECRETARY)
    locked = await http.post(f"{PAGE}/uppgifter", data={"csrf": csrf, **details})
    assert locked.status_code == 400 and "justerat och kan inte ändras" in locked.text
    # The anslag goes up on a working day: a Sunday is refused, saying why, and nothing changes.
    sunday = stockholm_today() + dt.timedelta(days=6 - stockholm_today().weekday())
    refused = await http.post(f"{PAGE}/anslag", data={"csrf": csrf, "anslag": str(sunday)})
    assert refused.status_code == 409
    assert f"{weekday_date_sv(sunday)} är ingen arbetsdag (söndag)" in refused.text
    assert "Anslaget är inte registrerat" in refused.text
    # The form offers a working day: today, or the next one.
    posting = WorkingDays().next_or_same(stockholm_today()).isoformat()
    assert f'name="anslag" value="{posting}"' in refused.text
    posted = await http.post(f"{PAGE}/anslag", data={"csrf": csrf, "anslag": posting})
    assert posted.status_code == 303
    page = await http.get(PAGE)
    assert "Sista dag för överklagande" in page.text
    pdf = await http.get(f"{PAGE}/protokoll.pdf")
    with committee.sessions() as session:
        row = MeetingRepository(session).get(
            org_id="hedemora", committee_id="ksau", meeting=MEETING
        )
        assert row is not None
        assert hashlib.sha256(pdf.content).hexdigest() == row.archive_sha256  # the archive copy
    assert "Eva Ekström, ekonomichef" in pdf_text(pdf.content)


async def test_people_outside_the_committee_see_nothing(
    committee: Committee, http: httpx.AsyncClient
) -> None:
    outsider = session_cookie(committee.sessions, "helena.rask@example.org")
    http.cookies.set("arshjul_session", outsider)
    assert (await http.get(PAGE)).status_code == 403
    assert (await http.get("/nosuch/sammantraden/2026-10-06")).status_code == 404


async def test_a_decided_case_stays_on_the_agenda_with_its_decision(
    committee: Committee, http: httpx.AsyncClient
) -> None:
    # Today's meeting: one case decided (the round has moved on to KS), one still waiting.
    today = stockholm_today()
    paragraph = committee.decide("bun", "passed_on", meeting=today)
    moved = spec_for(committee.config, "bun")
    with committee.sessions.begin() as session:
        RoundRepository(session).upsert_from_event(
            event(moved, 2, "passed_on", RoundState.ON_AGENDA, committee_id="ks", meeting=None)
        )
        waiting = spec_for(committee.config, "sbf")
        RoundRepository(session).upsert_from_event(
            event(waiting, 1, "on_agenda", RoundState.ON_AGENDA, committee_id="ksau", meeting=today)
        )
    await as_person(http, SECRETARY)
    agenda = await http.get("/ksau")
    rows = re.findall(r"<tr>.*?</tr>", agenda.text, re.S)
    decided = next(r for r in rows if moved.unit_name in r)
    assert f"Beslutat: § {paragraph} Godkänns och överlämnas" in decided
    # On a phone each case is a card whose lines say what they are.
    assert '<table class="cards">' in agenda.text and 'data-label="Status">Beslutat' in decided
    assert any(waiting.unit_name in r and "På dagordningen" in r for r in rows)
    assert f"/ksau/sammantraden/{today.isoformat()}" in agenda.text  # on to the meeting page
    meeting = await http.get(f"/ksau/sammantraden/{today.isoformat()}")
    items = re.findall(r"<li><a href=\"/ksau/arenden/.*?</li>", meeting.text, re.S)
    assert len(items) == 2
    assert f"beslutat: § {paragraph} Godkänns och överlämnas" in items[0]
    assert moved.unit_name in items[0] and waiting.unit_name in items[1]


async def test_a_control_character_in_the_place_is_refused_in_swedish_and_nothing_is_saved(
    committee: Committee, http: httpx.AsyncClient
) -> None:
    # PostgreSQL cannot hold a NUL: it once answered 500 there (303 on SQLite).
    csrf = await as_person(http, SECRETARY)
    for place in ("Stads\x00huset", "Stads\x1bhuset"):
        refused = await http.post(
            f"{PAGE}/uppgifter", data={"csrf": csrf, "starts_at": "08:30", "place": place}
        )
        assert refused.status_code == 400, refused.text[:500]
        assert "otillåtna tecken" in refused.text
    with committee.sessions() as session:
        saved = MeetingRepository(session).get(
            org_id="hedemora", committee_id="ksau", meeting=MEETING
        )
        assert saved is None or not saved.place
    # A clean place is taken.
    taken = await http.post(
        f"{PAGE}/uppgifter", data={"csrf": csrf, "starts_at": "08:30", "place": "Stadshuset"}
    )
    assert taken.status_code == 303


async def test_the_protocol_page_has_a_way_back_to_its_meeting(http: httpx.AsyncClient) -> None:
    await as_person(http, MEMBER)
    page = await http.get(f"/ksau/protokoll/{MEETING.isoformat()}")
    assert page.status_code == 200
    nav = page.text.split('<nav class="back" aria-label="Tillbaka">')[1].split("</nav>")[0]
    assert f'href="{PAGE}"' in nav and "Tillbaka till sammanträdet" in nav
    # Landmarks: the protocol's heading is the banner, the protocol itself the main content.
    assert page.text.index("</nav>") < page.text.index("<header>") < page.text.index("<main")
    assert page.text.index("Protokollet i årshjulet") < page.text.index("</main>")
