"""Reading a compilation's inputs from the store: rounds, the versions to use, the year's trend."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy.orm import Session

from arshjul.calendar.config import ArshjulConfig, Report
from arshjul.calendar.demo import DEMO_REPORT_ID, demo_report
from arshjul.calendar.rules import last_day_of_month
from arshjul.compile.model import CompileInputs, ForecastPoint, SubmissionInput, UnitInput
from arshjul.forms.content import ReportContent
from arshjul.models.rounds import CLOSED_STATES, RoundState
from arshjul.store.models import Submission
from arshjul.store.repositories import RoundRepository, SubmissionRepository
from arshjul.swedish import MONTHS_SV

PERIOD_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class CompileError(ValueError):
    """A compilation that cannot be made: unknown report, malformed or foreign period."""


def parse_period(period: str) -> dt.date:
    """Returns the last day of a YYYY-MM period; raises CompileError for anything else."""
    match = PERIOD_RE.match(period)
    if not match:
        raise CompileError(f"period must be YYYY-MM, got {period!r}")
    return last_day_of_month(int(match[1]), int(match[2]))


def find_report(config: ArshjulConfig, report_id: str, period: str) -> Report:
    """Returns the configured report, checking that the period is one of its periods."""
    report = next((r for r in config.reports if r.id == report_id), None)
    if report is None and report_id == DEMO_REPORT_ID:
        report = demo_report(config)  # the round `up` opens for a newcomer
    if report is None:
        known = ", ".join(r.id for r in config.reports)
        raise CompileError(f"unknown report {report_id!r} (known: {known})")
    end = parse_period(period)
    if report.period_months and end.month not in report.period_months:
        months = ", ".join(f"{m:02d}" for m in report.period_months)
        raise CompileError(f"{report_id} has no period {period} (its months: {months})")
    return report


def submitters(config: ArshjulConfig, report: Report) -> list[tuple[str, str]]:
    """Lists who submits the report as (id, name), units in configuration order, then roles."""
    wanted = report.submitters.units
    units = [(u.id, u.name) for u in config.units if wanted == "all" or u.id in wanted]
    roles = [(r.id, r.title) for r in config.roles if r.id in report.submitters.roles]
    return units + roles


def _by_unit(rows: list[Submission]) -> dict[str, Submission]:
    return {s.unit_id: s for s in rows}


def _chosen(
    session: Session, org_id: str, report_id: str, period: str
) -> dict[str, tuple[Submission, bool]]:
    # The latest approved version wins; otherwise the latest delivered one, marked unapproved.
    repo = SubmissionRepository(session)
    approved = _by_unit(
        repo.latest_for(report_id=report_id, period=period, approved_only=True, org_id=org_id)
    )
    delivered = _by_unit(
        repo.latest_for(report_id=report_id, period=period, approved_only=False, org_id=org_id)
    )
    held = _by_unit(repo.held_by_rounds(report_id=report_id, period=period, org_id=org_id))
    chosen = {unit: (s, False) for unit, s in delivered.items()}
    # The version a round took counts at once, before the web has marked it delivered.
    for unit, sub in held.items():
        if unit not in chosen or sub.version > chosen[unit][0].version:
            chosen[unit] = (sub, False)
    chosen.update({unit: (s, True) for unit, s in approved.items()})
    return chosen


def _trend_sources(config: ArshjulConfig, period: str) -> list[tuple[Report, str]]:
    # Earlier economic reports of the same year that every unit submits (månadsrapporter,
    # delårsrapport): the VF-lista's budget for next year would not belong on this line.
    year = period[:4]
    found: dict[str, Report] = {}
    for report in config.reports:
        if "economic" not in report.sections or report.submitters.units != "all":
            continue
        for month in report.period_months:
            earlier = f"{year}-{month:02d}"
            if earlier < period:
                found.setdefault(earlier, report)
    return sorted(((r, p) for p, r in found.items()), key=lambda rp: rp[1])


def forecast_history(session: Session, config: ArshjulConfig, period: str) -> list[ForecastPoint]:
    """Returns the total budget and forecast of each earlier economic report of the year."""
    points: list[ForecastPoint] = []
    for report, earlier in _trend_sources(config, period):
        chosen = _chosen(session, config.organisation.id, report.id, earlier)
        economics = [
            eco
            for s, _ in chosen.values()
            if (eco := ReportContent.model_validate(s.content).economic) is not None
        ]
        if not economics:
            continue
        points.append(
            ForecastPoint(
                period=earlier,
                label=f"{report.title} {MONTHS_SV[int(earlier[5:]) - 1]}",
                budget_tkr=sum(e.budget_tkr for e in economics),
                forecast_tkr=sum(e.forecast_tkr for e in economics),
                units_reporting=len(economics),
            )
        )
    return points


def gather_inputs(
    session: Session, config: ArshjulConfig, report_id: str, period: str, *, today: dt.date
) -> CompileInputs:
    """Reads what a compilation of a report period needs; `today` tells which units are late."""
    report = find_report(config, report_id, period)
    org_id = config.organisation.id
    rounds = {
        r.unit_id: r
        for r in RoundRepository(session).list(org_id=org_id, report_id=report_id, period=period)
    }
    chosen = _chosen(session, org_id, report_id, period)
    units: list[UnitInput] = []
    for unit_id, name in submitters(config, report):
        row = rounds.get(unit_id)
        state = RoundState(row.state) if row is not None else None
        picked = chosen.get(unit_id)
        submission = None
        if picked is not None:
            sub, approved = picked
            submission = SubmissionInput(
                submission_id=sub.id,
                version=sub.version,
                approved=approved,
                sha256=sub.sha256,
                content=ReportContent.model_validate(sub.content),
            )
        due = row.due if row is not None else None
        late = submission is None and due is not None and due < today and state not in CLOSED_STATES
        units.append(
            UnitInput(
                unit_id=unit_id,
                unit_name=name,
                state=state,
                due=due,
                late=late,
                submission=submission,
            )
        )
    return _compile_inputs(config, report, period, units, forecast_history(session, config, period))


def rebuild_inputs(
    session: Session, config: ArshjulConfig, report_id: str, period: str, provenance: dict[str, Any]
) -> CompileInputs:
    """Rebuilds a stored compilation's inputs from its provenance: the same versions and states."""
    report = find_report(config, report_id, period)
    names = dict(submitters(config, report))
    repo = SubmissionRepository(session)
    used = {entry["unit_id"]: entry for entry in provenance["submissions"]}
    units: list[UnitInput] = []
    for unit in provenance["units"]:
        submission = None
        entry = used.get(unit["unit_id"])
        if entry is not None:
            row = repo.get(submission_id=entry["id"])
            if row is None or row.sha256 != entry["sha256"]:
                raise CompileError(f"submission {entry['id']} is missing or changed")
            submission = SubmissionInput(
                submission_id=row.id,
                version=row.version,
                approved=entry["approved"],
                sha256=row.sha256,
                content=ReportContent.model_validate(row.content),
            )
        units.append(
            UnitInput(
                unit_id=unit["unit_id"],
                unit_name=names.get(unit["unit_id"], unit["unit_id"]),
                state=unit["state"],
                due=unit["due"],
                late=unit["late"],
                submission=submission,
            )
        )
    history = [ForecastPoint.model_validate(p) for p in provenance["forecast_history"]]
    return _compile_inputs(config, report, period, units, history)


def _compile_inputs(
    config: ArshjulConfig,
    report: Any,
    period: str,
    units: list[UnitInput],
    history: list[ForecastPoint],
) -> CompileInputs:
    # One place that turns a report period's units into inputs: fresh and reproduced alike.
    return CompileInputs(
        org_name=config.organisation.name,
        report_id=report.id,
        report_title=report.title,
        period=period,
        period_end=parse_period(period),
        measures_threshold_tkr=report.measures_threshold_tkr,
        units=units,
        forecast_history=history,
    )
