"""What a meeting may do with a case besides deciding it: bordläggning and "utgår".

Bordläggning (`table`) adjourns the case to the committee's next meeting; "ärendet utgår"
(`withdraw`) takes it off this meeting's agenda and places it again on a later one, as a new
submission would be. Both get a § in the protocol. A base class of ReportRoundWorkflow, for
rounds in a review chain (patch PATCH_REVIEW_CHAIN); its commands are new behind
PATCH_MEETING_OUTCOMES.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from arshjul.calendar.chains import place
    from arshjul.models.effects import DecisionOutcome
    from arshjul.models.rounds import DecideInput, Event, RoundState, UpdateResult
    from arshjul.swedish import date_sv
    from arshjul.workflows.patches import (
        PATCH_MEETING_OUTCOMES,
        PATCH_TABLED_MAIL,
        PATCH_WITHDRAWN_MAIL,
    )
    from arshjul.workflows.round_chain import ChainSteps

# A tabled case goes to the very next meeting; a withdrawn one to the first with the step's
# usual time to prepare (its min_days_before_meeting).
TABLED_MIN_DAYS = 0


class MeetingOutcomes(ChainSteps):
    """Bordläggning and withdrawal at the committee the round is at."""

    def _outcomes(self) -> dict[str, Callable[[DecideInput], Awaitable[UpdateResult]]]:
        return {**super()._outcomes(), "table": self._table, "withdraw": self._withdraw}

    async def _replace(self, inp: DecideInput, tabled: bool) -> UpdateResult:
        workflow.patched(PATCH_MEETING_OUTCOMES)
        step = self._step_spec()
        here, meeting = step.committee, self.meeting
        event: Event = "tabled" if tabled else "withdrawn"
        outcome: DecisionOutcome = "tabled" if tabled else "withdrawn"
        # Never the meeting that just put it aside: from the day after it (or after today).
        after = max(self.clock.today(), meeting or self.clock.today()) + dt.timedelta(days=1)
        min_days = TABLED_MIN_DAYS if tabled else step.min_days_before_meeting
        nxt, _ = place(here.meetings, after, min_days, None)
        await self._decision(outcome, inp.actor, inp.reason, here.id, meeting)
        if nxt is None:
            self._await_meeting()
            await self._record(event, inp.actor, inp.reason, detail=here.name)
            key = f"awaiting/{self.step}/{self.plan}/{len(self.history)}"
            await self._mail("awaiting_meeting", key, self.spec.owners, committee_name=here.name)
            await self._tell_unit(inp, tabled, here.name, meeting)
            return UpdateResult(
                state=self.state,
                message=f"Ärendet är {'bordlagt' if tabled else 'struket från dagordningen'}; "
                f"{here.name} har inget senare sammanträde inplanerat.",
            )
        self.state, self.meeting = RoundState.ON_AGENDA, nxt
        await self._record(event, inp.actor, inp.reason, detail=f"{here.name} {nxt}")
        await self._tell_unit(inp, tabled, here.name, meeting)
        what = "bordlagt till" if tabled else "struket från dagordningen och flyttat till"
        return UpdateResult(
            state=self.state, message=f"Ärendet är {what} sammanträdet {date_sv(nxt)}."
        )

    async def _tell_unit(
        self, inp: DecideInput, tabled: bool, committee_name: str, meeting: dt.date | None
    ) -> None:
        # The unit hears of a bordläggning or an "utgår" (the next meeting is self.meeting,
        # None if unplanned).
        if tabled and workflow.patched(PATCH_TABLED_MAIL):
            await self._mail(
                "tabled",
                f"tabled/{self.step}/{len(self.history)}",
                self.spec.recipients,
                reason=inp.reason,
                committee_name=committee_name,
                tabled_meeting=meeting,
            )
        elif not tabled and workflow.patched(PATCH_WITHDRAWN_MAIL):
            # "Utgår" moves the case as a bordläggning does; the unit hears of it the same way.
            await self._mail(
                "withdrawn",
                f"withdrawn/{self.step}/{len(self.history)}",
                self.spec.recipients,
                reason=inp.reason,
                committee_name=committee_name,
                tabled_meeting=meeting,
            )

    async def _table(self, inp: DecideInput) -> UpdateResult:
        """Bordläggning: the case waits for the committee's next meeting."""
        return await self._replace(inp, tabled=True)

    async def _withdraw(self, inp: DecideInput) -> UpdateResult:
        """The case is taken off this meeting's agenda and placed on a later meeting."""
        return await self._replace(inp, tabled=False)
