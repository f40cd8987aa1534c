"""Review chains inside a round: the committee it is at, its meeting, and that committee's decision.

At each step the committee approves (on to the next step; done after the last), remits to the unit
(återremiss; the chain starts again as the review says) or forwards it with a reason to a committee
the step may forward to. A new outcome is one entry in `_outcomes` and one rule in
`_validate_in_chain`.

A base class of ReportRoundWorkflow, used by rounds started with patch PATCH_REVIEW_CHAIN; rounds
from before keep the first release's path (KSAU, then KS on a referral) in round_legacy.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Literal, TypedDict

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from arshjul.calendar.chains import place
    from arshjul.models.effects import Template
    from arshjul.models.rounds import (
        ChainStepSpec,
        CommitteeSpec,
        DecideInput,
        Recipient,
        ReviewSpec,
        RoundSpec,
        RoundState,
        UpdateResult,
    )
    from arshjul.swedish import date_sv
    from arshjul.workflows import rules
    from arshjul.workflows.patches import PATCH_REMIT_KEEPS_LATER_DUE
    from arshjul.workflows.round_effects import RoundEffects, people


class ChainStatus(TypedDict):
    """The review chain's part of RoundStatus."""

    route: list[str] | None
    step: int | None
    target_meeting: dt.date | None
    missed_target: bool


REMIT_WORKING_DAYS = 10  # default time to complete after an återremiss (DecideInput.new_due)


