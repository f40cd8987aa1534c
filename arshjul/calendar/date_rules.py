"""The date rules: how the configuration says when something opens, is due or happens.

Every rule is evaluated against an anchor date: a report period's last day, or for milestones
31 December of the year before the calendar year. "Month M" means the first month M that starts
after the anchor, so "15 april" after period 2025-12 is 2026-04-15.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Discriminator, Field, Tag, model_validator

from arshjul.calendar.municipal import Slug
from arshjul.calendar.strict import Strict, exactly_one

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
        exactly_one(self, ("month", "months_after_period"))
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
