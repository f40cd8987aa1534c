"""Benchmark: compile a 40-unit, 12-goal delårsrapport to HTML and DOCX (goal: under 5 s).

Run: .venv/bin/python bench/bench_compile.py [--units 40] [--goals 12] [--repeat 3]
Prints the best of `repeat` runs for each step, and a baseline measured in the same run
(rendering without charts), so the figures can be compared across machines as ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
from decimal import Decimal

from timing import best

from arshjul.compile.build import build_document
from arshjul.compile.charts import render_charts
from arshjul.compile.html import render_html
from arshjul.compile.model import CompileInputs, ForecastPoint, SubmissionInput, UnitInput
from arshjul.compile.word import render_docx
from arshjul.forms.content import ActivityStatus, Assessment, ReportContent, Trend
from arshjul.models.rounds import RoundState

GOAL_SECONDS = 5.0
LOREM = (
    "Verksamheten har under perioden arbetat vidare med de prioriterade målen. "
    "Kostnaderna för försörjningsstöd och placeringar har ökat mer än budgeterat. "
)


def make_inputs(n_units: int, n_goals: int) -> CompileInputs:
    """Returns a delårsrapport: `n_units` units assess `n_goals` goals, two activities each."""
    assessments, trends, statuses = list(Assessment), list(Trend), list(ActivityStatus)
    units = []
    for i in range(n_units):
        budget = 20_000 + 7_919 * i
        content = ReportContent.model_validate(
            {
                "economic": {
                    "budget_tkr": budget,
                    "utfall_tkr": budget * 2 // 3,
                    "forecast_tkr": budget + (i % 7 - 3) * 150,
                    "analysis": LOREM * 3,
                    "measures": LOREM if i % 7 > 3 else "",
                },
                "goals": [
                    {
                        "goal": f"Mål {g + 1}: {LOREM[:60]}",
                        "assessment": assessments[(i + g) % 4],
                        "trend": trends[(i * g) % 3],
                        "comment": LOREM * 2,
                    }
                    for g in range(n_goals)
                ],
                "activities": [
                    {
                        "title": f"Aktivitet {g}.{k} enhet {i}",
                        "goal": f"Mål {g + 1}: {LOREM[:60]}",
                        "status": statuses[(i + g + k) % 5],
                        "start": "2026-01-15",
                        "end": "2026-12-15",
                        "responsible": "Förvaltningschefen",
                        "comment": LOREM,
                    }
                    for g in range(n_goals)
                    for k in range(2)
                ],
                "texts": {"forvaltningsberattelse": (LOREM * 8 + "\n\n") * 4},
            }
        )
        units.append(
            UnitInput(
                unit_id=f"u{i}",
                unit_name=f"Förvaltning nummer {i + 1}",
                state=RoundState.APPROVED,
                due=dt.date(2026, 9, 21),
                submission=SubmissionInput(
                    submission_id=i + 1, version=1, approved=i != 3, content=content
                ),
            )
        )
    history = [
        ForecastPoint(
            period=f"2026-{m:02d}",
            label=f"m{m}",
            budget_tkr=Decimal(10**7),
            forecast_tkr=Decimal(10**7 + 1000 * m),
            units_reporting=n_units,
        )
        for m in (2, 3, 4, 5)
    ]
    return CompileInputs(
        org_name="Benchkommun",
        report_id="delarsrapport",
        report_title="Delårsrapport",
        period="2026-08",
        period_end=dt.date(2026, 8, 31),
        measures_threshold_tkr=200,
        units=units,
        forecast_history=history,
    )


def main() -> None:
    """Runs the benchmark and prints the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=40)
    parser.add_argument("--goals", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    inputs = make_inputs(args.units, args.goals)
    doc = build_document(inputs)
    render_html(doc), render_docx(doc)  # warm-up: fonts, templates, matplotlib caches
    html_size, docx_size = len(render_html(doc).encode()), len(render_docx(doc))

    t_build = best(lambda: build_document(inputs), args.repeat)
    t_html = best(lambda: render_html(build_document(inputs)), args.repeat)
    t_docx = best(lambda: render_docx(build_document(inputs)), args.repeat)
    t_html_plain = best(lambda: render_html(doc, charts=False), args.repeat)
    t_docx_plain = best(lambda: render_docx(doc, charts=False), args.repeat)
    t_svg = best(lambda: render_charts(doc, "svg"), args.repeat)
    t_png = best(lambda: render_charts(doc, "png"), args.repeat)
    total = t_html + t_docx

    activities = sum(len(g.activities) for g in doc.goals)
    print(
        f"delårsrapport: {args.units} units, {args.goals} goals, {activities} activities, "
        f"best of {args.repeat}"
    )
    print(f"  build document          {t_build * 1000:8.1f} ms")
    print(f"  HTML (build+render)     {t_html * 1000:8.1f} ms   {html_size / 1024:7.0f} KiB")
    print(f"  DOCX (build+render)     {t_docx * 1000:8.1f} ms   {docx_size / 1024:7.0f} KiB")
    print(
        f"  both formats            {total * 1000:8.1f} ms   goal {GOAL_SECONDS:.0f} s: "
        f"{'OK' if total < GOAL_SECONDS else 'TOO SLOW'} ({total / GOAL_SECONDS:.0%} of goal)"
    )
    print("  baseline, same run:")
    print(
        f"    HTML without charts   {t_html_plain * 1000:8.1f} ms   "
        f"(with charts {t_html / t_html_plain:.1f}x)"
    )
    print(
        f"    DOCX without charts   {t_docx_plain * 1000:8.1f} ms   "
        f"(with charts {t_docx / t_docx_plain:.1f}x)"
    )
    print(f"    charts SVG / PNG      {t_svg * 1000:8.1f} ms / {t_png * 1000:.1f} ms")


if __name__ == "__main__":
    main()
