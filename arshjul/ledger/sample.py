"""A demonstration ledger export for any period: one CSV row per unit code, laid out as the
configuration's `ledger.columns` say, so a newcomer can try the import on the day they start
`arshjul up` (the bundled samples are for one past month, whose rounds never open in a demo)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.municipal import LedgerConfig

# Made-up but plausible figures: a unit's yearly net cost, and how far through the year its
# utfall runs (a little under or over the even pace, differently per unit).
_BUDGET_KR = Decimal("24000000")
_PACE = (Decimal("0.97"), Decimal("1.00"), Decimal("1.04"), Decimal("0.99"), Decimal("1.02"))


def sample_code(code: str) -> str:
    """A code the ledger could write that the unit's configured code covers ("2*" → "2000")."""
    if not code.endswith("*"):
        return code
    stem = code[:-1]
    return stem + "0" * max(4 - len(stem), 1)


def _amount(value: Decimal, ledger: LedgerConfig) -> str:
    shown = value / 1000 if ledger.table_amounts == "tkr" else value
    return f"{shown.quantize(Decimal('0.01'))}".replace(".", ",")


def sample_csv(config: ArshjulConfig, period: str) -> str:
    """The CSV a data-warehouse export would give for `period` (YYYY-MM), with every unit that
    has ledger codes; empty of rows when none has."""
    ledger = config.ledger or LedgerConfig()
    columns = ledger.columns
    month = int(period[5:7])
    out = io.StringIO()
    writer = csv.writer(out, delimiter=ledger.csv_delimiter, lineterminator="\r\n")
    writer.writerow([columns.code, "Benämning", columns.period, columns.budget, columns.utfall])
    coded = [u for u in config.units if u.ledger_codes]
    for k, unit in enumerate(coded):
        budget = _BUDGET_KR * (k + 1)
        utfall = budget * month / 12 * _PACE[k % len(_PACE)]
        code = sample_code(unit.ledger_codes[0])
        writer.writerow([code, unit.name, period, _amount(budget, ledger), _amount(utfall, ledger)])
    return out.getvalue()
