"""What a compilation reads (CompileInputs) and what it produces (CompiledDocument).

Both are plain pydantic data: the inputs can be built in a test without a store, and the document
can be stored as JSON and rendered again later (HTML or DOCX) without the submissions.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from arshjul.forms.content import ActivityStatus, Assessment, ReportContent, Trend
from arshjul.models import status as round_status
from arshjul.models.rounds import RoundState
from arshjul.swedish import date_sv


class UnitStatus(StrEnum):
    """Where a unit's part of the report stands, in the words the pages use for the same state
    (arshjul.models.status); a submitted part not yet approved, and a part no round asked for,
    are the document's own."""

    APPROVED = round_status.LABELS[RoundState.APPROVED.value]
    SUBMITTED = "Inlämnad, ej beslutad"
    REMITTED = round_status.LABELS[RoundState.REMITTED.value]
    LATE = round_status.LABELS[round_status.LATE]
    MISSING = "Saknas"

    @classmethod
    def _missing_(cls, value: object) -> UnitStatus | None:
        # Documents compiled before the pages' words were shared keep their own word for this.
        return cls.REMITTED if value == "Återremitterad" else None


class SubmissionInput(BaseModel):
    """The version of a unit's submission the compilation uses."""

    submission_id: int
    version: int
    approved: bool  # False: the latest submitted version, marked as not yet approved
    sha256: str = ""
    content: ReportContent


class UnitInput(BaseModel):
    """One unit, in configuration order: its round state and the submission to use (if any)."""

    unit_id: str
    unit_name: str
    state: RoundState | None = None  # None: no round known for this unit and period
    due: dt.date | None = None
    late: bool = False  # past due without a submission
    submission: SubmissionInput | None = None


class ForecastPoint(BaseModel):
    """The organisation's total budget and helårsprognos as one report period gave them."""

    period: str  # YYYY-MM
    label: str  # e.g. "Månadsrapport mars"
    budget_tkr: Decimal
    forecast_tkr: Decimal
    units_reporting: int


class CompileInputs(BaseModel):
    """Everything a compilation needs, read from the configuration and the store."""

    org_name: str
    report_id: str
    report_title: str
    period: str  # YYYY-MM of the period's last month
    period_end: dt.date
    measures_threshold_tkr: float = 0
    units: list[UnitInput]
    # Earlier periods of the same year (månadsrapporter), oldest first, for the trend chart.
    forecast_history: list[ForecastPoint] = Field(default_factory=list)


# --- the compiled document --------------------------------------------------------------------


class StatusRow(BaseModel):
    """One line of the status page."""

    unit_name: str
    status: UnitStatus
    due: dt.date | None = None
    version: int | None = None


class EconomyRow(BaseModel):
    """One line of the economy table; the total row has `unit_name` "Totalt"."""

    unit_name: str
    budget_tkr: Decimal
    utfall_tkr: Decimal
    forecast_tkr: Decimal
    deviation_tkr: Decimal
    deviation_percent: Decimal | None
    approved: bool = True


class FlaggedUnit(BaseModel):
    """A unit whose negative forecast deviation requires measures, with its measures quoted."""

    unit_name: str
    deviation_tkr: Decimal
    measures: str
    analysis: str


class GoalUnitRow(BaseModel):
    """One unit's bedömning of a goal."""

    unit_name: str
    assessment: Assessment
    trend: Trend
    comment: str
    approved: bool = True


class ActivityRow(BaseModel):
    """One activity of a unit, under the goal it serves."""

    unit_name: str
    title: str
    status: ActivityStatus
    start: dt.date | None = None
    end: dt.date | None = None
    responsible: str = ""
    comment: str = ""


class GoalBlock(BaseModel):
    """A goal of the målkort: every unit's bedömning, the count per bedömning, its activities."""

    goal: str
    rows: list[GoalUnitRow] = Field(default_factory=list)
    counts: dict[Assessment, int] = Field(default_factory=dict)
    activities: list[ActivityRow] = Field(default_factory=list)


class UnitText(BaseModel):
    """A unit's förvaltningsberättelse (and personalberättelse)."""

    unit_name: str
    forvaltningsberattelse: str
    personalberattelse: str = ""
    approved: bool = True


class CompiledDocument(BaseModel):
    """The compiled report, ready to render; `sources` names the versions it was built from."""

    org_name: str
    report_id: str
    report_title: str
    period: str
    period_end: dt.date
    draft: bool
    status: list[StatusRow]
    economy: list[EconomyRow] = Field(default_factory=list)
    economy_total: EconomyRow | None = None
    flagged: list[FlaggedUnit] = Field(default_factory=list)
    measures_threshold_tkr: float = 0
    goals: list[GoalBlock] = Field(default_factory=list)
    assessment_totals: dict[Assessment, int] = Field(default_factory=dict)
    # Activities whose goal is not one of the assessed goals (or not given).
    other_activities: list[ActivityRow] = Field(default_factory=list)
    texts: list[UnitText] = Field(default_factory=list)
    forecast_history: list[ForecastPoint] = Field(default_factory=list)
    sources: list[tuple[int, int]] = Field(default_factory=list)  # (submission_id, version)

    @property
    def title(self) -> str:
        """The document's title, e.g. "Delårsrapport 2026"."""
        return f"{self.report_title} {self.period_end.year}"

    @property
    def empty(self) -> bool:
        """True when there is nothing to compile: no figures, goals, activities or texts."""
        return not (self.economy or self.goals or self.other_activities or self.texts)

    @property
    def empty_sv(self) -> str:
        """The sentence an empty compilation shows on its first page (Swedish)."""
        if not self.sources:
            return (
                f"Inga underlag är inlämnade för {self.report_title.lower()} per "
                f"{date_sv(self.period_end)}. Sammanställningen har inget innehåll ännu; "
                "statussidan visar var varje enhet står."
            )
        return (
            "De inlämnade underlagen innehåller inget som sammanställs (ekonomi, målkort, "
            "aktiviteter eller förvaltningsberättelser)."
        )


# --- the compile_report activity (ACTIVITY_COMPILE_REPORT in arshjul/models/effects.py) ---------

OutputFormat = Literal["html", "docx"]


class CompileReportInput(BaseModel):
    """Compile one report period of the configured organisation and store the result."""

    report_id: str
    period: str  # YYYY-MM
    format: OutputFormat = "html"
    requested_by: str = "system"  # an email, or "system" when a workflow asks
    # Set by compile_when_complete: the key of the set of versions compiled (one per set).
    key: str | None = None


class CompileReportResult(BaseModel):
    """Where the stored compilation is, and what it says about completeness."""

    compilation_id: int
    format: OutputFormat
    sha256: str
    size: int
    draft: bool
    not_approved: list[str] = Field(default_factory=list)  # unit names, in configuration order
    empty: bool = False  # nothing to compile yet (no submissions, or none with content)
