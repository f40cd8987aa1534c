"""The årshjul configuration.

One organisation, its people and committees, its reports and milestones.

Pure pydantic. Loading the YAML file and formatting errors lives in `loader.py`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    EmailStr,
    Field,
    StringConstraints,
    Tag,
    model_validator,
)

from arshjul.calendar.municipal import LedgerCode, LedgerConfig, SignInConfig

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]


class Strict(BaseModel):
    """Base for configuration models: unknown keys are errors, so typos never pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(Strict):
    name: str = Field(min_length=1)
    email: EmailStr


class Unit(Strict):
    """A förvaltning or bolag that submits reports through its chef (förvaltningschef / VD)."""

    id: Slug
    name: str = Field(min_length=1)
    kind: Literal["förvaltning", "bolag", "nämnd"] = "förvaltning"
    chef: Person
    # The unit's ansvar (or objekt) codes in the ledger; its figures are their sum.
    ledger_codes: list[LedgerCode] = Field(default_factory=list)


class Role(Strict):
    """A named role (ekonomichef, kommundirektör, HR-chef, KSAU sekreterare, …) held by people."""

    id: Slug
    title: str = Field(min_length=1)
    people: list[Person] = Field(min_length=1)


class Committee(Strict):
    """A political body with meeting dates: KSAU, KS, KF, a KS utskott."""

    id: Slug
    name: str = Field(min_length=1)
    meetings: list[dt.date] = Field(default_factory=list)
    members: list[Person] = Field(default_factory=list)
    secretary: Person | None = None
    # Where a referral goes: KSAU refers to KS ("lämna till kommunstyrelsen").
    refers_to: Slug | None = None


# --- date rules -------------------------------------------------------------------------------
# Every rule is evaluated against an anchor date: a report period's last day, or for milestones
# 31 December of the year before the calendar year. "Month M" means the first month M that starts
# after the anchor, so "15 april" after period 2025-12 is 2026-04-15.

Move = Literal["previous", "next", "none"]


class WorkingDaysAfterPeriodEnd(Strict):
    """N working days after the anchor ("8 arbetsdagar efter periodens slut")."""

    working_days_after_period_end: int = Field(ge=0, le=260)
    move: Move = "previous"


class FixedDate(Strict):
    """A fixed day of a month ("15 april")."""

    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)
    move: Move = "previous"


class LastWorkingDayOfMonth(Strict):
    """The last working day of month M."""

    last_working_day_of_month: int = Field(ge=1, le=12)
    move: Move = "previous"


class BeforeEndOfMonth(Strict):
    """ "Före oktober månads utgång": the last day of month M, less N working days if given."""

    before_end_of_month: int = Field(ge=1, le=12)
    working_days_before: int = Field(0, ge=0, le=60)
    move: Move = "previous"


class Offset(Strict):
    """An offset from another item: a milestone id, or "opens"/"due" of the same report."""

    after: str = Field(min_length=1)
    days: int | None = None
    working_days: int | None = None
    move: Move = "previous"

    @model_validator(mode="after")
    def _one_offset(self) -> Offset:
        if self.days is not None and self.working_days is not None:
            raise ValueError("give either days or working_days, not both")
        return self


# The key that tells a rule's kind apart, so that an error names one rule instead of all five.
RULE_KEYS: dict[str, str] = {
    "working_days_after_period_end": "WorkingDaysAfterPeriodEnd",
    "last_working_day_of_month": "LastWorkingDayOfMonth",
    "before_end_of_month": "BeforeEndOfMonth",
    "after": "Offset",
    "month": "FixedDate",
}


def _rule_kind(value: Any) -> str | None:
    if isinstance(value, BaseModel):
        return type(value).__name__
    if isinstance(value, dict):
        return next((tag for key, tag in RULE_KEYS.items() if key in value), None)
    return None


DateRule = Annotated[
    Annotated[WorkingDaysAfterPeriodEnd, Tag("WorkingDaysAfterPeriodEnd")]
    | Annotated[FixedDate, Tag("FixedDate")]
    | Annotated[LastWorkingDayOfMonth, Tag("LastWorkingDayOfMonth")]
    | Annotated[BeforeEndOfMonth, Tag("BeforeEndOfMonth")]
    | Annotated[Offset, Tag("Offset")],
    Discriminator(
        _rule_kind,
        custom_error_type="date_rule",
        custom_error_message=(
            "not a date rule: use one of working_days_after_period_end, month+day, "
            "last_working_day_of_month, before_end_of_month, after"
        ),
    ),
]

