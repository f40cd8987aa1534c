"""`arshjul compile` against a real store: files a user can open, clear refusals."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from lxml import html as lxml_html
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from arshjul.cli import app
from arshjul.settings import BUNDLED_CONFIG
from tests.compile import scenario as sc

runner = CliRunner()


def _compile(url: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(
        app,
        [
            "compile",
            "--config",
            str(BUNDLED_CONFIG),
            "--database-url",
            url,
            "--as-of",
            "2026-09-30",
            *args,
        ],
    )
    return result.exit_code, result.output


def test_writes_a_docx_and_names_what_is_not_approved(
    seeded_store: sessionmaker[Session], database_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "delar.docx"
    code, output = _compile(
        database_url, "--report", "delarsrapport", "--period", sc.PERIOD, "-o", str(out)
    )
    assert code == 0, output
    assert "Hedemora Näringsliv AB" in output and "Miljö- och byggförvaltningen" in output
    word = docx.Document(io.BytesIO(out.read_bytes()))
    total = next(t for t in word.tables if t.rows[-1].cells[0].text == "Totalt")
    assert total.rows[-1].cells[4].text == "−5 950 tkr"


def test_writes_html_for_a_monthly_report(
    seeded_store: sessionmaker[Session], database_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "mars.html"
    code, output = _compile(
        database_url,
        "--report",
        "manadsrapport",
        "--period",
        "2026-03",
        "-o",
        str(out),
        "--format",
        "html",
    )
    assert code == 0, output
    page = lxml_html.fromstring(out.read_text(encoding="utf-8"))
    assert page.get_element_by_id("utkast", None) is None  # every unit approved: no draft
    total = page.xpath("//table[@class='ekonomi']//tr[@class='total']/td")
    assert total[4].text_content() == "−2 000 tkr"  # ten units, 200 tkr over budget each
    assert not page.xpath("//section[@id='malkort']")  # a månadsrapport has no målkort


def test_bad_period_is_refused_and_writes_nothing(
    seeded_store: sessionmaker[Session], database_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "x.html"
    code, output = _compile(
        database_url, "--report", "delarsrapport", "--period", "2026-8", "-o", str(out)
    )
    assert code == 2
    assert "period must be YYYY-MM" in output
    assert not out.exists()


def test_empty_database_is_named(sqlite_url: str, tmp_path: Path) -> None:
    code, output = _compile(
        sqlite_url,
        "--report",
        "delarsrapport",
        "--period",
        sc.PERIOD,
        "-o",
        str(tmp_path / "x.html"),
    )
    assert code == 1
    assert "database is empty" in output
