"""Building the compiled document from the units' submissions. Pure: no store, no clock."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from arshjul.compile.model import (
    ActivityRow,
    CompiledDocument,
    CompileInputs,
    EconomyRow,
    FlaggedUnit,
    ForecastPoint,
    GoalBlock,
    GoalUnitRow,
    StatusRow,
    UnitInput,
    UnitStatus,
    UnitText,
)
from arshjul.forms.content import Assessment
from arshjul.forms.rules import measures_required
from arshjul.models.rounds import RoundState
from arshjul.swedish import MONTHS_SV
from arshjul.text import clean_strings

TOTAL_LABEL = "Totalt"
# What the document repeats from its inputs unchanged.
HEADER_FIELDS = {
    "org_name",
    "report_id",
    "report_title",
    "period",
    "period_end",
    "measures_threshold_tkr",
}


def unit_status(unit: UnitInput) -> UnitStatus:
    """Tells where a unit's part stands: approved, submitted, remitted, late or missing."""
    if unit.submission is not None and unit.submission.approved:
        return UnitStatus.APPROVED
    if unit.state == RoundState.REMITTED:
        return UnitStatus.REMITTED
    if unit.submission is not None:
        return UnitStatus.SUBMITTED
    return UnitStatus.LATE if unit.late else UnitStatus.MISSING


def deviation_percent(deviation: Decimal, budget: Decimal) -> Decimal | None:
    """Returns the deviation as per cent of the budget, one decimal (None for a zero budget)."""
    if budget == 0:
        return None
    # Half away from zero, as people round by hand (−1,25 % is −1,3 %).
    return (deviation / budget * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _row(
    name: str, budget: Decimal, utfall: Decimal, forecast: Decimal, approved: bool
) -> EconomyRow:
    deviation = budget - forecast  # net cost: negative means a forecast overspend
    return EconomyRow(
        unit_name=name,
        budget_tkr=budget,
        utfall_tkr=utfall,
        forecast_tkr=forecast,
        deviation_tkr=deviation,
        deviation_percent=deviation_percent(deviation, budget),
        approved=approved,
    )


def _economy(
    inputs: CompileInputs,
) -> tuple[list[EconomyRow], EconomyRow | None, list[FlaggedUnit]]:
    rows: list[EconomyRow] = []
    flagged: list[FlaggedUnit] = []
    for unit in inputs.units:
        if unit.submission is None or unit.submission.content.economic is None:
            continue
        eco = unit.submission.content.economic
        rows.append(
            _row(
                unit.unit_name,
                eco.budget_tkr,
                eco.utfall_tkr,
                eco.forecast_tkr,
                unit.submission.approved,
            )
        )
        if measures_required(eco.deviation_tkr, inputs.measures_threshold_tkr):
            flagged.append(
                FlaggedUnit(
                    unit_name=unit.unit_name,
                    deviation_tkr=eco.deviation_tkr,
                    measures=eco.measures,
                    analysis=eco.analysis,
                )
            )
    if not rows:
        return rows, None, flagged
    total = _row(
        TOTAL_LABEL,
        sum((r.budget_tkr for r in rows), Decimal(0)),
        sum((r.utfall_tkr for r in rows), Decimal(0)),
        sum((r.forecast_tkr for r in rows), Decimal(0)),
        all(r.approved for r in rows),
    )
    return rows, total, flagged


def _goals(inputs: CompileInputs) -> tuple[list[GoalBlock], list[ActivityRow]]:
    # Goals are free text per unit; the same wording is the same goal, kept in order of first
    # appearance (units in configuration order), as the Hagfors report lists them.
    blocks: dict[str, GoalBlock] = {}
    for unit in inputs.units:
        if unit.submission is None:
            continue
        for goal in unit.submission.content.goals:
            block = blocks.setdefault(goal.goal, GoalBlock(goal=goal.goal))
            block.rows.append(
                GoalUnitRow(
                    unit_name=unit.unit_name,
                    assessment=goal.assessment,
                    trend=goal.trend,
                    comment=goal.comment,
                    approved=unit.submission.approved,
                )
            )
    others: list[ActivityRow] = []
    for unit in inputs.units:
        if unit.submission is None:
            continue
        for act in unit.submission.content.activities:
            row = ActivityRow(
                unit_name=unit.unit_name,
                title=act.title,
                status=act.status,
                start=act.start,
                end=act.end,
                responsible=act.responsible,
                comment=act.comment,
            )
            target = blocks.get(act.goal)
            (target.activities if target else others).append(row)
    for block in blocks.values():
        block.counts = {a: sum(r.assessment == a for r in block.rows) for a in Assessment}
    return list(blocks.values()), others


def _texts(inputs: CompileInputs) -> list[UnitText]:
    texts: list[UnitText] = []
    for unit in inputs.units:
        content = unit.submission.content if unit.submission else None
        if content is None or content.texts is None:
            continue
        if not (content.texts.forvaltningsberattelse or content.texts.personalberattelse):
            continue
        texts.append(
            UnitText(
                unit_name=unit.unit_name,
                forvaltningsberattelse=content.texts.forvaltningsberattelse,
                personalberattelse=content.texts.personalberattelse,
                approved=unit.submission.approved if unit.submission else False,
            )
        )
    return texts


def _trend(inputs: CompileInputs, total: EconomyRow | None) -> list[ForecastPoint]:
    # The year's forecast trend ends with this report's own forecast.
    points = [p for p in inputs.forecast_history if p.period < inputs.period]
    if total is not None:
        month = MONTHS_SV[inputs.period_end.month - 1]
        points.append(
            ForecastPoint(
                period=inputs.period,
                label=f"{inputs.report_title} {month}",
                budget_tkr=total.budget_tkr,
                forecast_tkr=total.forecast_tkr,
                units_reporting=sum(1 for u in inputs.units if u.submission is not None),
            )
        )
    return points


def build_document(inputs: CompileInputs) -> CompiledDocument:
    """Compiles the units' submissions into one document (a draft unless every unit is approved)."""
    status = [
        StatusRow(
            unit_name=u.unit_name,
            status=unit_status(u),
            due=u.due,
            version=u.submission.version if u.submission else None,
        )
        for u in inputs.units
    ]
    economy, total, flagged = _economy(inputs)
    goals, others = _goals(inputs)
    totals = {a: sum(b.counts.get(a, 0) for b in goals) for a in Assessment}
    document = CompiledDocument(
        **inputs.model_dump(include=HEADER_FIELDS),
        draft=any(s.status != UnitStatus.APPROVED for s in status),
        status=status,
        economy=economy,
        economy_total=total,
        flagged=flagged,
        goals=goals,
        assessment_totals=totals,
        other_activities=others,
        texts=_texts(inputs),
        forecast_history=_trend(inputs, total),
        sources=[
            (u.submission.submission_id, u.submission.version) for u in inputs.units if u.submission
        ],
    )
    # Stored submissions may hold control characters pasted from PDF or Word; no renderer gets them.
    return CompiledDocument.model_validate(clean_strings(document.model_dump()))
