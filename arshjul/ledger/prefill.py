"""The economic section prefilled from the ledger, and the ledger's figures kept in each version.

The form fills only blank budget and utfall fields, so a chef's correction (in a draft or an
earlier version) is never overwritten; every sent version records the ledger's figures beside
the chef's, so the receipt and the committee see what was corrected.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from arshjul.models.rounds import RoundSpec
from arshjul.store.ledger import LedgerRepository

FIELDS = ("budget_tkr", "utfall_tkr")


@dataclass(frozen=True)
class LedgerNote:
    """What the form says about the prefilled figures: source, time, and the ledger's values."""

    source: dict[str, Any]  # a LedgerSource as JSON-ready data
    filled: tuple[str, ...]  # the fields filled from the ledger on this page
    differs: dict[str, str]  # field -> the ledger's value (Swedish) where the form says otherwise


def ledger_source(session: Session, spec: RoundSpec) -> dict[str, Any] | None:
    """Returns the newest ledger figures for the round's unit and period, or None."""
    if "economic" not in spec.sections:
        return None
    found = LedgerRepository(session).latest(
        org_id=spec.org_id, unit_id=spec.unit_id, period=spec.period
    )
    if found is None:
        return None
    figure, record = found
    return {
        "source": record.source,
        "imported_at": record.imported_at.isoformat(),
        "budget_tkr": None if figure.budget_tkr is None else str(figure.budget_tkr),
        "utfall_tkr": str(figure.utfall_tkr),
    }


def _typed(value: str) -> Decimal | None:
    try:
        return Decimal(value.replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except ArithmeticError:
        return None


def prefill_economic(
    session: Session, spec: RoundSpec, fields: MutableMapping[str, str]
) -> LedgerNote | None:
    """Fills blank budget and utfall fields from the ledger; returns the note the form shows."""
    source = ledger_source(session, spec)
    if source is None:
        return None
    filled, differs = [], {}
    for name in FIELDS:
        value = source[name]
        if value is None:
            continue
        key = f"economic.{name}"
        if not fields.get(key, "").strip():
            fields[key] = value.replace(".", ",")
            filled.append(name)
        elif _typed(fields[key]) != Decimal(value):
            differs[name] = value
    return LedgerNote(source=source, filled=tuple(filled), differs=differs)


def with_ledger_source(session: Session, spec: RoundSpec, data: dict[str, Any]) -> dict[str, Any]:
    """Puts the ledger's current figures into the economic section (none sent by the browser)."""
    economic = data.get("economic")
    if not isinstance(economic, dict):
        return data
    economic.pop("ledger", None)
    source = ledger_source(session, spec)
    if source is not None:
        economic["ledger"] = source
    return data
