"""In the demonstration the import page offers a made-up export of the newest period begun, so a
newcomer can try the import on the day they start `arshjul up`; outside it nothing is offered."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from arshjul.calendar.loader import load_config
from arshjul.settings import BUNDLED_CONFIG
from tests.conftest import MailSink
from tests.web.conftest import EKONOMICHEF, WebRig, csrf_of, open_rig, today
from tests.web.test_ledger import PAGE, imports


async def test_the_demo_offers_an_export_of_an_open_period_that_imports(
    tmp_path: Path, smtp_sink: MailSink
) -> None:
    config = load_config(BUNDLED_CONFIG)
    coded = [u for u in config.units if u.ledger_codes]
    async with open_rig(tmp_path, smtp_sink, config=config, dev_mail=True) as rig:
        owner = await rig.login(EKONOMICHEF)
        page = await owner.get(PAGE)
        months = sorted(
            {m for r in config.reports if "economic" in r.sections for m in r.period_months}
        )
        now = today()
        begun = max(m for m in months if m <= now.month)  # a monthly report begins each month
        period = f"{now.year}-{begun:02d}"
        assert f'href="/ekonomi/exempel.csv?period={period}"' in page.text
        sample = await owner.get("/ekonomi/exempel.csv", params={"period": period})
        assert sample.status_code == 200 and sample.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(sample.text), delimiter=";"))
        assert [r["Benämning"] for r in rows] == [u.name for u in coded]
        assert {r["Period"] for r in rows} == {period}
        # The second unit's year: 2 × 24 000 000 kr; its utfall at the even pace through the month.
        assert rows[1]["Budget helår"] == "48000000,00"
        assert rows[1]["Utfall ack"] == f"{48_000_000 * begun / 12:.2f}".replace(".", ",")

        done = await owner.post(
            PAGE,
            data={"csrf": csrf_of(page.text), "period": period},
            files={"file": ("exempel.csv", sample.content, "text/csv")},
        )
        assert done.status_code == 200, done.text[-2000:]
        assert f"Inläst: {len(coded)} enheter" in done.text
        assert "48 000 tkr" in done.text
        assert imports(rig) == 1
        wrong = await owner.get("/ekonomi/exempel.csv", params={"period": "2026-13"})
        assert wrong.status_code == 422


async def test_outside_the_demo_no_sample_is_offered(web: WebRig) -> None:
    owner = await web.login(EKONOMICHEF)
    assert 'id="sample"' not in (await owner.get(PAGE)).text
    period = f"{today():%Y-%m}"
    assert (await owner.get("/ekonomi/exempel.csv", params={"period": period})).status_code == 404