Section = Literal["economic", "goals", "activities", "texts", "vf_list"]
LegalLimit = Literal[
    "arsredovisning_to_kf",  # KL 11 kap. 19-21 §§: to KF and auditors by 15 April
    "delarsrapport_to_kf",  # within two months of the delårsrapport's period end
    "ks_budget_proposal",  # KS proposal before the end of October
    "kf_budget",  # KF sets the budget before the end of November
]


class Submitters(Strict):
    """Who submits: units (all, or by id) and/or roles (the HR-chef's personalberättelse)."""

    units: Literal["all"] | list[Slug] = Field(default_factory=list)
    roles: list[Slug] = Field(default_factory=list)


class Escalation(Strict):
    """Escalate to roles after the due date, repeated until the report is in."""

    after_working_days: int = Field(2, ge=0, le=60)
    to_roles: list[Slug] = Field(min_length=1)
    repeat_every_days: int = Field(7, ge=1, le=60)


class Review(Strict):
    """The committee that decides the report, and how far ahead its agenda closes."""

    committee: Slug
    min_days_before_meeting: int = Field(7, ge=0, le=90)


class Followup(Strict):
    """A round opened by a large negative forecast deviation (e.g. an åtgärdsplan in 30 days)."""

    report: Slug
    # A deviation (budget minus helårsprognos, tkr) below minus this many tkr triggers it.
    deviation_threshold_tkr: float = Field(ge=0)
    due_days: int = Field(30, ge=1, le=365)


class Report(Strict):
    """A report that units submit for each of its periods."""

    id: Slug
    title: str = Field(min_length=1)
    description: str = ""
    sections: list[Section] = Field(min_length=1)
    submitters: Submitters
    # Months whose last day ends a period (2 = period February). Empty: only opened as a follow-up.
    period_months: list[int] = Field(default_factory=list)
    opens: DateRule
    due: DateRule
    reminders_working_days_before_due: list[int] = Field(default_factory=lambda: [5, 1])
    escalation: Escalation | None = None
    review: Review | None = None
    followup: Followup | None = None
    # Forecast deviation that requires planned measures
    # ("vid större avvikelser krävs en åtgärdsplan").
    measures_threshold_tkr: float = Field(0, ge=0)
    legal: LegalLimit | None = None


class Milestone(Strict):
    """A dated event without submissions: budgetdag, KF's decisions, deliveries to the auditors."""

    id: Slug
    title: str = Field(min_length=1)
    date: DateRule
    description: str = ""
    committee: Slug | None = None
    responsible_roles: list[Slug] = Field(default_factory=list)
    legal: LegalLimit | None = None
    # The milestone belongs to the cycle of this many years later (budget for next year: 1,
    # årsredovisning of last year: -1); used for titles and the legal check, not for the date.
    concerns_year_offset: int = Field(0, ge=-1, le=1)


class WorkingDaysConfig(Strict):
    """Which de-facto holidays (eves) count as non-working on top of the public holidays."""

    non_working_eves: list[Literal["julafton", "nyårsafton", "midsommarafton"]] = Field(
        default_factory=lambda: ["julafton", "nyårsafton", "midsommarafton"]
    )


class Organisation(Strict):
    id: Slug
    name: str = Field(min_length=1)
    timezone: str = "Europe/Stockholm"
    # Local time at which requests, reminders and escalations go out.
    send_time: dt.time = dt.time(8, 0)


class ArshjulConfig(Strict):
    """One organisation and its årshjul."""

    organisation: Organisation
    working_days: WorkingDaysConfig = Field(default_factory=WorkingDaysConfig)
    units: list[Unit] = Field(min_length=1)
    roles: list[Role] = Field(default_factory=list)
    committees: list[Committee] = Field(default_factory=list)
    reports: list[Report] = Field(default_factory=list)
    milestones: list[Milestone] = Field(default_factory=list)
    ledger: LedgerConfig | None = None
    sign_in: SignInConfig | None = None

    def unit(self, unit_id: str) -> Unit:
        """Returns the unit with this id."""
        return next(u for u in self.units if u.id == unit_id)

    def role(self, role_id: str) -> Role:
        """Returns the role with this id."""
        return next(r for r in self.roles if r.id == role_id)

    def committee(self, committee_id: str) -> Committee:
        """Returns the committee with this id."""
        return next(c for c in self.committees if c.id == committee_id)

    def report(self, report_id: str) -> Report:
        """Returns the report with this id."""
        return next(r for r in self.reports if r.id == report_id)
