"""Compiling from a real store: the right versions are picked, late units found, the trend read."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from arshjul.calendar.config import ArshjulConfig
from arshjul.compile.build import build_document
from arshjul.compile.gather import CompileError, gather_inputs
from arshjul.compile.model import CompileInputs, UnitStatus
from tests.compile import scenario as sc
from tests.compile.seed import TODAY


def test_store_gives_the_same_document_as_the_hand_built_inputs(
    seeded_store: sessionmaker[Session], example_config: ArshjulConfig, delar_inputs: CompileInputs
) -> None:
    with seeded_store() as session:
        inputs = gather_inputs(session, example_config, "delarsrapport", sc.PERIOD, today=TODAY)
    doc = build_document(inputs)
    expected = build_document(delar_inputs)
    total = doc.economy_total
    assert total is not None
    # ksf's remitted first version (forecast + 9 999) must not be used: the approved one is.
    assert (total.budget_tkr, total.forecast_tkr, total.deviation_tkr, total.deviation_percent) == (
        sc.TOTAL_BUDGET,
        sc.TOTAL_FORECAST,
        sc.TOTAL_DEVIATION,
        sc.TOTAL_PERCENT,
    )
    assert [f.unit_name for f in doc.flagged] == sc.FLAGGED
    assert doc.assessment_totals == sc.ASSESSMENT_TOTALS
    assert [(s.unit_name, s.status) for s in doc.status] == [
        (s.unit_name, s.status) for s in expected.status
    ]
    assert doc.draft
    versions = {u.unit_id: u.submission.version for u in inputs.units if u.submission}
    assert versions["ksf"] == 2 and versions[sc.REMITTED] == 1


def test_missing_unit_is_late_only_after_its_due_date(
    seeded_store: sessionmaker[Session], example_config: ArshjulConfig
) -> None:
    with seeded_store() as session:
        before = gather_inputs(session, example_config, "delarsrapport", sc.PERIOD, today=sc.DUE)
    status = {s.unit_name: s.status for s in build_document(before).status}
    assert status["Hedemora Näringsliv AB"] == UnitStatus.MISSING


def test_forecast_trend_comes_from_the_years_monthly_reports(
    seeded_store: sessionmaker[Session], example_config: ArshjulConfig
) -> None:
    with seeded_store() as session:
        inputs = gather_inputs(session, example_config, "delarsrapport", sc.PERIOD, today=TODAY)
    history = inputs.forecast_history
    assert [p.period for p in history] == list(sc.MONTHLY_OVERRUN)
    assert history[0].label == "Månadsrapport februari"
    # Ten units each forecast `overrun` tkr above budget in the månadsrapporter.
    assert [p.forecast_tkr - p.budget_tkr for p in history] == [
        10 * over for over in sc.MONTHLY_OVERRUN.values()
    ]
    assert all(p.units_reporting == 10 for p in history)


@pytest.mark.parametrize(
    ("report_id", "period", "message"),
    [
        ("delarsrapport", "2026-13", "YYYY-MM"),
        ("delarsrapport", "2026-07", "no period 2026-07"),
        ("kvartalsrapport", "2026-08", "unknown report 'kvartalsrapport'"),
    ],
)
def test_bad_report_or_period_is_refused_clearly(
    seeded_store: sessionmaker[Session],
    example_config: ArshjulConfig,
    report_id: str,
    period: str,
    message: str,
) -> None:
    with seeded_store() as session, pytest.raises(CompileError, match=message):
        gather_inputs(session, example_config, report_id, period, today=TODAY)
