"""The årshjul configuration.

One organisation, its people and committees, its reports and milestones. The date rules they use
live in `date_rules.py`, who decides a report in `review.py`.

Pure pydantic. Loading the YAML file and formatting errors lives in `loader.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, EmailStr, Field, field_validator, model_validator

# The date rules, the review and the base model live in their own modules; they are imported
# here under their own names too, so that `from arshjul.calendar.config import X` keeps working.
from arshjul.calendar.date_rules import FIXED_RULES as FIXED_RULES
from arshjul.calendar.date_rules import RULE_KEYS as RULE_KEYS
from arshjul.calendar.date_rules import BeforeEndOfMonth as BeforeEndOfMonth
from arshjul.calendar.date_rules import DateRule as DateRule
from arshjul.calendar.date_rules import DayAfterPeriod as DayAfterPeriod
from arshjul.calendar.date_rules import FixedDate as FixedDate
from arshjul.calendar.date_rules import LastWorkingDayOfMonth as LastWorkingDayOfMonth
from arshjul.calendar.date_rules import MeetingDate as MeetingDate
from arshjul.calendar.date_rules import Move as Move
from arshjul.calendar.date_rules import Offset as Offset
from arshjul.calendar.date_rules import WorkingDaysAfterPeriodEnd as WorkingDaysAfterPeriodEnd
from arshjul.calendar.diarium import DiarienummerConfig
from arshjul.calendar.motion_config import MotionsConfig as MotionsConfig
from arshjul.calendar.motion_config import ReportMeeting as ReportMeeting
from arshjul.calendar.municipal import LedgerCode, LedgerConfig, SignInConfig, Slug
from arshjul.calendar.retention import RetentionConfig
from arshjul.calendar.review import UNIT_COMMITTEE as UNIT_COMMITTEE
from arshjul.calendar.review import AfterRemit as AfterRemit
from arshjul.calendar.review import ChainStep as ChainStep
from arshjul.calendar.review import MeetingChoice as MeetingChoice
from arshjul.calendar.review import Review as Review
from arshjul.calendar.strict import Strict as Strict

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
    # Follows every committee's agenda and case pages without sitting on the committee (a
    # kommundirektör); the ekonomichef's role always does.
    follows_every_committee: bool = False


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


# The first path segments of the web's own pages: a committee's pages live at /{id}, after them,
# so a committee with one of these ids could never be reached. tests/web/test_surface.py keeps
# this list equal to the app's routes.
RESERVED_COMMITTEE_IDS = frozenset(
    {
        "anslagstavla",
        "api",
        "calendar",
        "dev",
        "ekonomi",
        "enheter",
        "healthz",
        "installningar",
        "kalender",
        "login",
        "logout",
        "metrics",
        "mina-rapporter",
        "motioner",
        "oidc",
        "omgangar",
        "oversikt",
        "readyz",
        "s",
        "sammanstallning",
    }
)


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

    @field_validator("id")
    @classmethod
    def _not_a_page_of_the_web(cls, value: str) -> str:
        if value in RESERVED_COMMITTEE_IDS:
            raise ValueError(
                f"committee id {value!r} is the address of one of arshjul's own pages "
                f"(/{value}); choose another id"
            )
        return value

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
        return own if own is not None else getattr(self, which)

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


Eve = Literal["julafton", "nyårsafton", "midsommarafton"]


def _every_eve() -> list[Eve]:
    return ["julafton", "nyårsafton", "midsommarafton"]


class WorkingDaysConfig(Strict):
    """Which de-facto holidays (eves) count as non-working on top of the public holidays."""

    non_working_eves: list[Eve] = Field(default_factory=_every_eve)


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
    # Where the justerade protocols are kept for anyone to read (KL 8 kap. 12 §), as the
    # anslagstavla says it; default: `protocol_kept_at_sv()`.
    protocol_kept_at: str | None = Field(default=None, min_length=1, max_length=300)
    # How the kommun's registry writes a case's diarienummer ("KS {year}/{seq}"); without it a
    # number is typed in as the registry gave it, and none is assigned here.
    diarienummer: DiarienummerConfig | None = None

    def protocol_kept_at_sv(self) -> str:
        """Returns where the protocols are kept: the configured text, else the kommun's kansli."""
        return self.protocol_kept_at or f"Kommunkansliet, {self.name}"


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
    # Motioner and medborgarförslag: followed, and reported twice a year, when configured.
    motions: MotionsConfig | None = None
    # Gallring per record kind (calendar/retention.py); without it nothing is removed.
    retention: RetentionConfig | None = None

    def contact_role_id(self) -> str | None:
        """Returns the role named as contact in mails (configured, else the ekonomichef's)."""
        if self.organisation.contact_role is not None:
            return self.organisation.contact_role
        return OWNER_ROLE if any(r.id == OWNER_ROLE for r in self.roles) else None

    def agenda_viewer_roles(self) -> tuple[str, ...]:
        """Returns the roles that may follow every committee: the owner's and the flagged ones."""
        return (OWNER_ROLE, *(r.id for r in self.roles if r.follows_every_committee))

    def unit(self, unit_id: str) -> Unit:
        """Returns the unit with this id."""
        return next(u for u in self.units if u.id == unit_id)

    def role(self, role_id: str) -> Role:
        """Returns the role with this id."""
        return next(r for r in self.roles if r.id == role_id)

    def people(self) -> list[Person]:
        """Returns everyone the configuration names: chefs, role holders, committees' people."""
        people = [u.chef for u in self.units] + [p for r in self.roles for p in r.people]
        for c in self.committees:
            people += [*c.members, *(p for p in (c.secretary, c.chair) if p is not None)]
        return people

    def person_name(self, email: str | None) -> str | None:
        """Returns the configured name of an address (chef, role holder, committee), or None."""
        wanted = (email or "").strip().lower()
        return next((p.name for p in self.people() if wanted and p.email.lower() == wanted), None)

    def committee(self, committee_id: str) -> Committee:
        """Returns the committee with this id."""
        return next(c for c in self.committees if c.id == committee_id)

    def report(self, report_id: str) -> Report:
        """Returns the report with this id."""
        return next(r for r in self.reports if r.id == report_id)


# What takes a configuration that may change while it runs (the store's newest version).
ConfigOf = Callable[[], ArshjulConfig]


def current_config(config: ArshjulConfig | ConfigOf) -> ArshjulConfig:
    """Returns the configuration itself, or the one a ConfigOf gives now."""
    return config if isinstance(config, ArshjulConfig) else config()
