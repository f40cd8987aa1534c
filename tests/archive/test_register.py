"""`arshjul gdpr register`: every kind of personal data the store keeps, whose, why, how long."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from arshjul.archive.register import PROCESSINGS
from arshjul.cli import app
from arshjul.settings import BUNDLED_CONFIG
from arshjul.store.models import Base
from tests.protocol.conftest import Committee

# Columns that hold a person's address, name or traces of them.
PERSONAL = re.compile(r"email|_by$|^actor$|recipients|attendance|adjusters|^idp$|^key$|^name$")
NOT_PEOPLE = {"organisations", "units.name", "rounds.unit_name"}


def test_every_table_that_holds_personal_data_is_in_the_register() -> None:
    listed = {t.__tablename__ for p in PROCESSINGS for t in p.tables}
    holding = {
        table.name
        for table in Base.metadata.tables.values()
        for column in table.columns
        if PERSONAL.search(column.name)
        and table.name not in NOT_PEOPLE
        and f"{table.name}.{column.name}" not in NOT_PEOPLE
    }
    assert {"sent_mail", "web_sessions", "meetings"} <= holding  # the pattern finds them
    assert holding - listed == set()


def test_the_register_names_each_processing_and_counts_the_store(
    committee: Committee, tmp_path: Path
) -> None:
    c = committee
    c.decide("bun", "approved")
    c.justera()
    out = tmp_path / "register.md"
    url = str(c.sessions.kw["bind"].url.render_as_string(hide_password=False))
    result = CliRunner().invoke(
        app,
        ["gdpr", "register", "-o", str(out), "--config", str(BUNDLED_CONFIG)]
        + ["--database-url", url],
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Registerförteckning – Hedemora kommun (exempel)")
    assert "Personuppgiftsansvarig: Hedemora kommun (exempel)" in text
    rows = {
        line.split(" | ")[0].lstrip("| "): line
        for line in text.splitlines()
        if line.startswith("| ") and not line.startswith("| ---")
    }
    assert set(rows) - {"Behandling"} == {p.name for p in PROCESSINGS}
    protocol = rows["Protokoll och beslut"]
    assert "protocol_signatures: 2" in protocol and "decisions: 1" in protocol
    assert "protocol_archives: 1" in protocol and "Art. 6.1 c" in protocol
    assert "Bevaras tills vidare (ingen gallring konfigurerad)" in rows["Utskick"]
