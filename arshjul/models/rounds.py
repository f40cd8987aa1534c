"""What a report round is: its specification (input), its state, and the updates that move it.

These models cross the Temporal boundary (pydantic data converter), so they hold only plain data.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field


class Recipient(BaseModel):
    """A person a mail goes to: name and address."""

    name: str
    email: str


class EscalationSpec(BaseModel):
    """When a late round is escalated, how often again, and to whom (by role)."""

    after_working_days: int
    repeat_every_days: int
    role_titles: list[str]
    to: list[Recipient]


class MeetingInfo(BaseModel):
    """The time and place of one meeting, when they differ from the committee's usual ones."""

    date: dt.date
    time: dt.time | None = None
    place: str | None = None


class CommitteeSpec(BaseModel):
    """A committee as a round sees it: its meetings (with time and place) and members."""

    id: str
    name: str
    meetings: list[dt.date]
    members: list[Recipient] = Field(default_factory=list)
    # Shown in mails and on the agenda ("sammanträdet 13 oktober kl. 13.00, Stadshuset").
    meeting_time: dt.time | None = None
    meeting_place: str | None = None
    sessions: list[MeetingInfo] = Field(default_factory=list)

    def meeting_info(self, day: dt.date) -> MeetingInfo:
        """Returns the time and place of the meeting on `day` (the usual ones unless it differs)."""
        own = next((s for s in self.sessions if s.date == day), None)
        return MeetingInfo(
            date=day,
            time=(own.time if own else None) or self.meeting_time,
            place=(own.place if own else None) or self.meeting_place,
        )


class ChainStepSpec(BaseModel):
    """One committee of a review chain, as the round runs it."""

    committee: CommitteeSpec
    min_days_before_meeting: int = 7
    # The meeting this period's report is meant for ("KS i oktober"); None: the next it can reach.
    target_meeting: dt.date | None = None
    # Committee ids it may forward the report to, with a reason (their specs: chain or `others`).
    forward_to: list[str] = Field(default_factory=list)


class ReviewSpec(BaseModel):
    """Which committees review the round, in what order, and how early it must be in."""

    committee: CommitteeSpec  # the first (or only) committee
    min_days_before_meeting: int
    # The committee a referral goes to (KS), if the reviewing committee may refer.
    refers_to: CommitteeSpec | None = None
    # The whole chain in order; None in rounds started before review chains existed (they run
    # `committee`, then `refers_to` on a referral).
    chain: list[ChainStepSpec] | None = None
    # Forward targets that are not steps of the chain.
    others: list[CommitteeSpec] = Field(default_factory=list)
    # After an återremiss the resubmitted report starts again at the first step, or at the
    # committee that remitted it.
    after_remit: Literal["first_step", "same_step"] = "first_step"

    def steps(self) -> list[ChainStepSpec]:
        """Returns the chain; for a round from before chains, `committee` with its referral."""
        if self.chain is not None:
            return self.chain
        forward = [self.refers_to.id] if self.refers_to is not None else []
        return [
            ChainStepSpec(
                committee=self.committee,
                min_days_before_meeting=self.min_days_before_meeting,
                forward_to=forward,
            )
        ]

    def committees(self) -> dict[str, CommitteeSpec]:
        """Returns every committee the round may reach, by id."""
        found = {s.committee.id: s.committee for s in self.steps()}
        for other in [*self.others, *([self.refers_to] if self.refers_to else [])]:
            found.setdefault(other.id, other)
        return found


class FollowupSpec(BaseModel):
    """The åtgärdsplan a large deviation calls for: which report, above what, due how soon."""

    report_id: str
    report_title: str
    deviation_threshold_tkr: float
    due_days: int


class RoundSpec(BaseModel):
    """Everything one round needs to run without reading the configuration again."""

    org_id: str
    org_name: str
    report_id: str
    report_title: str
    sections: list[str]
    period: str  # YYYY-MM of the period's last month
    period_end: dt.date
    unit_id: str  # a unit id, or a role id for role-submitted reports (one namespace)
    unit_name: str
    recipients: list[Recipient]
    opens: dt.date
    due: dt.date
    reminders_working_days_before_due: list[int] = Field(default_factory=list)
    escalation: EscalationSpec | None = None
    review: ReviewSpec | None = None
    followup: FollowupSpec | None = None
    measures_threshold_tkr: float = 0
    # People told when something needs the owner's attention (no meeting left, escalations copy).
    owners: list[Recipient] = Field(default_factory=list)
    timezone: str = "Europe/Stockholm"
    send_time: dt.time = dt.time(8, 0)
    non_working_eves: list[str] = Field(
        default_factory=lambda: ["julafton", "nyårsafton", "midsommarafton"]
    )
    demo: bool = False  # a demonstration round opened by `arshjul up`, marked as such everywhere
    # Simulation only: seconds added to the server's clock, so `arshjul simulate` can run a past
    # year on the time-skipping server. 0 in production; ignored when comparing configurations.
    clock_offset_s: float = 0

    @property
    def workflow_id(self) -> str:
        """Deterministic id: starting the same round twice is harmless."""
        return round_workflow_id(self.org_id, self.report_id, self.period, self.unit_id)


