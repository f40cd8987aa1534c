"""Drives a simulated year on the time-skipping server: the cycle runs, the script acts.

Time moves only through `env.sleep` between the script's actions, so every timer fires exactly
when it would in production. The workflows see `server time + offset`, which lets a past year run.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from arshjul.calendar.workdays import WorkingDays
from arshjul.models.cycle import CycleInput
from arshjul.models.instants import send_instant
from arshjul.models.plans import plan_slots
from arshjul.models.rounds import (
    CLOSED_STATES,
    CYCLE_WORKFLOW,
    UPDATE_DECIDE,
    UPDATE_KS_DECIDE,
    UPDATE_SUBMIT,
    DecideInput,
    KsDecideInput,
    RoundSpec,
    RoundState,
    SubmitInput,
    UpdateResult,
    cycle_workflow_id,
    round_workflow_id,
)
from arshjul.simulation.plans import MemoryPlans
from arshjul.simulation.script import Script, Step

TZ = "Europe/Stockholm"


@dataclass(order=True)
class Action:
    """A step the simulated people take at a simulated time: submit a round, or hold a meeting."""

    at: dt.datetime  # UTC, simulated
    seq: int
    kind: str = field(compare=False)  # "submit" or "meeting"
    target: str = field(compare=False)  # round workflow id, or committee id
    day: dt.date | None = field(default=None, compare=False)


class Simulation:
    """One simulated year: start() the cycle, run_until() a moment, in as many steps as wanted."""

    def __init__(
        self,
        env: WorkflowEnvironment,
        task_queue: str,
        plans: MemoryPlans,  # the store the worker's cycle activities read (in_memory_activities)
        specs: list[RoundSpec],
        script: Script,
        year: int,
        on_progress: Callable[[dt.datetime], None] | None = None,
        start: dt.date | None = None,
        continue_as_new_after_events: int | None = None,
    ) -> None:
        self.env, self.task_queue, self.script, self.year = env, task_queue, script, year
        self.plans = plans
        self.specs = {s.workflow_id: s for s in specs}
        self.start_day = start or dt.date(year, 1, 1)
        self.zone = ZoneInfo(TZ)
        self.wd = WorkingDays(
            specs[0].non_working_eves if specs else ("julafton", "nyårsafton", "midsommarafton")
        )
        self.on_progress = on_progress
        self.continue_as_new_after_events = continue_as_new_after_events
        self.offset = dt.timedelta(0)
        self.problems: list[str] = []  # script actions the workflows refused (shown on stderr)
        self.sleeps = 0  # times the driver moved the server's clock (bench_year's baseline too)
        self._heap: list[Action] = []
        self._seq = itertools.count()
        self._steps: dict[str, dict[str, list[Step]]] = {}
        self._submission_ids = itertools.count(1)
        self._versions: dict[str, int] = {}
        self._in_review: set[str] = set()  # submitted rounds a committee has still to decide
        self.org_id = specs[0].org_id if specs else "org"

    def specs_list(self) -> list[RoundSpec]:
        """Returns the year's round specs as the cycle got them (follow-ups excluded)."""
        return [
            s for s in self.specs.values() if s.followup is not None or s.report_id != "atgardsplan"
        ]

    # --- time -----------------------------------------------------------------------------------

    def at_local(self, day: dt.date, time: dt.time) -> dt.datetime:
        """Returns the UTC instant of a local date and time."""
        return send_instant(day, time, TZ)

    async def now(self) -> dt.datetime:
        """Returns the simulated UTC now."""
        return await self.env.get_current_time() + self.offset

    async def _advance(self, target: dt.datetime) -> None:
        now = await self.now()
        if target > now:
            self.sleeps += 1
            await self.env.sleep(target - now)

    # --- setup ------------------------------------------------------------------------------------

    def _push(self, at: dt.datetime, kind: str, target: str, day: dt.date | None = None) -> None:
        heapq.heappush(self._heap, Action(at, next(self._seq), kind, target, day))

    def _schedule_submission(self, spec: RoundSpec) -> None:
        rule = self.script.submission_for(spec)
        if rule.never:
            return
        n = rule.working_days_from_due
        n = self.script.submit_working_days_from_due if n is None else n
        day = self.wd.add(self.wd.previous_or_same(spec.due), n)
        opened = send_instant(spec.opens, spec.send_time, spec.timezone)
        at = max(self.at_local(day, self.script.submit_time), opened + dt.timedelta(hours=1))
        self._push(at, "submit", spec.workflow_id)

    async def start(self) -> None:
        """Starts the cycle with every round and schedules the script's actions."""
        begin = self.at_local(self.start_day, dt.time(0, 0))
        self.offset = begin - await self.env.get_current_time()
        specs = [
            s.model_copy(update={"clock_offset_s": self.offset.total_seconds()})
            for s in self.specs.values()
        ]
        self.specs = {s.workflow_id: s for s in specs}
        committees: dict[str, set[dt.date]] = {}
        for spec in specs:
            if spec.due >= self.start_day:
                self._schedule_submission(spec)
            if spec.review:
                for c in spec.review.committees().values():
                    committees.setdefault(c.id, set()).update(c.meetings)
            self._steps[spec.workflow_id] = self.script.decisions_for(spec).steps(spec)
        for committee_id, days in committees.items():
            for day in sorted(days):
                self._push(
                    self.at_local(day, self.script.decision_time), "meeting", committee_id, day
                )
        plan = self.plans.save(self.org_id, self.year, specs)
        cycle = CycleInput(
            org_id=self.org_id,
            year=self.year,
            start=self.start_day,
            timezone=TZ,
            clock_offset_s=self.offset.total_seconds(),
            continue_as_new_after_events=self.continue_as_new_after_events,
            plan=plan,
            slots=plan_slots(specs),
        )
        await self.env.client.start_workflow(
            CYCLE_WORKFLOW,
            cycle,
            id=cycle_workflow_id(self.org_id, self.year),
            task_queue=self.task_queue,
        )

    # --- the script's actions ---------------------------------------------------------------------

    async def run_until(self, until: dt.datetime) -> None:
        """Carries out every action before `until` (UTC, simulated), then moves time to `until`."""
        while self._heap and self._heap[0].at <= until:
            action = heapq.heappop(self._heap)
            await self._advance(action.at)
            if self.on_progress:
                self.on_progress(action.at)
            if action.kind == "submit":
                await self._submit(action.target)
            else:
                await self._meeting(action.target, action.day)  # type: ignore[arg-type]
        await self._advance(until)
        if self.on_progress:
            self.on_progress(until)

    def open_rounds(self) -> dict[str, RoundState]:
        """Returns the state of every started round that has not closed (follow-ups included)."""
        records = self.plans.timeline.last_records().values()
        return {r.workflow_id: r.state for r in records if r.state not in CLOSED_STATES}

    async def run_to_close(self, limit: dt.datetime) -> dict[str, RoundState]:
        """Carries on after the year until every round has closed or nothing can move one.

        Returns the rounds still open at the end: never handed in, or waiting for a meeting
        that is not in the configuration, or past `limit`.
        """
        while True:
            still = self.open_rounds()
            waiting = still.keys() & (self._in_review | {a.target for a in self._heap})
            if not waiting or not self._heap or self._heap[0].at > limit:
                return still
            await self.run_until(self._heap[0].at)

    def year_end(self) -> dt.datetime:
        """Returns the last minute of the simulated year (UTC)."""
        return self.at_local(dt.date(self.year, 12, 31), dt.time(23, 59))

    async def _update(self, workflow_id: str, name: str, arg: Any) -> UpdateResult | None:
        handle = self.env.client.get_workflow_handle(workflow_id)
        try:
            return await handle.execute_update(name, arg, result_type=UpdateResult)
        except WorkflowUpdateFailedError as exc:
            cause = exc.cause
            why = cause.message if isinstance(cause, ApplicationError) else str(exc)
            self.problems.append(f"{workflow_id}: {name} refused: {why}")
        except RPCError as exc:
            self.problems.append(f"{workflow_id}: {name} failed: {exc.message}")
        return None

    async def _submit(self, workflow_id: str) -> None:
        spec = self.specs[workflow_id]
        version = self._versions.get(workflow_id, 0) + 1
        self._versions[workflow_id] = version
        rule = self.script.submission_for(spec)
        deviation = rule.forecast_deviation_tkr if version == 1 else None
        submission = SubmitInput(
            submission_id=next(self._submission_ids),
            version=version,
            sha256=f"sim-{workflow_id}-{version}",
            actor=spec.recipients[0].email if spec.recipients else self.script.submitter_actor,
            forecast_deviation_tkr=deviation,
        )
        if await self._update(workflow_id, UPDATE_SUBMIT, submission) is None:
            return
        if spec.review is not None:
            self._in_review.add(workflow_id)
        f = spec.followup
        if f and deviation is not None and deviation < -f.deviation_threshold_tkr:
            # The round opens the follow-up itself; the script has the unit hand it in on time.
            today = (await self.now()).astimezone(self.zone).date()
            due = self.wd.previous_or_same(today + dt.timedelta(days=f.due_days))
            child = spec.model_copy(
                update={
                    "report_id": f.report_id,
                    "report_title": f.report_title,
                    "opens": today,
                    "due": due,
                    "followup": None,
                }
            )
            child_id = round_workflow_id(spec.org_id, f.report_id, spec.period, spec.unit_id)
            self.specs[child_id] = child
            self._steps[child_id] = {}
            self._schedule_submission(child)

    async def _meeting(self, committee_id: str, day: dt.date) -> None:
        # The rounds' own history lines say which are on this meeting's agenda (no queries).
        latest = self.plans.timeline.last_records()
        for workflow_id in sorted(self._in_review):
            record = latest.get(workflow_id)
            if record is None or record.meeting != day or record.committee_id != committee_id:
                continue
            if record.state in (RoundState.ON_AGENDA, RoundState.REFERRED):
                await self._decide(workflow_id, committee_id, record.state, day)

    async def _table(self, workflow_id: str, committee_id: str, actor: str) -> UpdateResult | None:
        # The scripted decision was refused (on stderr): the committee tables the case, so it
        # comes up at its next meeting instead of staying on this past meeting's agenda.
        arg = DecideInput(
            outcome="table",
            actor=actor,
            reason="Det planerade beslutet kunde inte fattas; ärendet bordläggs.",
            committee_id=committee_id,
        )
        result = await self._update(workflow_id, UPDATE_DECIDE, arg)
        if result is None:
            self._in_review.discard(workflow_id)  # nothing more the script can do for it
        return result

    async def _decide(
        self, workflow_id: str, committee_id: str, state: RoundState, day: dt.date
    ) -> None:
        steps = self._steps[workflow_id].setdefault(committee_id, [])
        step = steps.pop(0) if steps else Step(outcome="approve")
        actor = step.actor or self.script.committee_actor
        if state == RoundState.REFERRED:  # referred before review chains: KS's own update
            outcome = "remit" if step.outcome == "remit" else "approve"
            arg: Any = KsDecideInput(outcome=outcome, actor=actor, reason=step.reason)
            result = await self._update(workflow_id, UPDATE_KS_DECIDE, arg)
        else:
            arg = DecideInput(
                outcome=step.outcome,
                actor=actor,
                reason=step.reason,
                committee_id=committee_id,
                forward_to=step.to,
            )
            result = await self._update(workflow_id, UPDATE_DECIDE, arg)
            if result is None:
                result = await self._table(workflow_id, committee_id, actor)
        if result is not None and result.state == RoundState.APPROVED:
            self._in_review.discard(workflow_id)
        if result is not None and result.state == RoundState.REMITTED:
            back = self.wd.add(day, self.script.resubmit_working_days_after_remit)
            self._push(self.at_local(back, self.script.submit_time), "submit", workflow_id)
