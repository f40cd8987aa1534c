"""The compiled delårsrapport's figures against a hand calculation (pure, no store)."""

from __future__ import annotations

from arshjul.compile.build import build_document
from arshjul.compile.model import CompileInputs, UnitStatus
from tests.compile import scenario as sc


def test_economy_totals_match_the_hand_calculation(delar_inputs: CompileInputs) -> None:
    doc = build_document(delar_inputs)
    total = doc.economy_total
    assert total is not None
    assert (total.budget_tkr, total.utfall_tkr, total.forecast_tkr) == (
        sc.TOTAL_BUDGET,
        sc.TOTAL_UTFALL,
        sc.TOTAL_FORECAST,
    )
    assert total.deviation_tkr == sc.TOTAL_DEVIATION
    assert total.deviation_percent == sc.TOTAL_PERCENT
    # Nine units reported; the missing one has no row, and the rows keep configuration order.
    assert [r.unit_name for r in doc.economy][0] == "Kommunstyrelseförvaltningen"
    assert len(doc.economy) == 9
    assert "Hedemora Näringsliv AB" not in {r.unit_name for r in doc.economy}


def test_units_beyond_the_threshold_are_flagged_with_their_measures(
    delar_inputs: CompileInputs,
) -> None:
    doc = build_document(delar_inputs)
    assert [f.unit_name for f in doc.flagged] == sc.FLAGGED
    bun = doc.flagged[0]
    assert bun.deviation_tkr == -5000
    assert bun.measures == "Åtgärder i Barn- och utbildningsförvaltningen: vakanser hålls öppna."


def test_assessments_are_counted_per_goal_and_in_total(delar_inputs: CompileInputs) -> None:
    doc = build_document(delar_inputs)
    assert [g.goal for g in doc.goals] == list(sc.GOALS)
    assert {g.goal: g.counts for g in doc.goals} == sc.GOAL_COUNTS
    assert doc.assessment_totals == sc.ASSESSMENT_TOTALS
    first = doc.goals[0]
    # Activities land under their goal; the ones without a goal under "Övriga aktiviteter".
    assert len(first.activities) == 9
    assert len(doc.other_activities) == 9


def test_status_page_names_missing_late_and_remitted_units_and_marks_a_draft(
    delar_inputs: CompileInputs,
) -> None:
    doc = build_document(delar_inputs)
    status = {s.unit_name: s.status for s in doc.status}
    assert status["Hedemora Näringsliv AB"] == UnitStatus.LATE
    assert status["Miljö- och byggförvaltningen"] == UnitStatus.REMITTED
    assert sum(s == UnitStatus.APPROVED for s in status.values()) == 8
    assert doc.draft
    assert not next(r for r in doc.economy if r.unit_name.startswith("Miljö")).approved
    assert (6, 2) in doc.sources  # the remitted unit's submitted version is the one used


def test_everything_approved_is_not_a_draft(delar_inputs: CompileInputs) -> None:
    complete = delar_inputs.model_copy(deep=True)
    complete.units = [u for u in complete.units if u.unit_id != sc.MISSING]
    for unit in complete.units:
        assert unit.submission is not None
        unit.submission.approved = True
    assert not build_document(complete).draft


def test_texts_follow_configuration_order(delar_inputs: CompileInputs) -> None:
    doc = build_document(delar_inputs)
    assert [t.unit_name for t in doc.texts][:3] == [
        "Kommunstyrelseförvaltningen",
        "Barn- och utbildningsförvaltningen",
        "Socialförvaltningen",
    ]
    assert len(doc.texts) == 9


def test_forecast_trend_ends_with_this_report(delar_inputs: CompileInputs) -> None:
    doc = build_document(delar_inputs)
    assert [p.period for p in doc.forecast_history] == [*sc.MONTHLY_OVERRUN, sc.PERIOD]
    assert doc.forecast_history[-1].forecast_tkr == sc.TOTAL_FORECAST