class ChainSteps(RoundEffects):
    """Where a round is in its review chain, and the committees' decisions on it."""

    chain_mode: bool
    route: list[str] | None  # committee ids the report passes, in order
    step: int  # index into `route` of the committee it is at
    target: dt.date | None
    missed: bool

    async def _remit(  # shared with the first release's path (round_legacy.py)
        self,
        event: Literal["remitted", "ks_remitted"],
        actor: str,
        reason: str | None,
        new_due: dt.date | None,
        committee: str,
        meeting: dt.date | None,
        committee_name: str | None = None,
    ) -> UpdateResult:
        default = self.wd.add(self.clock.today(), REMIT_WORKING_DAYS)
        if workflow.patched(PATCH_REMIT_KEEPS_LATER_DUE):
            default = max(default, self.due)
        self.state, self.meeting, self.committee_id = RoundState.REMITTED, None, None
        self._move_due(new_due or default)
        await self._record(event, actor, reason, detail=f"ny sista dag {self.due}")
        await self._decision(event, actor, reason, committee, meeting)
        template: Template = "remitted" if event == "remitted" else "ks_decision"
        await self._mail(
            template,
            f"{event}/{self.attempt}",
            self.spec.recipients,
            with_link=True,
            reason=reason,
            committee_name=committee_name,
        )
        return UpdateResult(
            state=self.state, message=f"Rapporten är återremitterad, ny sista dag {self.due}."
        )

    # --- where the round is ----------------------------------------------------------------

    def _review(self) -> ReviewSpec:
        assert self.spec.review is not None  # only reviewed rounds have a chain
        return self.spec.review

    def _start_route(self) -> None:
        self.route, self.step = [s.committee.id for s in self._review().steps()], 0

    def _committee(self, committee_id: str) -> CommitteeSpec:
        return self._review().committees()[committee_id]

    def _step_spec(self) -> ChainStepSpec:
        """The current step; a forward target outside the chain is a step of its own."""
        assert self.route is not None
        here = self.route[self.step]
        found = next((s for s in self._review().steps() if s.committee.id == here), None)
        return found or ChainStepSpec(committee=self._committee(here), min_days_before_meeting=0)

    def _chain_status(self) -> ChainStatus:
        return {
            "route": list(self.route) if self.route is not None else None,
            "step": self.step if self.route is not None else None,
            "target_meeting": self.target,
            "missed_target": self.missed,
        }

    # --- placing it on a meeting -------------------------------------------------------------

    async def _place_in_chain(self) -> None:
        step = self._step_spec()
        committee, target = step.committee, step.target_meeting
        meeting, missed = place(
            committee.meetings, self.clock.today(), step.min_days_before_meeting, target
        )
        self.committee_id, self.target, self.missed = committee.id, target, missed
        if meeting is None:
            self._await_meeting()
            await self._record("awaiting_meeting", "system", detail=committee.name)
            key, owners = f"awaiting/{self.step}/{self.plan}", self.spec.owners
            await self._mail("awaiting_meeting", key, owners, committee_name=committee.name)
            return
        self.state, self.meeting = RoundState.ON_AGENDA, meeting
        if missed and target is not None:
            # Never silently: the history says so and the owners are told.
            await self._record("target_missed", "system", detail=f"{committee.name} {target}")
            await self._mail(
                "target_missed",
                f"target-missed/{self.step}/{self.attempt}",
                self.spec.owners,
                committee_name=committee.name,
                target_meeting=target,
            )
        await self._record("on_agenda", "system", detail=f"{committee.name} {meeting}")

    # --- decisions -------------------------------------------------------------------------

    def _outcomes(self) -> dict[str, Callable[[DecideInput], Awaitable[UpdateResult]]]:
        return {"approve": self._approve, "remit": self._remit_in_chain, "refer": self._forward}

    async def _decide_in_chain(self, inp: DecideInput) -> UpdateResult:
        return await self._outcomes()[inp.outcome](inp)

    def _validate_in_chain(self, inp: DecideInput) -> None:
        rules.require_state(
            self.state,
            {RoundState.ON_AGENDA},
            "decide: the report is not on the agenda",
            "besluta om rapporten eftersom den inte står på föredragningslistan",
        )
        here = self._step_spec().committee
        if inp.committee_id is not None and inp.committee_id != here.id:
            there = self._review().committees().get(inp.committee_id)
            raise rules.rejected(
                f"The report is on the agenda of {here.id}, not of {inp.committee_id}.",
                f"Ärendet står på föredragningslistan hos {here.name}, inte hos "
                f"{there.name if there else inp.committee_id}.",
            )
        rules.require_clean_text(inp.reason, "reason")
        if inp.outcome == "remit":
            rules.require_remit(inp.reason, inp.new_due, self.clock.today(), self.due, inp.shorten)
        if inp.outcome == "refer":
            rules.require_reason(inp.reason, "forward a report", "lämna ärendet vidare")
            if self._forward_target(inp) is None:
                raise rules.rejected(
                    f"{here.id} cannot forward this report to {inp.forward_to or 'another body'}.",
                    f"{here.name} kan inte lämna ärendet vidare dit.",
                )
        # Last: a wrong input is worth hearing about even before the meeting day.
        rules.require_meeting_day(self.meeting, self.clock.today())

    def _forward_target(self, inp: DecideInput) -> str | None:
        allowed = self._step_spec().forward_to
        if inp.forward_to is None:
            return allowed[0] if len(allowed) == 1 else None
        return inp.forward_to if inp.forward_to in allowed else None

    async def _approve(self, inp: DecideInput) -> UpdateResult:
        assert self.route is not None
        here, meeting = self._step_spec().committee, self.meeting
        if self.step >= len(self.route) - 1:
            self.state = RoundState.APPROVED
            await self._record("approved", inp.actor, inp.reason, detail=here.name)
            await self._decision("approved", inp.actor, inp.reason, here.id, meeting)
            await self._mail("approved", "approved", self.spec.recipients, committee_name=here.name)
            return UpdateResult(state=self.state, message=f"{here.name} har godkänt rapporten.")
        # The state stays on_agenda until the next committee's placement: the main line must not
        # place it too (it places rounds in `submitted`).
        nxt = self._committee(self.route[self.step + 1])
        await self._record("passed_on", inp.actor, inp.reason, detail=f"{here.name} → {nxt.name}")
        await self._decision("passed_on", inp.actor, inp.reason, here.id, meeting, nxt.id)
        self.step += 1
        return await self._move_on("passed_on", here, nxt, self.spec.recipients, inp.reason)

    async def _forward(self, inp: DecideInput) -> UpdateResult:
        assert self.route is not None
        here, meeting = self._step_spec().committee, self.meeting
        target = self._committee(self._forward_target(inp) or "")
        await self._record("referred", inp.actor, inp.reason, detail=f"{here.name} → {target.name}")
        await self._decision("referred", inp.actor, inp.reason, here.id, meeting, target.id)
        if target.id in self.route[self.step + 1 :]:
            self.step = self.route.index(target.id)
        else:  # outside the chain: its decision is the last
            self.route = [*self.route[: self.step + 1], target.id]
            self.step += 1
        to = people(self.spec.recipients, self.spec.owners)
        return await self._move_on("referred", here, target, to, inp.reason)

    async def _move_on(
        self,
        template: Literal["passed_on", "referred"],
        here: CommitteeSpec,
        nxt: CommitteeSpec,
        to: list[Recipient],
        reason: str | None,
    ) -> UpdateResult:
        self.meeting = None
        await self._place_in_chain()
        await self._mail(
            template,
            f"{template}/{self.step}/{self.attempt}",
            to,
            reason=reason,
            committee_name=here.name,
            to_committee_name=nxt.name,
        )
        when = f", sammanträdet {date_sv(self.meeting)}" if self.meeting else ""
        verb = "godkänd och överlämnad" if template == "passed_on" else "överlämnad"
        return UpdateResult(state=self.state, message=f"Rapporten är {verb} till {nxt.name}{when}.")

    async def _remit_in_chain(self, inp: DecideInput) -> UpdateResult:
        here, meeting = self._step_spec().committee, self.meeting
        if self._review().after_remit == "first_step":
            self._start_route()
        result = await self._remit(
            "remitted", inp.actor, inp.reason, inp.new_due, here.id, meeting, here.name
        )
        self.target, self.missed = None, False
        return result

    # --- configuration changes ------------------------------------------------------------

    def _take_spec_in_chain(self, old: RoundSpec, spec: RoundSpec) -> RoundSpec:
        """Takes a changed spec: keeps committees the route still names; replans on new meetings."""
        if spec.review is None or old.review is None or self.route is None:
            return spec
        before, after = old.review.committees(), spec.review.committees()
        missing = [before[c] for c in self.route if c not in after and c in before]
        if missing:
            review = spec.review.model_copy(update={"others": [*spec.review.others, *missing]})
            spec = spec.model_copy(update={"review": review})
            after = review.committees()
        if {k: v.meetings for k, v in before.items()} != {k: v.meetings for k, v in after.items()}:
            self.plan += 1
            here = after.get(self.committee_id or "")
            moved = here is None or self.meeting not in here.meetings
            if self.state == RoundState.ON_AGENDA and moved:
                self.state = RoundState.SUBMITTED  # its meeting was moved: place it again
        return spec
