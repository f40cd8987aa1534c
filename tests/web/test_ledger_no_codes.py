"""/ekonomi/import in a municipality whose units name no ledger codes: the page says so and what
to configure, offers no import that can only fail, and a file sent anyway changes nothing."""

from __future__ import annotations

from pathlib import Path

from arshjul.calendar.loader import load_config
from tests.commands.test_calendar_cli import EXAMPLES
from tests.conftest import MailSink
from tests.ledger.conftest import SAMPLE_SIE
from tests.web.conftest import csrf_of, open_rig
from tests.web.test_ledger import PAGE, imports


async def test_without_ledger_codes_the_page_says_what_to_configure(
    tmp_path: Path, smtp_sink: MailSink
) -> None:
    config = load_config(EXAMPLES / "tertial.yaml")  # no unit names its ledger codes
    assert not any(u.ledger_codes for u in config.units)
    owner = str(next(r for r in config.roles if r.id == "ekonomichef").people[0].email)
    async with open_rig(tmp_path, smtp_sink, config=config) as rig:
        chef = await rig.login(owner)
        page = await chef.get(PAGE)
        assert page.status_code == 200
        assert "Ingen enhet har koder för ekonomisystemet i konfigurationen" in page.text
        assert 'ledger_codes: ["3*"]' in page.text  # what to configure
        # No import that can only fail is offered.
        assert 'type="file"' not in page.text and ">Läs in</button>" not in page.text
        # A file sent all the same is refused with the same words, and nothing is stored.
        sent = await chef.post(
            PAGE,
            data={"csrf": csrf_of(page.text), "period": "2026-04"},
            files={"file": ("t1.se", SAMPLE_SIE.read_bytes(), "application/octet-stream")},
        )
        assert sent.status_code == 400
        assert "Inget har ändrats" in sent.text and "Ingen enhet har koder" in sent.text
        assert imports(rig) == 0
