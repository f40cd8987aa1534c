"""ReportRoundWorkflow: one report round, from the request to the committee's last decision.

The state machine of DESIGN.md. Timers chase the unit (request, reminders, overdue notice,
escalations); people move the round with updates whose validators reject wrong transitions.

This module is the main line and every handler; the work they call lives beside it, each a base
class of the workflow: the chase (round_timers.py), the review chain (round_chain.py) and what a
meeting may do besides deciding (round_meeting.py), the first release's KSAU → KS path for rounds
started before the chain (round_legacy.py), and the effects (round_effects.py). Every patch id is
in patches.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from arshjul.models.agenda import CompileWhenCompleteInput
    from arshjul.models.instants import send_instant
    from arshjul.models.rounds import (
        CLOSED_STATES,
        QUERY_STATUS,
        ROUND_WORKFLOW,
        SIGNAL_ROUND_SPEC,
        UPDATE_CANCEL,
        UPDATE_CORRECT,
        UPDATE_DECIDE,
        UPDATE_EXTEND,
        UPDATE_KS_DECIDE,
        UPDATE_SUBMIT,
        UPDATE_TAKE_BACK,
        CancelInput,
        DecideInput,
        ExtendInput,
        HistoryEntry,
        KsDecideInput,
        RoundSpec,
        RoundState,
        RoundStatus,
        SubmitInput,
        TakeBackInput,
        UpdateResult,
    )
    from arshjul.workflows import calls, rules
    from arshjul.workflows.clock import Clock, WorkflowWorkingDays
    from arshjul.workflows.patches import (
        PATCH_AWAITING_KEEPS_NEWS,
        PATCH_CANCEL_MAIL,
        PATCH_COMPILE_WHEN_COMPLETE,
        PATCH_CONFIGURED_DUE_MAIL,
        PATCH_EXTENSION_MAIL,
        PATCH_REMINDERS_FROM_DUE,
        PATCH_REVIEW_CHAIN,
    )
    from arshjul.workflows.round_legacy import FirstReleaseReview
    from arshjul.workflows.round_meeting import MeetingOutcomes
    from arshjul.workflows.round_timers import CHASING, RoundTimers

# Submitted and not yet decided: the unit may still correct its report or take it back.
UNDECIDED = {RoundState.SUBMITTED, RoundState.AWAITING_MEETING, RoundState.ON_AGENDA}
DECISIONS = {"approved", "remitted", "referred", "ks_approved", "ks_remitted", "passed_on"}
NOT_CLOSED = set(RoundState) - CLOSED_STATES
# A closed round stays up this long so that a late click (a link in an old mail) is rejected with
# a clear message instead of a bare "workflow completed".
CLOSED_LINGER = dt.timedelta(days=30)
# Why the unit hears of a new date it did not ask for (the mail's "Skäl").
CONFIGURED_DUE_REASON = (
    "Årshjulet har ändrats: sista dagen räknas från ett flyttat sammanträde eller en ändrad"
    " datumregel."
)


@workflow.defn(name=ROUND_WORKFLOW)
class ReportRoundWorkflow(RoundTimers, FirstReleaseReview, MeetingOutcomes):
    """One round per (organisation, report, period, unit); its id is RoundSpec.workflow_id."""

    @workflow.init
    def __init__(self, spec: RoundSpec) -> None:
        self.spec = spec
        self.clock = Clock(spec.clock_offset_s, spec.timezone)
        self.wd = WorkflowWorkingDays(spec.non_working_eves)
        self.state = RoundState.OPEN
        self.due = spec.due
        self.meeting: dt.date | None = None
        self.committee_id: str | None = None
        self.submission: SubmitInput | None = None
        self.history: list[HistoryEntry] = []
        self.attempt = 0  # bumped when the due date moves: fresh idempotency keys for the new chase
        self.plan = 0  # bumped when timers or agenda must be recomputed
        self.awaiting_plan: int | None = None  # self.plan when the round began to wait
        self.next_step: str | None = None
        self.followup: workflow.ChildWorkflowHandle[Any, Any] | None = None
        # Set when the round starts (patches): what it does for its whole life.
        self.chain_mode = False
        self.reminders_from_due = False
        self.route: list[str] | None = None
        self.step = 0
        self.target: dt.date | None = None
        self.missed = False

    # --- the main line: timers ------------------------------------------------------------

    @workflow.run
    async def run(self, spec: RoundSpec) -> RoundStatus:
        """Runs the round until it is accepted, approved or cancelled; returns its final status."""
        self.chain_mode = workflow.patched(PATCH_REVIEW_CHAIN)
        self.reminders_from_due = workflow.patched(PATCH_REMINDERS_FROM_DUE)
        if self.chain_mode and spec.review is not None:
            self._start_route()
        opens_at = send_instant(spec.opens, spec.send_time, spec.timezone)
        self.next_step = f"request {self.clock.local(opens_at)}"
        early = await self.clock.wait_until(opens_at, lambda: self.state != RoundState.OPEN)
        if not early:
            await self._notice("request", 0, self.spec.recipients, with_link=True)
        while self.state not in CLOSED_STATES:
            if self.state in CHASING:
                await self._chase()
            elif self.state == RoundState.SUBMITTED:
                await self._place()
                await self._compile_when_complete()
            else:
                state, plan = self.state, self.plan
                if self._news_while_waiting():
                    assert self.awaiting_plan is not None  # _news_while_waiting checked it
                    plan = self.awaiting_plan
                self.next_step = None
                await workflow.wait_condition(self._moved_from(state, plan))
                if self.state == RoundState.AWAITING_MEETING and self.plan != plan:
                    self.state = RoundState.SUBMITTED  # new meetings: try the agenda again
        self.next_step = None
        await self.clock.wait_until(self.clock.now() + CLOSED_LINGER, lambda: False)
        if self.followup is not None:
            # Stay until the follow-up closes: its parent is then still there to hear of it
            # (the time-skipping server stalls when a child outlives its parent).
            try:
                await self.followup
            except Exception:  # noqa: BLE001 - the follow-up's own failure is not this round's
                workflow.logger.warning("follow-up of %s failed", self.spec.workflow_id)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._status()

    def _moved_from(self, state: RoundState, plan: int) -> Callable[[], bool]:
        """A wake-up test: the round left `state`, or its plan changed since `plan`."""
        return lambda: self.state != state or self.plan != plan

    def _news_while_waiting(self) -> bool:
        # Asked only when the round waits for a meeting and news came meanwhile, so the marker
        # lands in the histories this fix changes and nowhere else.
        return (
            self.state == RoundState.AWAITING_MEETING
            and self.awaiting_plan is not None
            and self.awaiting_plan != self.plan
            and workflow.patched(PATCH_AWAITING_KEEPS_NEWS)
        )

    async def _compile_when_complete(self) -> None:
        # A report is in: if it was the last of the period, the Sammanställning is compiled now
        # (and again whenever a version changes), before the agenda goes out.
        if self.submission is not None and workflow.patched(PATCH_COMPILE_WHEN_COMPLETE):
            await calls.compile_when_complete(
                CompileWhenCompleteInput(
                    report_id=self.spec.report_id, period=self.spec.period, org_id=self.spec.org_id
                )
            )

    async def _place(self) -> None:
        review = self.spec.review
        if review is None:
            self.state = RoundState.ACCEPTED
            await self._record("accepted", "system")
            return
        if self.chain_mode:
            await self._place_in_chain()
            return
        await self._place_first_release(review)

    # --- updates ------------------------------------------------------------------------------

    @workflow.update(name=UPDATE_SUBMIT)
    async def submit(self, inp: SubmitInput) -> UpdateResult:
        """Takes a submission (stored in SQL already) and moves the round to submitted."""
        self.submission, self.state, self.meeting = inp, RoundState.SUBMITTED, None
        self.next_step = None
        await self._record("submitted", inp.actor, detail=f"version {inp.version}")
        await self._maybe_followup(inp)
        return UpdateResult(state=self.state, message="Rapporten är inlämnad. Tack!")

    @submit.validator
    def _validate_submit(self, inp: SubmitInput) -> None:
        rules.require_state(self.state, CHASING, "submit", "lämna in rapporten")

    @workflow.update(name=UPDATE_CORRECT)
    async def correct(self, inp: SubmitInput) -> UpdateResult:
        """Takes a corrected version before any committee decided; the round stays where it is."""
        self.submission = inp
        await self._record("corrected", inp.actor, detail=f"version {inp.version}")
        await self._maybe_followup(inp)
        return UpdateResult(
            state=self.state, message="Rättelsen är inlämnad. Utskottet ser vad som har ändrats."
        )

    @correct.validator
    def _validate_correct(self, inp: SubmitInput) -> None:
        self._require_undecided("correct the report", "rätta rapporten")
        if self.submission is not None and inp.sha256 == self.submission.sha256:
            raise rules.rejected(
                "The correction is the same as the submitted version.",
                "Rättelsen är likadan som den inlämnade versionen.",
            )
        if self.submission is not None and inp.version <= self.submission.version:
            raise rules.rejected(
                f"Version {inp.version} is not newer than {self.submission.version}.",
                f"Version {inp.version} är inte nyare än {self.submission.version}.",
            )

    @workflow.update(name=UPDATE_TAKE_BACK)
    async def take_back(self, inp: TakeBackInput) -> UpdateResult:
        """Takes the report back to the unit before any committee decided; the chase resumes."""
        self.state, self.meeting, self.committee_id = RoundState.OPEN, None, None
        self.plan += 1
        await self._record("taken_back", inp.actor, inp.reason)
        return UpdateResult(
            state=self.state, message="Rapporten är tillbakadragen. Lämna den igen när den är klar."
        )

    @take_back.validator
    def _validate_take_back(self, inp: TakeBackInput) -> None:
        self._require_undecided("take the report back", "dra tillbaka rapporten")

    def _require_undecided(self, what_en: str, what_sv: str) -> None:
        # Until a committee has decided: a decision is made on the version it saw.
        rules.require_state(self.state, UNDECIDED, what_en, what_sv)
        for entry in reversed(self.history):
            if entry.event in ("submitted", "corrected"):
                return
            if entry.event in DECISIONS:
                raise rules.rejected(
                    f"Cannot {what_en}: a committee has decided on it.",
                    f"Det går inte att {what_sv}: ett organ har redan beslutat om den.",
                )

    @workflow.update(name=UPDATE_DECIDE)
    async def decide(self, inp: DecideInput) -> UpdateResult:
        """Records the committee's decision: approve, remit (återremiss) or forward (refer)."""
        if self.chain_mode:
            return await self._decide_in_chain(inp)
        return await self._decide_first_release(inp)

    @decide.validator
    def _validate_decide(self, inp: DecideInput) -> None:
        if self.chain_mode:
            self._validate_in_chain(inp)
            return
        self._validate_first_release(inp)

    @workflow.update(name=UPDATE_KS_DECIDE)
    async def ks_decide(self, inp: KsDecideInput) -> UpdateResult:
        """Records KS's decision on a referred report: approve or remit (release 0.1's rounds)."""
        return await self._ks_decide_first_release(inp)

    @ks_decide.validator
    def _validate_ks_decide(self, inp: KsDecideInput) -> None:
        self._validate_ks_first_release(inp)

    @workflow.update(name=UPDATE_EXTEND)
    async def extend_deadline(self, inp: ExtendInput) -> UpdateResult:
        """Moves the due date (ekonomichef); reminders restart toward the new date."""
        self._move_due(inp.new_due)
        await self._record("extended", inp.actor, inp.reason, detail=f"ny sista dag {inp.new_due}")
        if workflow.patched(PATCH_EXTENSION_MAIL) and self.state in CHASING:
            # The unit hears of its new date, with a link and the same calendar event moved.
            await self._mail(
                "extended",
                f"extended/{self.attempt}",
                self.spec.recipients,
                with_link=True,
                reason=inp.reason,
            )
        return UpdateResult(state=self.state, message=f"Ny sista dag: {inp.new_due}.")

    @extend_deadline.validator
    def _validate_extend(self, inp: ExtendInput) -> None:
        rules.require_state(self.state, NOT_CLOSED, "extend the deadline", "förlänga tiden")
        rules.require_reason(inp.reason, "extend the deadline", "förlänga tiden")
        rules.require_later_due(inp.new_due, self.clock.today())
        rules.require_clean_text(inp.reason, "reason")
        if inp.new_due == self.due:
            raise rules.rejected(
                f"The round is already due on {inp.new_due}.", f"Sista dag är redan {inp.new_due}."
            )

    @workflow.update(name=UPDATE_CANCEL)
    async def cancel(self, inp: CancelInput) -> UpdateResult:
        """Cancels the round (administrator, with a reason); nothing more is sent."""
        asked = any(h.event == "request" for h in self.history)
        self.state = RoundState.CANCELLED
        await self._record("cancelled", inp.actor, inp.reason)
        if workflow.patched(PATCH_CANCEL_MAIL) and asked:
            # The unit was asked and has the deadline in its calendar: take both back.
            await self._mail("cancelled", "cancelled", self.spec.recipients, reason=inp.reason)
        return UpdateResult(state=self.state, message="Rundan är avbruten.")

    @cancel.validator
    def _validate_cancel(self, inp: CancelInput) -> None:
        rules.require_state(self.state, NOT_CLOSED, "cancel", "avbryta rundan")
        rules.require_reason(inp.reason, "cancel a round", "avbryta rundan")
        rules.require_clean_text(inp.reason, "reason")

    # --- configuration changes and the query ---------------------------------------------------

    @workflow.signal(name=SIGNAL_ROUND_SPEC)
    async def spec_changed(self, spec: RoundSpec) -> None:
        """Takes a changed configuration from the cycle: a new due date or new meetings."""
        old, self.spec = (
            self.spec,
            spec.model_copy(update={"clock_offset_s": self.spec.clock_offset_s}),
        )
        if self.chain_mode:
            self.spec = self._take_spec_in_chain(old, self.spec)
        else:
            self._take_meetings(old, spec)
        # Only the configured date moves; a date set by a person (extension, återremiss) stays.
        if spec.due != old.due and self.due == old.due and self.state in CHASING:
            self._move_due(spec.due)
            await self._record("extended", "configuration", detail=f"ny sista dag {spec.due}")
            if workflow.patched(PATCH_CONFIGURED_DUE_MAIL):
                # The unit's calendar holds the old date: the same event moved, with the link.
                await self._mail(
                    "extended",
                    f"extended/{self.attempt}",
                    self.spec.recipients,
                    with_link=True,
                    reason=CONFIGURED_DUE_REASON,
                )

    @workflow.query(name=QUERY_STATUS)
    def status(self) -> RoundStatus:
        """Returns the state, dates, agenda meeting, next step and full history."""
        return self._status()

    def _status(self) -> RoundStatus:
        sub = self.submission
        return RoundStatus(
            workflow_id=self.spec.workflow_id,
            spec=self.spec,
            state=self.state,
            due=self.due,
            meeting=self.meeting,
            committee_id=self.committee_id,
            next_step=self.next_step,
            submission_id=sub.submission_id if sub else None,
            submission_version=sub.version if sub else None,
            history=list(self.history),
            **self._chain_status(),
        )
