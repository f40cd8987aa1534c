"""With ARSHJUL_ARCHIVE_DIR set, recording the anslag in the web delivers the protocol's archive
package there, and the anslag stands when the folder cannot take it."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from arshjul.calendar.workdays import WorkingDays
from arshjul.settings import Settings
from arshjul.store.repositories import MeetingRepository
from arshjul.web.app import create_app
from tests.archive.conftest import verified
from tests.conftest import session_cookie
from tests.protocol.conftest import MEETING, SECRETARY, Committee
from tests.web.conftest import today as stockholm_today

PAGE = f"/ksau/sammantraden/{MEETING.isoformat()}"
PACKAGE = "hedemora-ksau-2026-10-06-protokoll"
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


async def _post_anslag(c: Committee, archive_dir: Path) -> httpx.Response:
    settings = Settings.model_validate(
        {
            "SECRET_KEY": "test-secret-for-the-archive",
            "BASE_URL": "http://testserver",
            "ARSHJUL_ARCHIVE_DIR": str(archive_dir),
        }
    )
    app = create_app(settings, session_maker=c.sessions, config=c.config)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        http.cookies.set("arshjul_session", session_cookie(c.sessions, SECRETARY))
        page = await http.get(PAGE)
        found = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert page.status_code == 200 and found, page.text
        posting = WorkingDays().next_or_same(stockholm_today()).isoformat()
        return await http.post(f"{PAGE}/anslag", data={"csrf": found[1], "anslag": posting})


async def test_the_anslag_delivers_the_package_to_the_archive_folder(
    committee: Committee, tmp_path: Path
) -> None:
    committee.decide("bun", "approved")
    committee.justera(anslag=False)
    archive_dir = tmp_path / "e-arkiv"
    posted = await _post_anslag(committee, archive_dir)
    assert posted.status_code == 303 and "klart=anslag" in posted.headers["location"]
    found = verified(archive_dir / PACKAGE)
    assert {e["type"] for e in found["events"]} >= {"justering", "anslag", "creation"}


async def test_an_archive_folder_that_cannot_take_it_leaves_the_anslag_recorded(
    committee: Committee, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    committee.decide("bun", "approved")
    committee.justera(anslag=False)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    posted = await _post_anslag(committee, blocked)
    assert posted.status_code == 303
    with committee.sessions() as session:
        row = MeetingRepository(session).get(
            org_id="hedemora", committee_id="ksau", meeting=MEETING
        )
        assert row is not None and row.anslag_date is not None
    assert "archive package of ksau 2026-10-06 not written" in caplog.text
