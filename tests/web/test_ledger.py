"""The ekonomichef reads ledger files on /ekonomi/import and the units' forms come prefilled:
a SIE 4 file and an XLSX export for the bundled example; a refused file is listed line by line
and changes nothing; a chef's correction is kept beside the ledger's figure."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from arshjul.store.models import LedgerImport
from arshjul.store.repositories import SubmissionRepository
from tests.ledger.conftest import SAMPLE_SIE, line_number, sie_bytes, sie_lines, xlsx_bytes
from tests.web.conftest import CHEF, EKONOMICHEF, KSAU_MEMBER, WebRig, csrf_of, round_spec

PAGE = "/ekonomi/import"


async def upload(http, name: str, data: bytes, period: str = "2026-03"):  # type: ignore[no-untyped-def]
    page = await http.get(PAGE)
    assert page.status_code == 200
    return await http.post(
        PAGE,
        data={"csrf": csrf_of(page.text), "period": period},
        files={"file": (name, data, "application/octet-stream")},
    )


def imports(web: WebRig) -> int:
    with web.sessions() as session:
        return session.scalar(select(func.count()).select_from(LedgerImport)) or 0


async def test_ledger_files_prefill_the_forms(web: WebRig) -> None:
    chef = await web.login(EKONOMICHEF)
    assert 'href="/ekonomi/import"' in (await chef.get("/")).text

    lines = sie_lines()
    at = line_number(lines, "#FNAMN")  # a line read, so its encoding is judged
    lines[at - 1] = '#FNAMN "Hedemora kommun, Kommunstyrelseförvaltningen"'
    refused = await upload(chef, "utf8.se", sie_bytes(lines, "utf-8"))
    assert refused.status_code == 400
    assert "Filen kunde inte läsas in. Inget har ändrats." in refused.text
    assert f"utf8.se, rad {at}: texten är kodad som UTF-8" in refused.text
    assert imports(web) == 0

    done = await upload(chef, SAMPLE_SIE.name, SAMPLE_SIE.read_bytes())
    assert done.status_code == 200
    assert "Inläst: 6 enheter för mars 2026" in done.text
    assert "420 000 tkr" in done.text  # Barn- och utbildning's budget for the year
    twice = await upload(chef, SAMPLE_SIE.name, SAMPLE_SIE.read_bytes())
    assert "Filen är redan inläst för perioden" in twice.text
    assert "av Eva Ekström)" in twice.text and "<td>Eva Ekström</td>" in twice.text
    assert f"<td>{EKONOMICHEF}</td>" not in twice.text  # the import list names the person
    assert imports(web) == 1

    # The chef's form: budget and utfall from the ledger, marked with source and date.
    spec = round_spec(web.config, unit_id="bun", period="2026-03")
    await web.start_round(spec)
    link = await web.link_from_mail(CHEF, "s")
    form = await web.http.get(link)
    assert 'value="420000,0"' in form.text and 'value="106739,7"' in form.text
    assert "Budget och utfall kommer från ekonomisystemet: SIE-fil hedemora-2026.se" in form.text

    # A corrected utfall is sent; the version keeps the ledger's figure beside it.
    sent = await web.http.post(
        link,
        data={
            "csrf": csrf_of(form.text),
            "action": "submit",
            "economic.budget_tkr": "420000,0",
            "economic.utfall_tkr": "107 000",
            "economic.forecast_tkr": "420 000",
            "economic.analysis": "En faktura för februari bokades i april.",
        },
    )
    assert sent.status_code == 303, sent.text
    receipt = await web.http.get(sent.headers["location"])
    assert "Utfallet har rättats från 106 739,7 tkr" in receipt.text
    assert "Budgeten har rättats" not in receipt.text
    with web.sessions() as session:
        version = SubmissionRepository(session).latest(workflow_id=spec.workflow_id)
        assert version is not None
        economic = version.content["economic"]
        assert Decimal(economic["utfall_tkr"]) == Decimal("107000")
        assert Decimal(economic["ledger"]["utfall_tkr"]) == Decimal("106739.7")

    # An XLSX export (a later, corrected run of the warehouse) for another unit's form.
    rows = [["Ansvar", "Period", "Budget helår", "Utfall ack"]]
    rows += [[code, "2026-03", 100_000_000, 30_000_000.5] for code in (3100, 3200, 3300)]
    xlsx = await upload(chef, "lager-2026-03.xlsx", xlsx_bytes(rows))
    assert "Inläst: 1 enhet för mars 2026 från Excel-fil lager-2026-03.xlsx" in xlsx.text
    sof = round_spec(web.config, unit_id="sof", period="2026-03")
    await web.start_round(sof)
    sof_link = await web.link_from_mail("maria.holm@example.org", "s")
    sof_form = await web.http.get(sof_link)
    assert 'value="300000,0"' in sof_form.text and 'value="90000,0"' in sof_form.text
    assert "Excel-fil lager-2026-03.xlsx" in sof_form.text


async def test_only_the_ekonomichef_imports(web: WebRig) -> None:
    member = await web.login(KSAU_MEMBER)
    assert (await member.get(PAGE)).status_code == 403
    assert (await web.http.get(PAGE, follow_redirects=False)).status_code == 303


async def test_lines_not_read_are_shown_and_kept_with_the_import(web: WebRig) -> None:
    chef = await web.login(EKONOMICHEF)
    lines = sie_lines()
    # Two budget lines give årsnr -1 (2025, by #RAR -1) periods of 2026: not readable as they
    # stand, and not needed for March 2026.
    at = line_number(lines, '#PSALDO 0 202601 3410 {1 "1000"}')
    lines[at:at] = [
        '#PBUDGET -1 202601 3410 {1 "1000"} -1000.00',
        '#PBUDGET -1 202602 3410 {1 "1000"} -1000.00',
    ]
    done = await upload(chef, "med-fel-ar.se", sie_bytes(lines))
    assert done.status_code == 200
    assert "Inläst: 6 enheter för mars 2026" in done.text
    assert "Några rader lästes inte" in done.text
    assert "med-fel-ar.se: 2 rader för andra räkenskapsår än det som lästes in" in done.text
    assert (
        f"med-fel-ar.se, rad {at + 1}: perioden 2026-01 finns inte i räkenskapsår -1 "
        "(2025-01 – 2025-12)."
    ) in done.text
    with web.sessions() as session:
        record = session.scalars(select(LedgerImport)).one()
    assert record.warning_count == 2
    assert record.warnings is not None and f"rad {at + 2}: perioden 2026-02" in record.warnings
    # The list of imports says so later too, and a clean file says none.
    again = await chef.get(PAGE)
    assert "<summary>2</summary>" in again.text and f"rad {at + 2}" in again.text
    clean = await upload(chef, SAMPLE_SIE.name, SAMPLE_SIE.read_bytes())
    assert "Några rader lästes inte" not in clean.text
