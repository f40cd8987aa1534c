"""With ARSHJUL_ARCHIVE_DIR set, recording the anslag in the web delivers the protocol's archive
package there, and the anslag stands when the folder cannot take it."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from arshjul.settings import Settings
from arshjul.store.repositories import MeetingRepository
from tests.archive.conftest import verified
from tests.protocol.conftest import MEETING, Committee, post_anslag

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
    posted, _ = await post_anslag(c, settings)
    return posted


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
