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
from arshjul.ledger.errors import WHOLE_FILE, LedgerError, Problem, Where
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

    def __bool__(self) -> bool:
        return bool(self.exact or self.prefixes)

    def unit_for(self, code: str) -> str | None:
        """Returns the unit id of a code, or None when no unit has it."""
        if code in self.exact:
            return self.exact[code]
        return next((unit for prefix, unit in self.prefixes if code.startswith(prefix)), None)


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
    codes: CodeMap, items: Iterable[tuple[Where, str, str, Decimal | None, Decimal | None]]
) -> list[UnitFigures]:
    # items: (where, code, unit, budget, utfall), already known to belong to the period.
    budget: dict[str, Decimal] = defaultdict(Decimal)
    utfall: dict[str, Decimal] = defaultdict(Decimal)
    has_budget: set[str] = set()
    found: dict[str, set[str]] = defaultdict(set)
    for _, code, unit, b, u in items:
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


def from_sie(
    sie: SieFile, config: ArshjulConfig, ledger: LedgerConfig, period: str, file_name: str
) -> list[UnitFigures]:
    """Sums a SIE file's #PBUDGET (the year) and #PSALDO (year start through the period)."""
    codes = CodeMap(config)
    if not codes:
        raise _no_units(file_name)
    dim = str(ledger.sie_dimension)
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
    start = f"{sie.years[year_no][0]:%Y-%m}"
    problems: list[Problem] = []
    items = []
    closed = {a.period for a in sie.amounts if a.kind == "utfall" and a.year_no == year_no}
    for a in sie.amounts:
        if len(a.objects) != 1 or a.objects[0][0] != dim or not ledger.counts_account(a.account):
            continue
        code = a.objects[0][1]
        unit = codes.unit_for(code)
        if unit is None:
            problems.append(_unknown(Where.line(a.line), code, f"dimension {dim}"))
            continue
        if a.year_no != year_no:
            continue
        if a.kind == "budget":
            items.append((Where.line(a.line), code, unit, a.amount, None))
        elif start <= a.period <= period:
            items.append((Where.line(a.line), code, unit, None, a.amount))
    if problems:
        raise LedgerError(file_name, problems)
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
    return _collect(codes, items)


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
            items.append((row.where, row.code, unit, row.budget, row.utfall))
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
    return _collect(codes, items)
