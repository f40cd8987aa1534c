"""The årshjul configuration.

One organisation, its people and committees, its reports and milestones.

Pure pydantic. Loading the YAML file and formatting errors lives in `loader.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    EmailStr,
    Field,
    Tag,
    model_validator,
)

from arshjul.calendar.municipal import LedgerCode, LedgerConfig, SignInConfig, Slug

# The role that owns the årshjul (extensions, overview, escalation copies) unless configured.
OWNER_ROLE = "ekonomichef"

_CLOCK = re.compile(r"^(?:kl\.?\s*)?(\d{1,2})[:.](\d{2})$")


def _clock(value: Any) -> Any:
    # Swedish documents write "kl. 8.30"; YAML and pydantic want "08:30". Accept both.
    if isinstance(value, str) and (match := _CLOCK.match(value.strip())):
        return f"{int(match[1]):02d}:{match[2]}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError('write the time in quotes, e.g. "08:30"')
    return value


ClockTime = Annotated[dt.time, BeforeValidator(_clock)]


class Strict(BaseModel):
    """Base for configuration models: unknown keys are errors, so typos never pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(Strict):
    """A named person of the configuration: a chef, a role holder or a committee member."""

    name: str = Field(min_length=1)
    email: EmailStr


class Unit(Strict):
    """A förvaltning or bolag that submits reports through its chef (förvaltningschef / VD)."""

    id: Slug
    name: str = Field(min_length=1)
    kind: Literal["förvaltning", "bolag", "nämnd"] = "förvaltning"
    chef: Person
    # The nämnd (or styrelse) the unit answers to: the `unit_committee` step of a review chain.
    committee: Slug | None = None
    # The unit's ansvar (or objekt) codes in the ledger; its figures are their sum.
    ledger_codes: list[LedgerCode] = Field(default_factory=list)


class Role(Strict):
    """A named role (ekonomichef, kommundirektör, HR-chef, KSAU sekreterare, …) held by people."""

    id: Slug
    title: str = Field(min_length=1)
    people: list[Person] = Field(min_length=1)


def _meeting_item(value: Any) -> Any:
    # A meeting is written as a plain date or as {date, time, place}; both become a Meeting.
    if isinstance(value, dt.date | str):
        return {"date": value}
    return value


class Meeting(Strict):
    """One meeting (sammanträde): its day and, when known, the time and place."""

    date: dt.date
    time: ClockTime | None = None
    place: str | None = Field(None, min_length=1, max_length=200)


class Committee(Strict):
    """A political body that meets and decides: an utskott, a nämnd, KS, KF, a bolagsstyrelse."""

    id: Slug
    name: str = Field(min_length=1)
    # A short name for menus and lists ("KSAU"); the full name everywhere else.
    short_name: str | None = Field(None, min_length=1, max_length=40)
    meetings: list[Annotated[Meeting, BeforeValidator(_meeting_item)]] = Field(default_factory=list)
    # The usual time and place of its meetings; a meeting's own time or place wins.
    meeting_time: ClockTime | None = None
    meeting_place: str | None = Field(None, min_length=1, max_length=200)
    members: list[Person] = Field(default_factory=list)
    secretary: Person | None = None
    # Where this committee may forward a report with a reason ("lämna till kommunstyrelsen")
    # when the report's review does not say (review.forward_to).
    refers_to: Slug | None = None
    # The ordförande, who signs (justerar) the protocol with the justerare; one of the members.
    chair: Person | None = None
    # The föredragningslista goes to the members this many days before each meeting.
    agenda_days_before: int = Field(7, ge=0, le=60)

    @model_validator(mode="after")
    def _chair_is_a_member(self) -> Committee:
        if self.chair is not None and self.chair.email.lower() not in {
            m.email.lower() for m in self.members
        }:
            raise ValueError(f"chair {self.chair.email} must be one of the committee's members")
        return self

    @property
    def dates(self) -> list[dt.date]:
        """Returns the meeting days in order."""
        return sorted({m.date for m in self.meetings})

    @property
    def label(self) -> str:
        """Returns the short name for menus, else the full name."""
        return self.short_name or self.name

    def meeting(self, day: dt.date) -> Meeting | None:
        """Returns the meeting on `day` with the committee's usual time and place filled in."""
        found = next((m for m in self.meetings if m.date == day), None)
        if found is None:
            return None
        return Meeting(
            date=day,
            time=found.time or self.meeting_time,
            place=found.place or self.meeting_place,
        )


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


