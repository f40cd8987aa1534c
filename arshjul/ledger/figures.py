"""From a parsed ledger file to each unit's budget and utfall for one period (pure).

A unit's figure is the sum over its ledger codes (a code ending in `*` covers every code that
starts with what precedes it). Budget is the financial year's; utfall runs from the start of
the financial year through the period. Amounts are net cost (costs positive, revenue negative)
in tkr with one decimal, as the form asks.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.municipal import LedgerConfig
from arshjul.ledger.errors import WHOLE_FILE, LedgerError, Problem, Where, line_order
from arshjul.ledger.sie import SieFile
from arshjul.ledger.tables import TableRow

_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class UnitFigures:
    """A unit's figures for the period, and the ledger codes they were summed from."""

    unit_id: str
    codes: tuple[str, ...]
    budget_tkr: Decimal | None
    utfall_tkr: Decimal


class CodeMap:
    """Finds the unit a ledger code belongs to: its own code first, then the longest prefix."""

    def __init__(self, config: ArshjulConfig) -> None:
        self.exact: dict[str, str] = {}
        self.prefixes: list[tuple[str, str]] = []
        for unit in config.units:
            for code in unit.ledger_codes:
                if code.endswith("*"):
                    self.prefixes.append((code[:-1], unit.id))
                else:
                    self.exact.setdefault(code, unit.id)
        self.prefixes.sort(key=lambda item: -len(item[0]))
        self._found: dict[str, str | None] = {}

    def __bool__(self) -> bool:
        return bool(self.exact or self.prefixes)

    def unit_for(self, code: str) -> str | None:
        """Returns the unit id of a code, or None when no unit has it."""
        if code not in self._found:
            self._found[code] = self.exact.get(code) or next(
                (unit for prefix, unit in self.prefixes if code.startswith(prefix)), None
            )
        return self._found[code]


def economic_periods(config: ArshjulConfig) -> set[int]:
    """Returns the months that end a period of some report with an economic section."""
    return {m for r in config.reports if "economic" in r.sections for m in r.period_months}


def check_period(config: ArshjulConfig, period: str, file_name: str) -> None:
    """Refuses a period that is no YYYY-MM month or that no economic report of the årshjul has."""
    found = _PERIOD.match(period)
    if not found or not 1 <= int(found[2]) <= 12:
        raise LedgerError(
            file_name,
            [
                Problem(
                    WHOLE_FILE,
                    f"period {period!r} does not exist: give a month as YYYY-MM",
                    f"perioden ”{period}” finns inte: ange en månad som ÅÅÅÅ-MM.",
                )
            ],
        )
    months = economic_periods(config)
    if int(found[2]) not in months:
        listed = ", ".join(f"{m:02d}" for m in sorted(months)) or "none"
        raise LedgerError(
            file_name,
            [
                Problem(
                    WHOLE_FILE,
                    f"period {period} is no period of a report with an economic section "
                    f"(months: {listed})",
                    f"perioden {period} är ingen period i årshjulet för en rapport med ekonomisk "
                    f"uppföljning (månader: {listed}).",
                )
            ],
        )


