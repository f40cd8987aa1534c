"""Importing stores each unit's figures once; a refused file or a second import changes nothing
(SQLite, and PostgreSQL when ARSHJUL_TEST_DATABASE_URL is set); the command says where a file is
wrong."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from arshjul.calendar.config import ArshjulConfig
from arshjul.cli import app
from arshjul.ledger.errors import LedgerError
from arshjul.ledger.service import import_file
from arshjul.settings import BUNDLED_CONFIG
from arshjul.store.ledger import LedgerRepository
from arshjul.store.models import AuditEntry, LedgerFigure, LedgerImport
from tests.ledger.conftest import (
    EXPECTED,
    REAL,
    SAMPLE_SIE,
    line_number,
    sie_bytes,
    sie_lines,
    with_units,
)


def counts(session: Session) -> tuple[int, int, int]:
    return (
        session.scalar(select(func.count()).select_from(LedgerImport)) or 0,
        session.scalar(select(func.count()).select_from(LedgerFigure)) or 0,
        session.scalar(select(func.count()).select_from(AuditEntry)) or 0,
    )


def test_a_file_is_imported_once(sessions: sessionmaker[Session], config: ArshjulConfig) -> None:
    data = SAMPLE_SIE.read_bytes()
    with sessions.begin() as session:
        first = import_file(
            session, config, data=data, file_name="h.se", period="2026-03", actor="eva"
        )
    assert not first.already_imported
    with sessions.begin() as session:
        again = import_file(
            session, config, data=data, file_name="h.se", period="2026-03", actor="eva"
        )
        assert again.already_imported and again.record.id == first.record.id
        assert counts(session) == (1, 6, 1)
        found = LedgerRepository(session).latest(org_id="hedemora", unit_id="sof", period="2026-03")
        assert found is not None
        figure, record = found
        assert (figure.budget_tkr, figure.utfall_tkr) == EXPECTED["sof"]
        assert figure.codes == "3100, 3200, 3300"
        assert record.source.startswith("SIE-fil h.se från Raindance")
        # Imports are records: the database refuses to rewrite them.
    with pytest.raises(DBAPIError), sessions.begin() as session:
        session.execute(text("UPDATE ledger_figures SET utfall_tkr = 1"))


def test_a_refused_file_changes_nothing(
    sessions: sessionmaker[Session], config: ArshjulConfig
) -> None:
    lines = sie_lines()
    at = line_number(lines, '#PSALDO 0 202601 7010 {1 "5200"}')
    lines[at - 1] = lines[at - 1].replace('"5200"', '"8800"')
    with sessions() as session:
        with pytest.raises(LedgerError):
            import_file(
                session,
                config,
                data=sie_bytes(lines),
                file_name="x.se",
                period="2026-03",
                actor="eva",
            )
        session.commit()
        assert counts(session) == (0, 0, 0)


def test_the_command_imports_and_locates_problems(
    sqlite_url: str, config: ArshjulConfig, tmp_path
) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade", "--database-url", sqlite_url]).exit_code == 0
    args = ["import", "economy", "--database-url", sqlite_url, "--period", "2026-03"]
    done = runner.invoke(app, [*args, str(SAMPLE_SIE)])
    assert done.exit_code == 0, done.output
    assert "imported 6 units for 2026-03 from hedemora-2026.se" in done.output
    again = runner.invoke(app, [*args, str(SAMPLE_SIE)])
    assert again.exit_code == 0
    assert "already imported" in again.output and "nothing changed" in again.output

    lines = sie_lines()
    at = line_number(lines, "#FNAMN")
    lines[at - 1] = '#FNAMN "Hedemora kommun, Kommunstyrelseförvaltningen"'
    bad = tmp_path / "utf8.se"
    bad.write_bytes(sie_bytes(lines, "utf-8"))
    refused = runner.invoke(app, [*args, str(bad)])
    assert refused.exit_code == 2
    assert f"utf8.se: line {at}: the text is UTF-8" in refused.output
    assert "nothing was imported" in refused.output


def test_a_file_without_unit_figures_never_imports(
    sqlite_url: str, sessions: sessionmaker[Session], config: ArshjulConfig
) -> None:
    # SoftOne XE and Mamut write SIE 2, balances per account only: no unit can have a figure.
    for name, period in (("softone-xe-sie2.se", "2016-03"), ("mamut-sie2.se", "2010-12")):
        with sessions() as session:
            with pytest.raises(LedgerError, match="no balance per unit"):
                import_file(
                    session,
                    config,
                    data=(REAL / name).read_bytes(),
                    file_name=name,
                    period=period,
                    actor="eva",
                )
            session.commit()
            assert counts(session) == (0, 0, 0)
        runner = CliRunner()
        assert runner.invoke(app, ["db", "upgrade", "--database-url", sqlite_url]).exit_code == 0
        args = ["import", "economy", "--database-url", sqlite_url, "--period", period]
        refused = runner.invoke(app, [*args, str(REAL / name)])
        assert refused.exit_code == 2, refused.output
        assert f"{name}: the file has no balance per unit" in refused.output
        assert "nothing was imported" in refused.output and "imported 0 units" not in refused.output
    engine = create_engine(sqlite_url)
    with Session(engine) as session:
        assert counts(session) == (0, 0, 0)
    engine.dispose()


def test_lines_of_other_years_are_warnings_beside_the_import(
    sessions: sessionmaker[Session], config: ArshjulConfig, tmp_path
) -> None:
    name = "avendo-objektsaldo-sie3.se"
    data = (REAL / name).read_bytes()
    units = with_units(config, {"nord": ["Nord"], "syd": ["Syd"]})
    with sessions.begin() as session:
        done = import_file(session, units, data=data, file_name=name, period="2011-03", actor="eva")
        assert {f.unit_id: f.utfall_tkr for f in done.figures} == {
            "nord": Decimal("-40.4"),
            "syd": Decimal("274.0"),
        }
        assert len(done.warnings) == 625
        detail = session.scalars(select(AuditEntry.detail)).one()
        assert "2 units, 624 lines of other years not read" in detail
    # The command prints them and exits 0; the configuration's units carry Avendo's objects.
    text = BUNDLED_CONFIG.read_text(encoding="utf-8")
    text = text.replace('ledger_codes: ["1*"]', 'ledger_codes: ["Nord"]')
    text = text.replace('ledger_codes: ["2*"]', 'ledger_codes: ["Syd"]')
    yaml = tmp_path / "avendo.yaml"
    yaml.write_text(text, encoding="utf-8")
    runner = CliRunner()
    cli_url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    assert runner.invoke(app, ["db", "upgrade", "--database-url", cli_url]).exit_code == 0
    args = ["import", "economy", "--database-url", cli_url, "--config", str(yaml)]
    done_cli = runner.invoke(app, [*args, "--period", "2011-03", str(REAL / name)])
    assert done_cli.exit_code == 0, done_cli.output
    assert f"warning: {name}: 624 lines of other financial years" in done_cli.output
    assert f"warning: {name}: … and 605 more warnings" in done_cli.output
    assert f"imported 2 units for 2011-03 from {name}" in done_cli.output