def _exactly_one(model: BaseModel, names: tuple[str, ...]) -> None:
    given = [n for n in names if getattr(model, n) is not None]
    if len(given) != 1:
        raise ValueError(f"give exactly one of {', '.join(names)}")


class DayAfterPeriod(Strict):
    """Day D, or the last working day, of the month M months after the period ends.

    `{months_after_period: 1, day: 10}` is "den 10:e månaden efter perioden"; a day past the
    month's end means its last day.
    """

    months_after_period: int = Field(ge=0, le=24)
    day: Annotated[int, Field(ge=1, le=31)] | Literal["last_working_day"]
    move: Move = "previous"


class MeetingDate(Strict):
    """A committee's meeting, less some (working) days: "10 arbetsdagar före KS sammanträde i
    oktober" is `{meeting: ks, month: 10, working_days_before: 10}`.

    `month` is the first month M after the anchor; `months_after_period` counts from the
    period's month; `which` picks the first or last meeting of that month.
    """

    meeting: Slug
    month: int | None = Field(None, ge=1, le=12)
    months_after_period: int | None = Field(None, ge=0, le=24)
    which: Literal["first", "last"] = "first"
    working_days_before: int | None = Field(None, ge=0, le=120)
    days_before: int | None = Field(None, ge=0, le=365)
    move: Move = "previous"

    @model_validator(mode="after")
    def _one_month(self) -> MeetingDate:
        _exactly_one(self, ("month", "months_after_period"))
        if self.working_days_before is not None and self.days_before is not None:
            raise ValueError("give either days_before or working_days_before, not both")
        return self


# The key that tells a rule's kind apart, so that an error names one rule instead of all.
# Order matters: the first key found decides ("meeting" rules also have "month").
RULE_KEYS: dict[str, str] = {
    "meeting": "MeetingDate",
    "months_after_period": "DayAfterPeriod",
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
    | Annotated[Offset, Tag("Offset")]
    | Annotated[DayAfterPeriod, Tag("DayAfterPeriod")]
    | Annotated[MeetingDate, Tag("MeetingDate")],
    Discriminator(
        _rule_kind,
        custom_error_type="date_rule",
        custom_error_message=(
            "not a date rule: use one of working_days_after_period_end, month+day, "
            "months_after_period+day, last_working_day_of_month, before_end_of_month, "
            "meeting, after"
        ),
    ),
]
# Rules that give one date a year whatever the period: ambiguous on a report with several periods.
FIXED_RULES = (FixedDate, LastWorkingDayOfMonth, BeforeEndOfMonth)


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


class MeetingChoice(Strict):
    """The meeting a report is meant for (its target): the committee's meeting in month M, M
    months after the period, or the first meeting at least N days after the due date.

    On a review, `committee` names the chain step it is for (default: the first step).
    """

    committee: Slug | None = None
    month: int | None = Field(None, ge=1, le=12)
    months_after_period: int | None = Field(None, ge=0, le=24)
    days_after_due: int | None = Field(None, ge=0, le=365)
    which: Literal["first", "last"] = "first"

    @model_validator(mode="after")
    def _one_way(self) -> MeetingChoice:
        _exactly_one(self, ("month", "months_after_period", "days_after_due"))
        return self


def _step_item(value: Any) -> Any:
    # A chain step is written as a committee id or as {committee, meeting, …}.
    return {"committee": value} if isinstance(value, str) else value


class ChainStep(Strict):
    """One committee of a review chain, with what differs for it."""

    committee: Slug
    min_days_before_meeting: int | None = Field(None, ge=0, le=90)
    meeting: MeetingChoice | None = None
    # Committees this step may forward the report to, with a reason (default: the review's
    # forward_to, else the committee's refers_to).
    forward_to: list[Slug] | None = None


AfterRemit = Literal["first_step", "same_step"]
# In a chain, the committee of the submitting unit (units[].committee); skipped for a unit without
# one and for a unit whose committee is a later step anyway (KS's own förvaltning).
UNIT_COMMITTEE = "unit_committee"


