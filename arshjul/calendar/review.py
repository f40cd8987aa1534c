"""Who decides a report: the review, its chain of committees and the meeting it is meant for."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from arshjul.calendar.municipal import Slug
from arshjul.calendar.strict import Strict, exactly_one


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
        exactly_one(self, ("month", "months_after_period", "days_after_due"))
        return self


def _step_item(value: Any) -> Any:
    # A chain step is written as a committee id or as {committee, meeting, …}.
    return {"committee": value} if isinstance(value, str) else value


class ChainStep(Strict):
    """One committee of a review chain, with what differs for it."""

    committee: Slug
    min_days_before_meeting: int | None = Field(default=None, ge=0, le=90)
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
        exactly_one(self, ("committee", "chain"))
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
