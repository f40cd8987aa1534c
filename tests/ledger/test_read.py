"""Reading ledger files: the bundled samples give each unit's figures; bad files are refused with
the line or row of every problem (pure, no database)."""

from __future__ import annotations

import pytest

from arshjul.calendar.config import ArshjulConfig
from arshjul.ledger.errors import LedgerError
from arshjul.ledger.reader import read_figures
from arshjul.ledger.sie import parse_objects, split_fields
from tests.ledger.conftest import (
    EXPECTED,
    SAMPLE_CSV,
    SAMPLE_SIE,
    line_number,
    sample_xlsx,
    sie_bytes,
    sie_lines,
    xlsx_bytes,
)


def figures(config: ArshjulConfig, data: bytes, name: str, period: str = "2026-03") -> dict:
    read = read_figures(config, data, name, period)
    return {f.unit_id: (f.budget_tkr, f.utfall_tkr) for f in read.figures}


def refusal(config: ArshjulConfig, data: bytes, name: str, period: str = "2026-03") -> LedgerError:
    with pytest.raises(LedgerError) as caught:
        read_figures(config, data, name, period)
    return caught.value


def test_fields_follow_the_sie_quoting_rules() -> None:
    assert split_fields('#OBJEKT 1 "3100" "Äldreomsorg \\"central\\""') == [
        "#OBJEKT",
        "1",
        "3100",
        'Äldreomsorg "central"',
    ]
    assert split_fields('#PSALDO 0 202603 5110 {1 "3100" 6 "P 1"} -12.50') == [
        "#PSALDO",
        "0",
        "202603",
        "5110",
        '{1 "3100" 6 "P 1"}',
        "-12.50",
    ]
    assert parse_objects('{1 "3100" 6 "P 1"}') == (("1", "3100"), ("6", "P 1"))
    assert parse_objects("{}") == ()


def test_the_three_formats_give_the_same_figures(config: ArshjulConfig) -> None:
    sie = read_figures(config, SAMPLE_SIE.read_bytes(), SAMPLE_SIE.name, "2026-03")
    assert {f.unit_id: (f.budget_tkr, f.utfall_tkr) for f in sie.figures} == EXPECTED
    # The bolag have no ledger codes; the project line ({6 "P100"}) and the two-object line are
    # not counted again on top of their ansvar.
    assert sie.source == (
        "SIE-fil hedemora-2026.se från Raindance Ekonomi 2026.1, skapad 7 april 2026"
    )
    assert figures(config, SAMPLE_CSV.read_bytes(), SAMPLE_CSV.name) == EXPECTED
    assert figures(config, sample_xlsx(), "hedemora-2026-03.xlsx") == EXPECTED


def test_utfall_runs_from_the_start_of_the_year_through_the_period(config: ArshjulConfig) -> None:
    february = figures(config, SAMPLE_SIE.read_bytes(), SAMPLE_SIE.name, "2026-02")
    assert february["bun"][0] == EXPECTED["bun"][0]  # the year's budget either way
    assert february["bun"][1] < EXPECTED["bun"][1]


def test_an_unknown_code_is_refused_with_its_line(config: ArshjulConfig) -> None:
    lines = sie_lines()
    at = line_number(lines, '#PSALDO 0 202602 5110 {1 "3300"}')
    lines[at - 1] = lines[at - 1].replace('"3300"', '"9100"')
    err = refusal(config, sie_bytes(lines), "ansvar.se")
    assert err.english() == (
        f"ansvar.se: line {at}: unknown dimension 1 code '9100': "
        "no unit in the configuration has it in ledger_codes"
    )
    assert err.swedish() == [
        f"ansvar.se, rad {at}: okänd kod 9100 (dimension 1): ingen enhet i konfigurationen har den."
    ]