def round_workflow_id(org_id: str, report_id: str, period: str, unit_id: str) -> str:
    """Returns the workflow id of the round for (organisation, report, period, unit)."""
    return f"round/{org_id}/{report_id}/{period}/{unit_id}"


def deadline_uid(org_id: str, report_id: str, period: str, unit_id: str) -> str:
    """Returns the calendar UID of a round's deadline: the same in mails and feeds, whatever the
    date, so a calendar moves the event when the deadline moves instead of adding a second one."""
    return f"due/{report_id}/{period}/{unit_id}@{org_id}.arshjul"


class RoundState(StrEnum):
    """The state machine of DESIGN.md."""

    OPEN = "open"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    AWAITING_MEETING = (
        "awaiting_meeting"  # needs review but no meeting remains in the configuration
    )
    ON_AGENDA = "on_agenda"
    APPROVED = "approved"
    REMITTED = "remitted"
    REFERRED = "referred"
    CANCELLED = "cancelled"


CLOSED_STATES = frozenset({RoundState.ACCEPTED, RoundState.APPROVED, RoundState.CANCELLED})
# The states in which a round waits for its unit: the form takes a submission, reminders and new
# links make sense. Members compare equal to the plain strings the store holds.
WAITING_FOR_UNIT = frozenset({RoundState.OPEN, RoundState.REMITTED})

# The timeline's event names (also `arshjul simulate --format json`).
Event = Literal[
    "request",
    "reminder",
    "overdue",
    "escalation",
    "submitted",
    "on_agenda",
    "awaiting_meeting",
    "approved",
    "remitted",
    "referred",
    "ks_approved",
    "ks_remitted",
    "passed_on",  # approved at one step of a review chain, on to the next committee
    "target_missed",  # too late for its target meeting: placed on a later one, owners told
    "tabled",  # bordlagt: to the committee's next meeting
    "withdrawn",  # utgår från dagordningen: placed again on a later meeting
    "accepted",
    "extended",
    "cancelled",
    "followup_opened",
    "corrected",  # a new version before any committee decided; the round stays where it is
    "taken_back",  # the unit took its report back before any committee decided
]


class HistoryEntry(BaseModel):
    """One line of a round's history: what happened, when, by whom and why."""

    event: Event
    time: dt.datetime  # UTC, from workflow.now()
    actor: str  # "system" for timers, else the person's email
    reason: str | None = None
    detail: str | None = None


# --- updates (all have validators in the workflow) -------------------------------------------


class SubmitInput(BaseModel):
    """A submission already stored in SQL; the workflow carries only its id and hash."""

    submission_id: int
    version: int
    sha256: str
    actor: str
    # Budget minus helårsprognos (tkr, net cost; negative = overspend) for economic reports.
    forecast_deviation_tkr: float | None = None


class DecideInput(BaseModel):
    """A committee's decision on a round on its agenda.

    approve: on to the next step of the chain, or done after the last; remit: back to the unit
    (återremiss); refer: forward with a reason to `forward_to` (a committee the step may forward
    to; its only one when not given); table (bordläggning): to the committee's next meeting;
    withdraw: off this meeting's agenda, placed again on a later one.
    """

    outcome: Literal["approve", "remit", "refer", "table", "withdraw"]
    actor: str
    reason: str | None = None
    new_due: dt.date | None = None  # for remit; default: 10 working days after the decision
    # The deciding committee: refused unless the round is on its agenda (None: any; old clients).
    committee_id: str | None = None
    forward_to: str | None = None
    # A new due date before the current one only when the decision says so (remit).
    shorten: bool = False


class KsDecideInput(BaseModel):
    """KS's decision on a referred round."""

    outcome: Literal["approve", "remit"]
    actor: str
    reason: str | None = None
    new_due: dt.date | None = None
    shorten: bool = False  # as DecideInput.shorten


class ExtendInput(BaseModel):
    """An extension of the deadline: the new due date, who gave it and why."""

    new_due: dt.date
    actor: str
    reason: str | None = None


class TakeBackInput(BaseModel):
    """The unit takes its submitted report back before any committee decided on it."""

    actor: str
    reason: str | None = None


