"""The ekonomichef plans and moves meetings in a browser in the namndkommun example (journey.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import MailSink
from tests.web.configuration.journey import plans_and_moves_meetings
from tests.web.conftest import JourneyBrowser

pytestmark = pytest.mark.browser


async def test_the_ekonomichef_plans_and_moves_meetings_in_a_browser(
    tmp_path: Path, smtp_sink: MailSink, browser: JourneyBrowser
) -> None:
    await plans_and_moves_meetings("namndkommun", tmp_path, smtp_sink, browser)