def to_tkr(kronor: Decimal) -> Decimal:
    """Converts kronor to tkr with one decimal, rounding half away from zero."""
    return (kronor / 1000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _no_units(file_name: str) -> LedgerError:
    return LedgerError(
        file_name,
        [
            Problem(
                WHOLE_FILE,
                "no unit in the configuration has ledger_codes, so no figure can be placed",
                "ingen enhet i konfigurationen har koder från ekonomisystemet (ledger_codes).",
            )
        ],
    )


def _unknown(where: Where, code: str, what: str) -> Problem:
    return Problem(
        where,
        f"unknown {what} code {code!r}: no unit in the configuration has it in ledger_codes",
        f"okänd kod {code} ({what}): ingen enhet i konfigurationen har den.",
    )


def _collect(
    items: Iterable[tuple[str, str, Decimal | None, Decimal | None]],
) -> list[UnitFigures]:
    # items: (code, unit, budget, utfall), already known to belong to the period.
    budget: dict[str, Decimal] = defaultdict(Decimal)
    utfall: dict[str, Decimal] = defaultdict(Decimal)
    has_budget: set[str] = set()
    found: dict[str, set[str]] = defaultdict(set)
    for code, unit, b, u in items:
        found[unit].add(code)
        if b is not None:
            budget[unit] += b
            has_budget.add(unit)
        if u is not None:
            utfall[unit] += u
    return [
        UnitFigures(
            unit_id=unit,
            codes=tuple(sorted(found[unit])),
            budget_tkr=to_tkr(budget[unit]) if unit in has_budget else None,
            utfall_tkr=to_tkr(utfall[unit]),
        )
        for unit in sorted(found)
    ]


@dataclass(frozen=True)
class SieFigures:
    """A SIE file's unit figures for a period, and what of other years was not read."""

    figures: list[UnitFigures]
    warnings: list[Problem]


def _year_of(sie: SieFile, period: str, file_name: str) -> int:
    year_no = next(
        (
            n
            for n, (first, last) in sie.years.items()
            if f"{first:%Y-%m}" <= period <= f"{last:%Y-%m}"
        ),
        None,
    )
    if year_no is None:
        years = "; ".join(f"{a:%Y-%m} – {b:%Y-%m}" for a, b in sie.years.values()) or "none"
        raise LedgerError(
            file_name,
            [
                Problem(
                    WHOLE_FILE,
                    f"period {period} is in none of the file's financial years ({years})",
                    f"perioden {period} ligger inte i något av filens räkenskapsår ({years}).",
                )
            ],
        )
    return year_no


def from_sie(
    sie: SieFile, config: ArshjulConfig, ledger: LedgerConfig, period: str, file_name: str
) -> SieFigures:
    """Sums a SIE file's #PBUDGET (the year) and #PSALDO (year start through the period).

    A unit's amount for an account and period comes from the lines whose object list holds one
    of its codes in the configured dimension. Programs write combinations of objects in two
    ways, told apart line by line for each account and period:
    - as a breakdown (SIE 4B's reading; Raindance): every object of `{1 "2100" 6 "P100"}` has
      its own line too (`{1 "2100"}`, `{6 "P100"}`), and the combination is already inside
      them, so it is not added again;
    - as a share of its own (Visma Avendo): one line per set of objects the transactions carry,
      `{"7" "1"}`, `{"1" "Nord" "7" "1"}`, `{"1" "Syd" "6" "0001" "7" "4"}`, with no line for
      `{"1" "Nord"}` alone; the lines are disjoint (every account's lines add up to its #RES),
      so the object's amount is the sum of its own line, if any, and its combinations;
    - as one line per object (Mamut): `{6 "2"} 150000.00` then `{1 "2"} 150000.00`, read by
      the parser as the combination they are (see sie.parse), then as a share.
    Problems on lines of other financial years than the one imported are warnings.
    """
    codes = CodeMap(config)
    if not codes:
        raise _no_units(file_name)
    dim = str(ledger.sie_dimension)
    year_no = _year_of(sie, period, file_name)
    first_month, last_month = (f"{d:%Y-%m}" for d in sie.years[year_no])
    problems = sie.problems_in(year_no)
    warnings = sie.problems_outside(year_no)
    items = []
    closed = {a.period for a in sie.amounts if a.kind == "utfall" and a.year_no == year_no}
    counts = ledger.account_filter()
    alone = {
        (a.kind, a.year_no, a.account, a.period, a.objects[0])
        for a in sie.amounts
        if len(a.objects) == 1
    }
    in_dimension = False
    for a in sie.amounts:
        found = [code for d, code in a.objects if d == dim]
        if len(found) != 1 or not counts(a.account):
            continue
        code = found[0]
        if len(a.objects) > 1 and all(
            (a.kind, a.year_no, a.account, a.period, pair) in alone for pair in a.objects
        ):
            continue  # a breakdown of lines that exist: already inside them
        unit = codes.unit_for(code)
        if unit is None:
            problem = _unknown(Where.line(a.line), code, f"dimension {dim}")
            (problems if a.year_no == year_no else warnings).append(problem)
            continue
        if a.year_no != year_no:
            continue
        in_dimension = True
        if a.kind == "budget":
            items.append((code, unit, a.amount, None))
        elif first_month <= a.period <= period:
            items.append((code, unit, None, a.amount))
    if problems:
        raise LedgerError(file_name, sorted(problems, key=line_order))
    if period not in closed:
        last = max(closed, default=None)
        raise LedgerError(
            file_name,
            [
                Problem(
                    WHOLE_FILE,
                    f"the file has no outcome (#PSALDO) for period {period}"
                    + (f"; its last period is {last}" if last else ""),
                    f"filen har inget utfall (#PSALDO) för perioden {period}"
                    + (f"; dess senaste period är {last}." if last else "."),
                )
            ],
        )
    if not any(utfall is not None for *_, utfall in items):
        raise _no_unit_balances(file_name, dim, first_month, last_month, period, in_dimension)
    return SieFigures(_collect(items), _summarised(warnings, year_no, first_month, last_month))


def _no_unit_balances(
    file_name: str, dim: str, first: str, last: str, period: str, in_dimension: bool
) -> LedgerError:
    # SIE type 2 (SoftOne XE, Mamut) has balances per account only; a unit's figure needs
    # balances per object, which types 3 and 4 carry.
    year = f"{first} to {last}"
    if not in_dimension:
        en = (
            f"the file has no balance per unit: no #PSALDO or #PBUDGET line of financial year "
            f"{year} has an object in dimension {dim} on the result accounts, so there is no "
            "figure for any unit; export SIE type 3 or 4 with balances per object "
            f"(dimension {dim}, the units' ledger_codes)"
        )
        sv = (
            f"filen har inga saldon per enhet: ingen #PSALDO- eller #PBUDGET-rad för "
            f"räkenskapsåret {first} – {last} har ett objekt i dimension {dim} på "
            "resultatkontona, så det finns inga siffror för någon enhet (SIE typ 2 har bara "
            "saldon per konto). Exportera SIE typ 3 eller 4 med saldon per objekt "
            f"(dimension {dim}, enheternas koder). Ingenting lästes in."
        )
    else:
        en = (
            f"the file has no outcome per unit from {first} through {period}: no #PSALDO line "
            f"of those periods has an object in dimension {dim} on the result accounts"
        )
        sv = (
            f"filen har inget utfall per enhet för {first} – {period}: ingen #PSALDO-rad för "
            f"de perioderna har ett objekt i dimension {dim} på resultatkontona. "
            "Ingenting lästes in."
        )
    return LedgerError(file_name, [Problem(WHOLE_FILE, en, sv)])


def _summarised(warnings: list[Problem], year_no: int, first: str, last: str) -> list[Problem]:
    if not warnings:
        return []
    lines = len({line_order(p) for p in warnings})  # a line may have two problems
    head = Problem(
        WHOLE_FILE,
        f"{lines} line{'s' if lines != 1 else ''} of other financial years than the one "
        f"imported (årsnr {year_no}, {first} to {last}) cannot be read as they stand; the "
        "import does not need them and went ahead without them",
        f"{lines} {'rader' if lines != 1 else 'rad'} för andra räkenskapsår än det som lästes "
        f"in (årsnr {year_no}, {first} – {last}) kan inte läsas som de står. Inläsningen "
        "behöver dem inte och gjordes utan dem.",
    )
    return [head, *sorted(warnings, key=line_order)]


def from_table(
    rows: list[TableRow], config: ArshjulConfig, period: str, file_name: str
) -> list[UnitFigures]:
    """Takes a table's rows of the period; refuses unknown codes and a code twice in a period."""
    codes = CodeMap(config)
    if not codes:
        raise _no_units(file_name)
    problems: list[Problem] = []
    seen: dict[tuple[str, str], Where] = {}
    items = []
    for row in rows:
        unit = codes.unit_for(row.code)
        if unit is None:
            problems.append(_unknown(row.where, row.code, "ansvar"))
            continue
        key = (row.code, row.period)
        if key in seen:
            problems.append(
                Problem(
                    row.where,
                    f"code {row.code} has a second row for period {row.period} "
                    f"(first on {seen[key].en})",
                    f"koden {row.code} har en andra rad för perioden {row.period} "
                    f"(den första på {seen[key].sv}).",
                )
            )
            continue
        seen[key] = row.where
        if row.period == period:
            if row.utfall is None:
                problems.append(
                    Problem(row.where, "the utfall is empty", "utfallet saknas på raden.")
                )
            items.append((row.code, unit, row.budget, row.utfall))
    if problems:
        raise LedgerError(file_name, problems)
    if not items:
        listed = ", ".join(sorted({r.period for r in rows})) or "none"
        raise LedgerError(
            file_name,
            [
                Problem(
                    WHOLE_FILE,
                    f"no row has period {period} (periods in the file: {listed})",
                    f"ingen rad gäller perioden {period} (perioder i filen: {listed}).",
                )
            ],
        )
    return _collect(items)
