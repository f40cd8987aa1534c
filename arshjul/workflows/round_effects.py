"""The effects of a report round: history lines, mails, decisions and the follow-up round.

A base class of ReportRoundWorkflow, kept apart so the workflow module reads as the state machine.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from temporalio import workflow
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from arshjul.calendar.schedule import NoticeKind
    from arshjul.models.effects import (
        DecisionOutcome,
        DecisionRecord,
        NotificationRequest,
        RoundEventRecord,
        Template,
    )
    from arshjul.models.rounds import (
        ROUND_WORKFLOW,
        SIGNAL_ROUND_CHANGED,
        Event,
        HistoryEntry,
        Recipient,
        RoundChanged,
        RoundSpec,
        RoundState,
        SubmitInput,
        round_workflow_id,
    )
    from arshjul.workflows import calls
    from arshjul.workflows.clock import Clock, WorkflowWorkingDays


def people(*groups: list[Recipient]) -> list[Recipient]:
    """Returns the recipients of several lists, each address once."""
    seen: dict[str, Recipient] = {}
    for person in itertools.chain(*groups):
        seen.setdefault(person.email.lower(), person)
    return list(seen.values())


class RoundEffects:
    """State fields and effect helpers shared by the round's main line and its handlers."""

    spec: RoundSpec
    clock: Clock
    wd: WorkflowWorkingDays
    state: RoundState
    due: dt.date
    meeting: dt.date | None
    committee_id: str | None
    submission: SubmitInput | None
    history: list[HistoryEntry]
    attempt: int
    plan: int
    awaiting_plan: int | None
    followup: workflow.ChildWorkflowHandle[Any, Any] | None

    async def _record(
        self, event: Event, actor: str, reason: str | None = None, detail: str | None = None
    ) -> None:
        # Appended before the first await, so the order of history lines is the order of events.
        entry = HistoryEntry(
            event=event, time=self.clock.now(), actor=actor, reason=reason, detail=detail
        )
        self.history.append(entry)
        await calls.record_event(
            RoundEventRecord(
                workflow_id=self.spec.workflow_id,
                seq=len(self.history),
                state=self.state,
                due=self.due,
                meeting=self.meeting,
                committee_id=self.committee_id,
                spec=self.spec,
                submission_id=self.submission.submission_id if self.submission else None,
                target_meeting=getattr(self, "target", None),
                missed_target=getattr(self, "missed", False),
                **entry.model_dump(),
            )
        )
        parent = workflow.info().parent
        if parent is not None and parent.workflow_id.startswith("cycle/"):
            try:
                await workflow.get_external_workflow_handle(parent.workflow_id).signal(
                    SIGNAL_ROUND_CHANGED,
                    RoundChanged(
                        workflow_id=self.spec.workflow_id,
                        state=self.state,
                        due=self.due,
                        meeting=self.meeting,
                    ),
                )
            except Exception:  # noqa: BLE001 - a finished cycle no longer listens; the round goes on
                workflow.logger.info("cycle %s did not take the round's news", parent.workflow_id)

    async def _mail(
        self,
        template: Template,
        key: str,
        to: list[Recipient],
        *,
        with_link: bool = False,
        reason: str | None = None,
        detail: list[str] | None = None,
        committee_name: str | None = None,
        to_committee_name: str | None = None,
        target_meeting: dt.date | None = None,
        tabled_meeting: dt.date | None = None,
    ) -> None:
        if not to:
            return
        await calls.send_notification(
            NotificationRequest(
                idempotency_key=f"{self.spec.workflow_id}/{key}",
                template=template,
                to=to,
                round=self.spec,
                due=self.due,
                meeting=self.meeting,
                reason=reason,
                late_units=detail or [],
                with_link=with_link,
                committee_name=committee_name,
                to_committee_name=to_committee_name,
                target_meeting=target_meeting,
                tabled_meeting=tabled_meeting,
            )
        )

    async def _notice(
        self,
        kind: NoticeKind,
        index: int,
        to: list[Recipient],
        *,
        with_link: bool = False,
        detail: str | None = None,
    ) -> None:
        await self._record(kind, "system", detail=detail)
        late = [self.spec.unit_name] if kind == "escalation" else None
        await self._mail(
            kind, f"{kind}-{index}/{self.attempt}", to, with_link=with_link, detail=late
        )

    async def _decision(
        self,
        outcome: DecisionOutcome,
        actor: str,
        reason: str | None,
        committee_id: str,
        meeting: dt.date | None,
        to_committee_id: str | None = None,
    ) -> None:
        await calls.record_decision(
            DecisionRecord(
                idempotency_key=f"{self.spec.workflow_id}/{outcome}/{len(self.history)}",
                workflow_id=self.spec.workflow_id,
                committee_id=committee_id,
                meeting=meeting or self.clock.today(),
                outcome=outcome,
                reason=reason,
                decided_by=actor,
                time=self.clock.now(),
                submission_id=self.submission.submission_id if self.submission else None,
                to_committee_id=to_committee_id,
            )
        )

    def _await_meeting(self) -> None:
        # The plan as it was when the round began to wait: news of meetings that arrives while
        # the round still records or mails its waiting must release it, not be taken as the start.
        self.state, self.meeting = RoundState.AWAITING_MEETING, None
        self.awaiting_plan = self.plan

    def _move_due(self, new_due: dt.date) -> None:
        self.due = new_due
        self.attempt += 1
        self.plan += 1

    async def _maybe_followup(self, submission: SubmitInput) -> None:
        f = self.spec.followup
        deviation = submission.forecast_deviation_tkr
        if f is None or deviation is None or deviation >= -f.deviation_threshold_tkr:
            return
        s, today = self.spec, self.clock.today()
        child = s.model_copy(
            update={
                "report_id": f.report_id,
                "report_title": f.report_title,
                "opens": today,
                "due": self.wd.previous_or_same(today + dt.timedelta(days=f.due_days)),
                "followup": None,
            }
        )
        child_id = round_workflow_id(s.org_id, f.report_id, s.period, s.unit_id)
        try:
            self.followup = await workflow.start_child_workflow(
                ROUND_WORKFLOW,
                child,
                id=child_id,
                parent_close_policy=ParentClosePolicy.ABANDON,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            )
        except WorkflowAlreadyStartedError:
            return  # a resubmission after återremiss does not open a second follow-up
        await self._record(
            "followup_opened", "system", detail=f"{child_id} (sista dag {child.due})"
        )
