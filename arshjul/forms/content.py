"""What a unit submits: the report forms (economy, målkort, activities, texts, VF-lista).

Amounts are net costs in tkr, so the budget deviation is budget minus helårsprognos: a negative
deviation means the unit expects to spend more than its budget.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator
from pydantic_core import PydanticCustomError

SectionName = Literal["economic", "goals", "activities", "texts", "vf_list"]

SECTION_TITLES: dict[str, str] = {
    "economic": "Ekonomisk uppföljning",
    "goals": "Målkort",
    "activities": "Aktiviteter",
    "texts": "Texter och bilagor",
    "vf_list": "VF-lista",
}


class Assessment(StrEnum):
    """Bedömning of a goal, as in the Hagfors målkortsrapport."""

    HELT = "Helt uppfyllt"
    HOG_GRAD = "I hög grad uppfyllt"
    DELVIS = "Delvis uppfyllt"
    EJ = "Ej uppfyllt"


class Trend(StrEnum):
    """A goal's trend since the last report."""

    OKAD = "Ökad"
    OFORANDRAD = "Oförändrad"
    MINSKAD = "Minskad"


class ActivityStatus(StrEnum):
    """An activity's status, as in Hjo's verksamhetsuppföljning."""

    EJ_PABORJAD = "Ej påbörjad"
    PAGAENDE = "Pågående enligt plan"
    PAGAENDE_AVVIKELSE = "Pågående med avvikelse"
    AVSLUTAD = "Avslutad enligt plan"
    AVSLUTAD_AVVIKELSE = "Avslutad med avvikelse"


class VfKind(StrEnum):
    """A VF-lista line either asks for money or saves it."""

    TILLSKOTT = "tillskott"
    EFFEKTIVISERING = "effektivisering"


class FormModel(BaseModel):
    """Base for form models: unknown fields are refused, text is stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class LedgerSource(FormModel):
    """The ledger's figures when the form was sent, so each version shows what was corrected."""

    source: str = Field(max_length=500)
    imported_at: dt.datetime
    budget_tkr: Decimal | None = Field(None, max_digits=14, decimal_places=1)
    utfall_tkr: Decimal = Field(max_digits=14, decimal_places=1)


class EconomicSection(FormModel):
    """Ekonomisk uppföljning: budget, utfall and helårsprognos in tkr (net cost)."""

    budget_tkr: Decimal = Field(max_digits=14, decimal_places=1)
    utfall_tkr: Decimal = Field(max_digits=14, decimal_places=1)
    forecast_tkr: Decimal = Field(max_digits=14, decimal_places=1)
    analysis: str = Field(min_length=1, max_length=20_000)
    measures: str = Field("", max_length=20_000)
    # Set by the server from the newest ledger import, never taken from the form.
    ledger: LedgerSource | None = None

    @model_validator(mode="before")
    @classmethod
    def _drop_computed(cls, data: object) -> object:
        # A stored submission carries the computed fields; they are recomputed, never trusted.
        if isinstance(data, dict):
            return {
                k: v for k, v in data.items() if k not in {"deviation_tkr", "deviation_percent"}
            }
        return data

    @computed_field  # type: ignore[prop-decorator]
    @property
    def deviation_tkr(self) -> Decimal:
        """Budget minus helårsprognos; negative means a forecast overspend."""
        return self.budget_tkr - self.forecast_tkr

    @computed_field  # type: ignore[prop-decorator]
    @property
    def deviation_percent(self) -> Decimal | None:
        """The deviation as a share of the budget, in per cent (None for a zero budget)."""
        if self.budget_tkr == 0:
            return None
        return (self.deviation_tkr / self.budget_tkr * 100).quantize(Decimal("0.1"))


class Indicator(FormModel):
    """One indicator value reported for a goal (Hjo: indicators per year)."""

    name: str = Field(min_length=1, max_length=300)
    value: str = Field(min_length=1, max_length=100)
    target: str = Field("", max_length=100)


class GoalAssessment(FormModel):
    """One goal of the målkort with its bedömning, trend, comment and indicators."""

    goal: str = Field(min_length=1, max_length=500)
    assessment: Assessment
    trend: Trend
    comment: str = Field("", max_length=20_000)
    indicators: list[Indicator] = Field(default_factory=list, max_length=50)


class Activity(FormModel):
    """An activity of the aktivitetsplan: dates, responsible, status."""

    title: str = Field(min_length=1, max_length=500)
    goal: str = Field("", max_length=500)  # the goal it serves, for the compiled report
    start: dt.date | None = None
    end: dt.date | None = None
    responsible: str = Field("", max_length=200)
    status: ActivityStatus
    comment: str = Field("", max_length=20_000)

    @model_validator(mode="after")
    def _end_not_before_start(self) -> Activity:
        if self.start and self.end and self.end < self.start:
            raise PydanticCustomError("end_before_start", "Slutdatum ligger före startdatum.")
        return self


class Texts(FormModel):
    """Free texts: förvaltningsberättelse and personalberättelse."""

    forvaltningsberattelse: str = Field("", max_length=100_000)
    personalberattelse: str = Field("", max_length=100_000)


class VfItem(FormModel):
    """One line of a VF-lista (verksamhetsförändring)."""

    change: str = Field(min_length=1, max_length=1_000)
    amount_tkr: Decimal = Field(max_digits=14, decimal_places=1)
    kind: VfKind
    priority: int = Field(ge=1, le=999)


class AttachmentRef(FormModel):
    """An attachment stored in SQL; the content itself is found by its sha256."""

    name: str = Field(min_length=1, max_length=255)
    size: int = Field(ge=0)
    content_type: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class ReportContent(FormModel):
    """A whole submission: the sections the report asks for, and attachments."""

    economic: EconomicSection | None = None
    goals: list[GoalAssessment] = Field(default_factory=list, max_length=100)
    activities: list[Activity] = Field(default_factory=list, max_length=500)
    texts: Texts | None = None
    vf_list: list[VfItem] = Field(default_factory=list, max_length=500)
    attachments: list[AttachmentRef] = Field(default_factory=list, max_length=20)

    def forecast_deviation_tkr(self) -> Decimal | None:
        """The economic section's deviation, or None when the report has none."""
        return self.economic.deviation_tkr if self.economic else None
