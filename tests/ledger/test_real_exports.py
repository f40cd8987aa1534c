"""SIE files as accounting programs write them (idstam/jsisie's test files, MIT): each unit's
figure matches a sum made here from the file's lines, apart from the importer (the small reader
below uses no arshjul.ledger code), and a file without balances per unit is refused."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

import pytest

from arshjul.calendar.config import ArshjulConfig
from arshjul.ledger.errors import LedgerError
from arshjul.ledger.reader import ReadFile, read_figures
from arshjul.ledger.sie import parse
from tests.ledger.conftest import REAL, with_units

_AMOUNT = re.compile(r"^#(PSALDO|PBUDGET)\s+(-?\d+)\s+(\d{6})\s+(\S+)\s+\{([^}]*)\}\s+(-?[\d.]+)")
_OBJECT = re.compile(r'"([^"]*)"|(\S+)')
Line = tuple[str, int, str, str, tuple[tuple[str, str], ...], Decimal]


def amount_lines(name: str) -> Iterator[Line]:
    """(label, årsnr, YYYYMM, account, ((dimension, object), ...), amount) per amount line."""
    for text in (REAL / name).read_bytes().decode("cp437").splitlines():
        found = _AMOUNT.match(text.strip())
        if found:
            tokens = [quoted or plain for quoted, plain in _OBJECT.findall(found[5])]
            objects = tuple(zip(tokens[0::2], tokens[1::2], strict=True))
            yield found[1], int(found[2]), found[3], found[4], objects, Decimal(found[6])


def result_account(account: str) -> bool:
    return 3000 <= int(account[:4]) <= 8999


def utfall_sum(name: str, code: str, first: str, last: str, dimension: str = "1") -> Decimal:
    """Every year-0 #PSALDO line of `first`-`last` on a result account that names the object
    `code` of `dimension`, alone or in a combination (right for files whose lines are disjoint,
    as the tests show them to be)."""
    return sum(
        (
            amount
            for label, year, period, account, objects, amount in amount_lines(name)
            if label == "PSALDO"
            and year == 0
            and first <= period <= last
            and result_account(account)
            and (dimension, code) in objects
        ),
        Decimal(0),
    )


def tkr(kronor: Decimal) -> Decimal:
    return (kronor / 1000).quantize(Decimal("0.1"))


def read(config: ArshjulConfig, name: str, period: str) -> ReadFile:
    return read_figures(config, (REAL / name).read_bytes(), name, period)


def utfall(found: ReadFile) -> dict[str, Decimal]:
    return {f.unit_id: f.utfall_tkr for f in found.figures}


def refusal(config: ArshjulConfig, name: str, period: str) -> LedgerError:
    with pytest.raises(LedgerError) as caught:
        read(config, name, period)
    return caught.value


@pytest.mark.parametrize(
    ("name", "period"),
    [("softone-xe-sie2.se", "2016-03"), ("mamut-sie2.se", "2010-12")],
)
def test_sie_2_without_balances_per_unit_is_refused(
    config: ArshjulConfig, name: str, period: str
) -> None:
    # SIE type 2: every amount line has an empty object list (`{}`, SoftOne writes `{ }`).
    assert {objects for *_, objects, _ in amount_lines(name)} == {()}
    err = refusal(config, name, period)
    assert len(err.problems) == 1
    assert err.english().startswith(f"{name}: the file has no balance per unit: no #PSALDO")
    assert "export SIE type 3 or 4 with balances per object" in err.english()
    assert err.swedish()[0].startswith(f"{name}: filen har inga saldon per enhet")
    assert err.swedish()[0].endswith("Ingenting lästes in.")


def test_avendo_sums_the_combinations_it_writes_instead_of_the_object_alone(
    config: ArshjulConfig,
) -> None:
    name = "avendo-objektsaldo-sie3.se"
    # Avendo writes one line per set of objects the transactions carry: each line is its own
    # share, and every account's lines add up to its #RES (the year so far), so summing them
    # counts nothing twice. No combination has a line for each of its objects alone (the sign
    # of a breakdown), though some of their objects have one ({"7" "1"} beside {"1" "Nord"
    # "7" "1"}).
    lines = [line for line in amount_lines(name) if line[0] == "PSALDO" and line[1] == 0]
    by_account: dict[str, Decimal] = defaultdict(Decimal)
    for *_, account, _, amount in lines:
        by_account[account] += amount
    text = (REAL / name).read_bytes().decode("cp437")
    res = {a: Decimal(v) for a, v in re.findall(r"^#RES 0 (\d+) (-?[\d.]+)", text, re.M)}
    assert len(res) == 49 and all(by_account[a] == v for a, v in res.items())
    alone = {(p, a, objects) for _, _, p, a, objects, _ in lines if len(objects) == 1}
    combinations = [(p, a, objects) for _, _, p, a, objects, _ in lines if len(objects) > 1]
    assert not any(all((p, a, (pair,)) in alone for pair in o) for p, a, o in combinations)
    assert any(any((p, a, (pair,)) in alone for pair in o) for p, a, o in combinations)

    found = read(with_units(config, {"nord": ["Nord"], "syd": ["Syd"]}), name, "2011-03")
    # Nord: 20 lines {"1" "Nord"} = 136 858.82 kr (the 136.9 tkr read before, combinations
    # dropped) + 16 combinations such as {"1" "Nord" "7" "4"} = -177 215.30 kr -> -40 356.48 kr.
    # Syd: 34 lines alone = 405 125.52 kr (405.1 before) + 10 combinations = -131 150.50 kr
    # -> 273 975.02 kr.
    assert utfall(found) == {"nord": Decimal("-40.4"), "syd": Decimal("274.0")}
    assert utfall_sum(name, "Nord", "201101", "201103") == Decimal("-40356.48")
    assert utfall_sum(name, "Syd", "201101", "201103") == Decimal("273975.02")
    assert {f.budget_tkr for f in found.figures} == {None}  # its budget lines have no object

    # Per employee (dimension 7) the object's own line and its combinations are both shares.
    people = {"ao": ["1"], "mlg": ["2"], "mn": ["3"], "se": ["4"], "ss": ["5"]}
    per_person = read(with_units(config, people, dimension=7), name, "2011-03")
    expected = {
        unit: tkr(utfall_sum(name, codes[0], "201101", "201103", dimension="7"))
        for unit, codes in people.items()
    }
    assert utfall(per_person) == {u: v for u, v in expected.items() if v}


def test_avendo_budget_lines_outside_their_year_are_warnings(config: ArshjulConfig) -> None:
    name = "avendo-objektsaldo-sie3.se"
    # 624 lines `#PBUDGET -1 2011MM …` give 2011 periods to årsnr -1, which #RAR -1 says is 2010;
    # the import of 2011-03 reads årsnr 0 only.
    outside = [line for line in amount_lines(name) if line[:2] == ("PBUDGET", -1)]
    assert len(outside) == 624 and {line[2][:4] for line in outside} == {"2011"}
    found = read(with_units(config, {"nord": ["Nord"], "syd": ["Syd"]}), name, "2011-03")
    assert len(found.warnings) == 625  # the summary and one warning per line
    english = found.warnings.english().splitlines()
    assert english[0].startswith(f"{name}: 624 lines of other financial years than the one ")
    assert english[1] == (
        f"{name}: line 3551: period 2011-01 does not exist in financial year -1 "
        "(2010-01 to 2010-12)"
    )
    assert english[-1] == f"{name}: … and 605 more warnings"
    assert found.warnings.swedish()[0].startswith(f"{name}: 624 rader för andra räkenskapsår")
    # In the year imported such a line is still refused.
    data = (REAL / name).read_bytes().replace(b"#PBUDGET 0 201101 3041", b"#PBUDGET 0 201201 3041")
    with pytest.raises(LedgerError) as caught:
        read_figures(with_units(config, {"nord": ["Nord"], "syd": ["Syd"]}), data, name, "2011-03")
    assert "period 2012-01 does not exist in financial year 0" in caught.value.english()


def test_avendo_5_10_has_combinations_only(config: ArshjulConfig) -> None:
    name = "avendo-sie3.se"
    found = read(with_units(config, {"nord": ["Nord"], "syd": ["Syd"]}), name, "2011-03")
    # Nord, all six lines {"1" "Nord" "7" "10x"}: 3051 -4 525.00 - 15 650.00, 3740 +0.25 - 0.50,
    # 4990 +2 600.00 + 12 520.00 -> -5 055.25 kr. Syd has no result line in 2011.
    assert utfall(found) == {"nord": Decimal("-5.1")}
    assert utfall_sum(name, "Nord", "201101", "201103") == Decimal("-5055.25")
    assert utfall_sum(name, "Syd", "201101", "201103") == 0


def test_softone_xe_sie_3_combinations_are_read(config: ArshjulConfig) -> None:
    name = "softone-xe-sie3.se"
    units = {"kontor": ["1"], "verkstad": ["10"], "hans": ["111"], "lager": ["9"]}
    found = read(with_units(config, units), name, "2016-03")
    # Two lines, both 201509 account 3010: {1 10 6 Bilen 2 KAZ747} -3 780.00 and
    # {1 1 6 115 2 KAZ747} -1 383.30 (their sum is the account's { } line, -5 163.30).
    assert utfall(found) == {"kontor": Decimal("-1.4"), "verkstad": Decimal("-3.8")}
    assert tkr(utfall_sum(name, "1", "201509", "201603")) == Decimal("-1.4")
    assert tkr(utfall_sum(name, "10", "201509", "201603")) == Decimal("-3.8")
    assert not found.warnings


def test_smalloffice_next_years_budget_under_last_year_is_a_warning(config: ArshjulConfig) -> None:
    name = "smalloffice-sie4.se"
    # SmallOffice writes 2014's budget as `#PBUDGET -1 2014MM` (92 lines) while #RAR -1 is 2013;
    # 2014's outcome is January: {"1" "0"} on 1910 and 2440 (balance accounts) and
    # `#PSALDO 0 201401 9010 {"1" "99"} 500`.
    outside = [line for line in amount_lines(name) if line[:2] == ("PBUDGET", -1)]
    assert len(outside) == 92 and {line[2][:4] for line in outside} == {"2014"}
    units = {"gemensam": ["99"], "test": ["100"]}  # object "0" is in no #OBJEKT line
    # With the usual result accounts (3000-8999) no unit has a figure: refused, not empty.
    err = refusal(with_units(config, units, months=(1,)), name, "2014-01")
    assert "the file has no balance per unit" in err.english()
    # Counting class 9 too, 9010 gives Gemensam 500 kr. The 92 lines are warnings, and so are
    # the 10 lines of 2013 whose object "0" no unit has, on accounts now counted.
    wide = with_units(config, units, months=(1,), accounts=["3000-9999"])
    found = read(wide, name, "2014-01")
    assert utfall(found) == {"gemensam": Decimal("0.5")}
    unknown = [
        line
        for line in amount_lines(name)
        if line[1] == -1 and 3000 <= int(line[3]) <= 9999 and ("1", "0") in line[4]
    ]
    assert len(unknown) == 10 and not set(unknown) & set(outside)
    assert found.warnings.english().startswith(f"{name}: 102 lines of other financial years")
    assert "unknown dimension 1 code '0'" in found.warnings.english()


def test_visma_bokforing_reads_though_its_folder_line_is_windows_1252(
    config: ArshjulConfig,
) -> None:
    name = "visma-bokforing-sie2.se"
    data = (REAL / name).read_bytes()
    # Line 7, #FNR (a folder path, not read), is Windows-1252 ("Bokf\xf6ring"); the other 354
    # lines with Swedish letters are CP437 ("Bokf\x94ring" in #PROGRAM).
    fnr = data.split(b"\n")[6]
    assert fnr.startswith(b"#FNR") and b"Bokf\xf6ring" in fnr
    assert b'#PROGRAM "Visma Bokf\x94ring" 4.5' in data
    sie = parse(data, name)
    assert (sie.program, sie.company) == ("Visma Bokföring 4.5", "Övningsbolaget AB")
    assert len(sie.amounts) == 324
    # SIE 2 has no balance per unit: the refusal says so, not that the text is Windows-1252.
    err = refusal(config, name, "2010-02")
    assert "the file has no balance per unit" in err.english()
    assert "Windows-1252" not in err.english()


def test_mamut_sie_3_writes_a_combination_as_one_line_per_object(config: ArshjulConfig) -> None:
    name = "mamut-sie3.se"
    lines = (REAL / name).read_bytes().decode("cp437").splitlines()
    # Mamut writes a transaction with a department and a project as two lines in a row with the
    # same amount, `{6 "2"} 150000.00` then `{1 "2"} 150000.00`, so department 2 recurs for
    # the same period and account (line 246 repeats line 244's key).
    assert lines[243:246] == [
        '#PSALDO 0 201001 1510 {1 "2"} 2148941.57',
        '#PSALDO 0 201001 1510 {6 "2"} 150000.00',
        '#PSALDO 0 201001 1510 {1 "2"} 150000.00',
    ]
    # The August pairs on 4011 add up to the account's { } line: 44 500 + 56 600 = 101 100.
    august = [a for a in amount_lines(name) if a[0] == "PSALDO" and a[2:4] == ("201008", "4011")]
    assert [(objects, amount) for *_, objects, amount in august] == [
        ((), Decimal("101100.00")),
        ((("6", "4"),), Decimal("44500.00")),
        ((("1", "2"),), Decimal("44500.00")),
        ((("6", "5"),), Decimal("56600.00")),
        ((("1", "2"),), Decimal("56600.00")),
    ]
    months = tuple(range(1, 13))
    department = with_units(config, {"forsaljning": ["2"]}, months=months)
    for period in ("2010-01", "2010-08", "2010-12"):
        found = read(department, name, period)
        month = period.replace("-", "")
        assert utfall(found) == {"forsaljning": tkr(utfall_sum(name, "2", "201001", month))}
        assert not found.warnings
    # Department 2 in January: -1 719 152.45 and -120 000.00 on 3051, -4 200.00 on 3054, ...
    assert utfall(read(department, name, "2010-01")) == {"forsaljning": Decimal("-1839.2")}

    projects = {f"p{code}": [code] for code in ("2", "4", "5", "8", "9")}
    per_project = read(with_units(config, projects, months=months, dimension=6), name, "2010-12")
    expected = {
        unit: tkr(utfall_sum(name, codes[0], "201001", "201012", dimension="6"))
        for unit, codes in projects.items()
    }
    assert utfall(per_project) == expected
    assert expected["p4"] == Decimal("44.5") and expected["p5"] == Decimal("56.6")

    # A recurring line that is no such pair (another amount) is still refused.
    changed = (
        (REAL / name)
        .read_bytes()
        .replace(b'201001 1510 {1 "2"} 150000.00', b'201001 1510 {1 "2"} 150001.00')
    )
    assert changed != (REAL / name).read_bytes()
    with pytest.raises(LedgerError) as caught:
        read_figures(department, changed, name, "2010-12")
    assert "line 246: #PSALDO for period 2010-01, account 1510, {1 2} appears twice" in (
        caught.value.english()
    )