class Review(Strict):
    """Who decides a report: one committee, or a chain of them in order.

    At each step the committee approves (on to the next step; done after the last), remits
    to the unit (återremiss; the chain starts again at the first step, or at the remitting
    committee with `after_remit: same_step`), or forwards it with a reason to a committee it may
    forward to.
    """

    committee: Slug | None = None
    chain: list[Annotated[ChainStep, BeforeValidator(_step_item)]] | None = Field(
        None, min_length=1
    )
    # How long before a meeting its agenda closes (each step may say otherwise).
    min_days_before_meeting: int = Field(7, ge=0, le=90)
    meeting: MeetingChoice | None = None
    forward_to: list[Slug] | None = None
    after_remit: AfterRemit = "first_step"

    @model_validator(mode="after")
    def _committee_or_chain(self) -> Review:
        _exactly_one(self, ("committee", "chain"))
        return self

    def steps(self) -> list[ChainStep]:
        """Returns the chain with every default filled in (one step for `committee`)."""
        raw = self.chain or [ChainStep(committee=self.committee or "")]
        target = self.meeting
        target_at = (target.committee or raw[0].committee) if target else None
        steps = []
        for step in raw:
            meeting = step.meeting
            if meeting is None and target is not None and step.committee == target_at:
                meeting = target
            steps.append(
                ChainStep(
                    committee=step.committee,
                    min_days_before_meeting=(
                        self.min_days_before_meeting
                        if step.min_days_before_meeting is None
                        else step.min_days_before_meeting
                    ),
                    meeting=meeting,
                    forward_to=step.forward_to if step.forward_to is not None else self.forward_to,
                )
            )
        return steps


class Followup(Strict):
    """A round opened by a large negative forecast deviation (e.g. an åtgärdsplan in 30 days)."""

    report: Slug
    # A deviation (budget minus helårsprognos, tkr) below minus this many tkr triggers it.
    deviation_threshold_tkr: float = Field(ge=0)
    due_days: int = Field(30, ge=1, le=365)


class PeriodOverride(Strict):
    """What differs for one period of a report: its dates, its review, its legal limit."""

    period_month: int = Field(ge=1, le=12)
    opens: DateRule | None = None
    due: DateRule | None = None
    review: Review | None = None
    legal: LegalLimit | None = None


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
    period_overrides: list[PeriodOverride] = Field(default_factory=list)

    def override(self, period_month: int) -> PeriodOverride | None:
        """Returns the override for the period ending in `period_month`, if any."""
        return next((o for o in self.period_overrides if o.period_month == period_month), None)

    def rule(self, which: Literal["opens", "due"], period_month: int) -> DateRule:
        """Returns the "opens" or "due" rule that applies to one period."""
        o = self.override(period_month)
        own = getattr(o, which) if o is not None else None
        return own if own is not None else getattr(self, which)  # type: ignore[no-any-return]

    def review_for(self, period_month: int) -> Review | None:
        """Returns the review that applies to one period."""
        o = self.override(period_month)
        return o.review if o is not None and o.review is not None else self.review

    def legal_for(self, period_month: int) -> LegalLimit | None:
        """Returns the legal limit one period is bound by."""
        o = self.override(period_month)
        return o.legal if o is not None and o.legal is not None else self.legal


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


Weekday = Literal["måndag", "tisdag", "onsdag", "torsdag", "fredag"]


class Digest(Strict):
    """The weekly summary of late units per report, mailed to the roles named here."""

    to_roles: list[Slug] = Field(min_length=1)
    weekday: Weekday = "måndag"


class Organisation(Strict):
    """The municipality itself: its id, name, time zone and when mails go out."""

    id: Slug
    name: str = Field(min_length=1)
    timezone: str = "Europe/Stockholm"
    # Local time at which requests, reminders and escalations go out.
    send_time: ClockTime = dt.time(8, 0)
    # The role whose people every mail names as the contact for questions (default: the
    # ekonomichef's role when there is one).
    contact_role: Slug | None = None
    digest: Digest | None = None


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

    def contact_role_id(self) -> str | None:
        """Returns the role named as contact in mails (configured, else the ekonomichef's)."""
        if self.organisation.contact_role is not None:
            return self.organisation.contact_role
        return OWNER_ROLE if any(r.id == OWNER_ROLE for r in self.roles) else None

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
