"""The first release's review inside a round: one committee (KSAU) decides, KS on a referral.

Rounds started before patch PATCH_REVIEW_CHAIN run this path for their whole life, so its
commands must stay exactly as they were (tests/workflows/histories/v0.1.0/round/): no change here
without `workflow.patched`. A base class of ReportRoundWorkflow, as cycle_legacy.py is of the
cycle; rounds started since follow their review chain (round_chain.py).
"""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from arshjul.models.rounds import (
        DecideInput,
        KsDecideInput,
        ReviewSpec,
        RoundSpec,
        RoundState,
        UpdateResult,
    )
    from arshjul.workflows import rules
    from arshjul.workflows.round_chain import ChainSteps
    from arshjul.workflows.round_effects import people


class FirstReleaseReview(ChainSteps):
    """Placing, deciding and KS's decision as release 0.1 did them; the handlers in round.py
    call these when the round is not in chain mode."""

    async def _place_first_release(self, review: ReviewSpec) -> None:
        meeting = rules.next_meeting(
            review.committee.meetings, self.clock.today(), review.min_days_before_meeting
        )
        self.committee_id = review.committee.id
        if meeting is None:
            self._await_meeting()
            await self._record("awaiting_meeting", "system", detail=review.committee.name)
            await self._mail("awaiting_meeting", f"awaiting/{self.plan}", self.spec.owners)
            return
        self.state, self.meeting = RoundState.ON_AGENDA, meeting
        await self._record("on_agenda", "system", detail=f"{review.committee.name} {meeting}")

    async def _decide_first_release(self, inp: DecideInput) -> UpdateResult:
        committee, meeting = self.committee_id or "", self.meeting
        if inp.outcome == "approve":
            self.state = RoundState.APPROVED
            await self._record("approved", inp.actor, inp.reason)
            await self._decision("approved", inp.actor, inp.reason, committee, meeting)
            await self._mail("approved", "approved", self.spec.recipients)
            return UpdateResult(state=self.state, message="Rapporten är godkänd.")
        if inp.outcome == "remit":
            return await self._remit(
                "remitted", inp.actor, inp.reason, inp.new_due, committee, meeting
            )
        ks = self._review().refers_to
        assert ks is not None  # the validator checked it
        self.state, self.committee_id = RoundState.REFERRED, ks.id
        self.meeting = rules.next_meeting(ks.meetings, self.clock.today(), 0)
        await self._record("referred", inp.actor, inp.reason, detail=f"{ks.name} {self.meeting}")
        await self._decision("referred", inp.actor, inp.reason, committee, meeting)
        await self._mail(
            "referred",
            "referred",
            people(self.spec.recipients, self.spec.owners),
            reason=inp.reason,
        )
        return UpdateResult(state=self.state, message="Ärendet är överlämnat till kommunstyrelsen.")

    def _validate_first_release(self, inp: DecideInput) -> None:
        if inp.outcome in ("table", "withdraw"):
            raise rules.rejected(
                "This round started before bordläggning existed; decide it or remit it.",
                "Ärendet kan inte bordläggas eller strykas (rundan startade före den funktionen); "
                "besluta eller återremittera det.",
            )
        rules.require_state(
            self.state,
            {RoundState.ON_AGENDA},
            "decide: the report is not on the agenda",
            "besluta om rapporten eftersom den inte står på föredragningslistan",
        )
        rules.require_clean_text(inp.reason, "reason")
        if inp.outcome == "remit":
            rules.require_remit(inp.reason, inp.new_due, self.clock.today(), self.due, inp.shorten)
        if inp.outcome == "refer":
            rules.require_reason(inp.reason, "refer a report to KS", "lämna rapporten till KS")
            if self.spec.review is None or self.spec.review.refers_to is None:
                raise rules.rejected(
                    "This committee cannot refer reports to another committee.",
                    "Utskottet kan inte lämna rapporten vidare.",
                )
        # Last: a wrong input is worth hearing about even before the meeting day.
        rules.require_meeting_day(self.meeting, self.clock.today())

    async def _ks_decide_first_release(self, inp: KsDecideInput) -> UpdateResult:
        committee, meeting = self.committee_id or "", self.meeting
        if inp.outcome == "remit":
            return await self._remit(
                "ks_remitted", inp.actor, inp.reason, inp.new_due, committee, meeting
            )
        self.state = RoundState.APPROVED
        await self._record("ks_approved", inp.actor, inp.reason)
        await self._decision("ks_approved", inp.actor, inp.reason, committee, meeting)
        await self._mail("ks_decision", "ks_approved", self.spec.recipients)
        return UpdateResult(state=self.state, message="Kommunstyrelsen har godkänt rapporten.")

    def _validate_ks_first_release(self, inp: KsDecideInput) -> None:
        rules.require_state(
            self.state,
            {RoundState.REFERRED},
            "record a KS decision: the report was not referred to KS",
            "registrera kommunstyrelsens beslut eftersom rapporten inte är överlämnad dit",
        )
        rules.require_clean_text(inp.reason, "reason")
        if inp.outcome == "remit":
            rules.require_remit(inp.reason, inp.new_due, self.clock.today(), self.due, inp.shorten)
        rules.require_meeting_day(self.meeting, self.clock.today())

    def _take_meetings(self, old: RoundSpec, spec: RoundSpec) -> None:
        old_meetings = old.review.committee.meetings if old.review else []
        new_meetings = spec.review.committee.meetings if spec.review else []
        if new_meetings != old_meetings:
            self.plan += 1
            if self.state == RoundState.ON_AGENDA and self.meeting not in new_meetings:
                self.state = RoundState.SUBMITTED  # its meeting was moved: place it again
