"""A simulated year of submissions for the default example (Hedemora, ten units), 2026.

Delårsrapport 2026-08: eight units approved, Miljö- och byggförvaltningen remitted (its submitted
version is used, marked), Hedemora Näringsliv AB missing and late. Månadsrapporter February to May
give the forecast trend. The expected figures below are calculated by hand from these numbers.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from arshjul.calendar.config import ArshjulConfig
from arshjul.compile.model import CompileInputs, ForecastPoint, SubmissionInput, UnitInput
from arshjul.forms.content import Assessment, ReportContent
from arshjul.models.rounds import RoundState

H, G, D, E = Assessment.HELT, Assessment.HOG_GRAD, Assessment.DELVIS, Assessment.EJ
GOALS = ("Nöjda medborgare", "Hållbar ekonomi", "Attraktiv arbetsgivare")

# unit id: (budget, utfall, helårsprognos) in tkr, and the bedömning of each goal it reports.
DELAR: dict[str, tuple[tuple[int, int, int], tuple[Assessment, ...]]] = {
    "ksf": ((100_000, 64_000, 99_000), (H, G, D)),
    "bun": ((400_000, 270_000, 405_000), (G, D, D)),
    "sof": ((350_000, 240_000, 352_000), (D, E, G)),
    "sbf": ((80_000, 50_000, 80_100), (H, G, G)),
    "kfo": ((40_000, 26_000, 39_500), (H, H, G)),
    "mbf": ((20_000, 14_000, 20_300), (D, D, E)),
    "energi": ((5_000, 3_000, 4_800), (H, G)),
    "bostader": ((10_000, 6_500, 10_250), (G, G)),
    "stadshus": ((3_000, 2_000, 3_000), (H, H)),
}
APPROVED = {"ksf", "bun", "sof", "sbf", "kfo", "energi", "bostader", "stadshus"}
REMITTED = "mbf"
MISSING = "naringsliv"
PERIOD = "2026-08"
PERIOD_END = dt.date(2026, 8, 31)
DUE = dt.date(2026, 9, 21)

# Hand calculation (tkr): sums over the nine units that submitted.
TOTAL_BUDGET = Decimal(1_008_000)
TOTAL_UTFALL = Decimal(675_500)
TOTAL_FORECAST = Decimal(1_013_950)
TOTAL_DEVIATION = Decimal(-5_950)  # 1 008 000 − 1 013 950
TOTAL_PERCENT = Decimal("-0.6")  # −5 950 / 1 008 000 = −0,59 %
# Threshold 200 tkr: bun −5 000, sof −2 000, mbf −300, bostader −250 (sbf −100 is within it).
FLAGGED = [
    "Barn- och utbildningsförvaltningen",
    "Socialförvaltningen",
    "Miljö- och byggförvaltningen",
    "Hedemorabostäder AB",
]
GOAL_COUNTS = {
    GOALS[0]: {H: 5, G: 2, D: 2, E: 0},
    GOALS[1]: {H: 2, G: 4, D: 2, E: 1},
    GOALS[2]: {H: 0, G: 3, D: 2, E: 1},
}
ASSESSMENT_TOTALS = {H: 7, G: 9, D: 6, E: 2}

# Månadsrapporter: every unit's forecast in tkr above budget, February to May (all approved).
MONTHLY_OVERRUN = {"2026-02": 0, "2026-03": 200, "2026-04": 400, "2026-05": 500}


def delar_content(unit_id: str, unit_name: str) -> ReportContent:
    """Returns the unit's delårsrapport content."""
    (budget, utfall, forecast), assessments = DELAR[unit_id]
    deviation = budget - forecast
    return ReportContent.model_validate(
        {
            "economic": {
                "budget_tkr": budget,
                "utfall_tkr": utfall,
                "forecast_tkr": forecast,
                "analysis": f"Analys för {unit_name}.",
                "measures": f"Åtgärder i {unit_name}: vakanser hålls öppna."
                if deviation < 0
                else "",
            },
            "goals": [
                {
                    "goal": GOALS[i],
                    "assessment": a,
                    "trend": "Oförändrad",
                    "comment": f"{unit_name} om {GOALS[i].lower()}.",
                }
                for i, a in enumerate(assessments)
            ],
            "activities": [
                {
                    "title": f"Medborgardialog {unit_id}",
                    "goal": GOALS[0],
                    "status": "Pågående enligt plan",
                    "start": "2026-01-15",
                    "end": "2026-12-15",
                    "responsible": "Förvaltningschefen",
                },
                {"title": f"Ny intranätssida {unit_id}", "status": "Avslutad enligt plan"},
            ],
            "texts": {"forvaltningsberattelse": f"Förvaltningsberättelse för {unit_name}."},
        }
    )


def monthly_content(unit_id: str, period: str) -> ReportContent:
    """Returns the unit's månadsrapport for a period: its delår budget, forecast above it."""
    (budget, _, _), _ = DELAR.get(unit_id, ((1_000, 0, 1_000), ()))
    month = int(period[5:])
    return ReportContent.model_validate(
        {
            "economic": {
                "budget_tkr": budget,
                "utfall_tkr": budget * month // 12,
                "forecast_tkr": budget + MONTHLY_OVERRUN[period],
                "analysis": "Enligt plan.",
                "measures": "Översyn av bemanningen." if MONTHLY_OVERRUN[period] > 200 else "",
            }
        }
    )


def _unit(unit_id: str, name: str, number: int) -> UnitInput:
    if unit_id == MISSING:
        return UnitInput(unit_id=unit_id, unit_name=name, state=RoundState.OPEN, due=DUE, late=True)
    approved = unit_id in APPROVED
    return UnitInput(
        unit_id=unit_id,
        unit_name=name,
        state=RoundState.APPROVED if approved else RoundState.REMITTED,
        due=DUE,
        submission=SubmissionInput(
            submission_id=number,
            version=1 if approved else 2,
            approved=approved,
            content=delar_content(unit_id, name),
        ),
    )


def delar_inputs(example_config: ArshjulConfig) -> CompileInputs:
    """Returns the delårsrapport 2026-08 inputs of the scenario, built directly (no store)."""
    budget = sum(b for (b, _, _), _ in DELAR.values()) + 1_000  # naringsliv reports monthly
    history = [
        ForecastPoint(
            period=p,
            label=f"Månadsrapport {p}",
            budget_tkr=budget,
            forecast_tkr=budget + 10 * over,
            units_reporting=10,
        )
        for p, over in MONTHLY_OVERRUN.items()
    ]
    return CompileInputs(
        org_name=example_config.organisation.name,
        report_id="delarsrapport",
        report_title="Delårsrapport",
        period=PERIOD,
        period_end=PERIOD_END,
        measures_threshold_tkr=example_config.report("delarsrapport").measures_threshold_tkr,
        units=[_unit(u.id, u.name, i + 1) for i, u in enumerate(example_config.units)],
        forecast_history=history,
    )