def test_a_utf8_file_is_refused_at_its_first_non_ascii_line_read(config: ArshjulConfig) -> None:
    lines = sie_lines()
    at = line_number(lines, "#FNAMN")
    lines[at - 1] = '#FNAMN "Hedemora kommun, Kommunstyrelseförvaltningen"'
    err = refusal(config, sie_bytes(lines, "utf-8"), "utf8.se")
    assert err.problems[0].where.en == f"line {at}"
    assert "UTF-8" in err.english() and "CP437" in err.english()
    assert err.swedish()[0].startswith(f"utf8.se, rad {at}: texten är kodad som UTF-8")
    # Windows-1252 (what a text editor on Windows may save) is refused too.
    latin = refusal(config, sie_bytes(lines, "cp1252"), "latin.se")
    assert latin.problems[0].where.en == f"line {at}"
    assert "Windows-1252" in latin.english()
    # Lines that are not read (#OBJEKT and #KONTO names) are not judged: the figures are the same.
    assert sum(not line.isascii() for line in sie_lines()) == 11
    for encoding in ("utf-8", "cp1252"):
        again = figures(config, sie_bytes(sie_lines(), encoding), "namn.se")
        assert again == EXPECTED


def test_a_cp437_csv_is_refused_with_its_line(config: ArshjulConfig) -> None:
    text = SAMPLE_CSV.read_text(encoding="utf-8")
    err = refusal(config, text.encode("cp437"), "export.csv")
    assert err.problems[0].where.en == "line 1"  # "Benämning" in the header
    assert "not UTF-8" in err.english()
    assert "UTF-8" in err.swedish()[0]


def test_duplicate_period_rows_are_refused(config: ArshjulConfig) -> None:
    lines = sie_lines()
    at = line_number(lines, '#PSALDO 0 202603 6110 {1 "2100"}')
    lines.insert(at, lines[at - 1])
    err = refusal(config, sie_bytes(lines), "dubbel.se")
    assert err.english().startswith(f"dubbel.se: line {at + 1}: #PSALDO for period 2026-03")
    assert f"(first on line {at})" in err.english()

    csv_lines = SAMPLE_CSV.read_text(encoding="utf-8").splitlines()
    csv_lines.append(csv_lines[3])
    err = refusal(config, "\n".join(csv_lines).encode(), "dubbel.csv")
    assert err.english() == (
        f"dubbel.csv: line {len(csv_lines)}: code 1200 has a second row for period 2026-03 "
        "(first on line 4)"
    )


def test_periods_that_do_not_exist_are_refused(config: ArshjulConfig) -> None:
    lines = sie_lines()
    at = line_number(lines, '#PBUDGET 0 202612 5110 {1 "1000"}')
    lines[at - 1] = lines[at - 1].replace("202612", "202613")
    assert refusal(config, sie_bytes(lines), "p.se").english() == (
        f"p.se: line {at}: period 202613 does not exist (a period is YYYYMM, month 01-12)"
    )
    lines = sie_lines()
    lines[at - 1] = lines[at - 1].replace("202612", "202701")  # outside #RAR 0
    assert refusal(config, sie_bytes(lines), "p.se").english() == (
        f"p.se: line {at}: period 2027-01 does not exist in financial year 0 (2026-01 to 2026-12)"
    )
    rows = [["Ansvar", "Period", "Budget helår", "Utfall ack"], ["3100", "2026-13", 1, 2]]
    err = refusal(config, xlsx_bytes(rows), "p.xlsx")
    assert err.swedish() == [
        "p.xlsx, rad 2: perioden ”2026-13” finns inte (skriv ÅÅÅÅ-MM med månad 01–12)."
    ]
    # The period asked for must exist in the file and in the årshjul.
    assert "no outcome (#PSALDO) for period 2026-04; its last period is 2026-03" in (
        refusal(config, SAMPLE_SIE.read_bytes(), "s.se", "2026-04").english()
    )
    assert "no period of a report with an economic section" in (
        refusal(config, SAMPLE_SIE.read_bytes(), "s.se", "2026-07").english()
    )
    assert "does not exist" in refusal(config, SAMPLE_SIE.read_bytes(), "s.se", "2026-3").english()


def test_a_table_without_the_configured_columns_names_them(config: ArshjulConfig) -> None:
    rows = [["Ansvar", "Månad", "Budget", "Utfall"], ["3100", "2026-03", 1, 2]]
    err = refusal(config, xlsx_bytes(rows), "fel.xlsx")
    assert err.english().startswith(
        "fel.xlsx: row 1: the header has no column Period, Budget helår, Utfall ack"
    )
    text = "Ansvar;Period;Budget helår;Utfall ack\n3100;2026-03;12 000;inte ett tal\n"
    assert refusal(config, text.encode(), "fel.csv").english() == (
        "fel.csv: line 2: 'inte ett tal' is not an amount"
    )
