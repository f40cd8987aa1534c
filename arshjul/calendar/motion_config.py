"""The configuration of motioner and medborgarförslag (KL 5 kap. 35 §, 8 kap. 1 §): where they
are väckta and reported, at which meetings, and the limit for their beredning.

`report_at` speaks the date rules' language: `{month: 4}` is "the first meeting in April", as a
`{meeting: kf, month: 4}` rule says it, the committee given once for the whole list.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from arshjul.calendar.date_rules import MeetingDate
from arshjul.calendar.municipal import Slug
from arshjul.calendar.strict import Strict


class ReportMeeting(Strict):
    """A meeting at which the undecided motions are reported: the committee's first (or last)
    meeting in month M of each year."""

    month: int = Field(ge=1, le=12)
    which: Literal["first", "last"] = "first"

    def rule(self, committee: str) -> MeetingDate:
        """Returns the same meeting as a date rule on `committee`'s meetings."""
        return MeetingDate(meeting=committee, month=self.month, which=self.which)


class MotionsConfig(Strict):
    """Motioner (and medborgarförslag): the committee they are väckta in (fullmäktige), the
    meetings of each year at which those not yet decided are reported, and the limit."""

    committee: Slug
    report_at: list[ReportMeeting] = Field(min_length=1, max_length=12)
    # "inom ett år från det att motionen väcktes" (KL 5 kap. 35 §).
    limit_months: int = Field(12, ge=1, le=36)
    # Whether the kommun takes medborgarförslag (KL 8 kap. 1 §); they are followed like motions.
    citizen_proposals: bool = True
    # Roles that register motions besides the årshjul's owner and the committee's secretary.
    roles: list[Slug] = Field(default_factory=list)