class CancelInput(BaseModel):
    """A round called off: who cancelled it and why."""

    actor: str
    reason: str


class UpdateResult(BaseModel):
    """What an accepted update answers: the new state and a Swedish sentence for the page."""

    state: RoundState
    message: str


class RoundStatus(BaseModel):
    """The query answer: state, dates, agenda meeting, latest submission and full history."""

    workflow_id: str
    spec: RoundSpec
    state: RoundState
    due: dt.date
    meeting: dt.date | None = None
    committee_id: str | None = None
    submission_id: int | None = None
    submission_version: int | None = None
    next_step: str | None = None  # e.g. "reminder 2026-03-09 08:00"
    history: list[HistoryEntry] = Field(default_factory=list)
    # Review chains: the committees the report passes (ids, in order) and the index of the one
    # it is at; None in rounds from before chains.
    route: list[str] | None = None
    step: int | None = None
    target_meeting: dt.date | None = None  # the meeting the current step aims at
    missed_target: bool = False  # placed on a later meeting than its target


# --- the annual cycle ---------------------------------------------------------------------------


class RoundChanged(BaseModel):
    """Signal from a round to its cycle after every history line (keeps QUERY_CYCLE current)."""

    workflow_id: str
    state: RoundState
    due: dt.date
    meeting: dt.date | None = None


class CycleRound(BaseModel):
    """One line of QUERY_CYCLE: a round the cycle scheduled, opened or left out."""

    workflow_id: str
    report_id: str
    report_title: str
    period: str
    unit_id: str
    unit_name: str
    opens: dt.date
    due: dt.date
    # scheduled: not opened yet; opened: the round workflow runs (or ran);
    # before_start: due before the cycle started, never opened;
    # removed: dropped by a new configuration.
    status: Literal["scheduled", "opened", "before_start", "removed"]
    state: RoundState | None = None  # the last state the round reported (opened rounds)
    meeting: dt.date | None = None


class CycleConfigInput(BaseModel):
    """UPDATE_CYCLE_CONFIG: the year's plan recomputed from a changed configuration.

    A planned cycle takes the new plan's hash and opening instants (arshjul.models.plans);
    a cycle of release 0.1 takes every RoundSpec.
    """

    specs: list[RoundSpec] = Field(default_factory=list)
    actor: str = "configuration"
    plan: str | None = None
    slots: list[dt.datetime] = Field(default_factory=list)


class CycleConfigResult(BaseModel):
    """What a configuration update changed, by workflow id."""

    moved: list[str] = Field(default_factory=list)  # not-yet-opened rounds with new dates
    signalled: list[str] = Field(default_factory=list)  # running rounds told of new due/meetings
    added: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)  # not-yet-opened rounds no longer configured
    message: str = ""


# --- names on the Temporal boundary (workflows define them; web, CLI and tests call them) ------

ROUND_WORKFLOW = "ReportRoundWorkflow"
CYCLE_WORKFLOW = "AnnualCycleWorkflow"
UPDATE_SUBMIT = "submit"  # SubmitInput -> UpdateResult
UPDATE_DECIDE = "decide"  # DecideInput -> UpdateResult (the committee whose agenda it is on)
UPDATE_KS_DECIDE = "ks_decide"  # KsDecideInput -> UpdateResult (round must be referred)
UPDATE_EXTEND = "extend_deadline"  # ExtendInput -> UpdateResult
UPDATE_CANCEL = "cancel"  # CancelInput -> UpdateResult
UPDATE_CORRECT = "correct"  # SubmitInput -> UpdateResult (submitted, not yet decided)
UPDATE_TAKE_BACK = "take_back"  # TakeBackInput -> UpdateResult (submitted, not yet decided)
QUERY_STATUS = "status"  # -> RoundStatus
QUERY_CYCLE = "rounds"  # on the cycle -> list[CycleRound]
UPDATE_CYCLE_CONFIG = "update_config"  # on the cycle: CycleConfigInput -> CycleConfigResult
SIGNAL_ROUND_SPEC = "spec_changed"  # on a round, from the cycle: RoundSpec (new due / meetings)
SIGNAL_ROUND_CHANGED = "round_changed"  # on the cycle, from a round: RoundChanged

# A rejected update (validator) raises ApplicationError(type=REJECTED_ERROR_TYPE, non_retryable):
# its message is English (logs, CLI), `details[0]` the same in Swedish (pages). Clients see
# WorkflowUpdateFailedError whose `.cause` is that ApplicationError.
REJECTED_ERROR_TYPE = "InvalidTransition"


def cycle_workflow_id(org_id: str, year: int) -> str:
    """Returns the workflow id of the annual cycle of an organisation and year."""
    return f"cycle/{org_id}/{year}"
