"""Inputs and outputs of the activities: the only way a workflow touches the store or the mail.

Workflows call activities by these names; `arshjul/activities/` implements them.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from arshjul.models.rounds import Event, Recipient, RoundSpec, RoundState

ACTIVITY_SEND_NOTIFICATION = "send_notification"
ACTIVITY_RECORD_EVENT = "record_event"
ACTIVITY_RECORD_DECISION = "record_decision"
ACTIVITY_COMPILE_REPORT = "compile_report"

Template = Literal[
    "request",
    "reminder",
    "overdue",
    "escalation",
    "remitted",
    "approved",
    "referred",
    "ks_decision",
    "passed_on",
    "target_missed",
    "awaiting_meeting",
    "login_link",
    "digest",
    "extended",
    "cancelled",
    "tabled",
    "withdrawn",
]

# What a committee decided, as the protocol records it.
DecisionOutcome = Literal[
    "approved",
    "remitted",
    "referred",
    "ks_approved",
    "ks_remitted",
    "passed_on",
    "tabled",
    "withdrawn",
]


class NotificationRequest(BaseModel):
    """One mail.

    `idempotency_key` (round, event, attempt) makes a retried activity send nothing new.
    """

    idempotency_key: str
    template: Template
    to: list[Recipient]
    round: RoundSpec | None = None
    due: dt.date | None = None
    meeting: dt.date | None = None
    reason: str | None = None
    # Escalation: the units still missing, by name.
    late_units: list[str] = Field(default_factory=list)
    # Whether the mail carries a submission link (a fresh token scoped to round, unit, purpose).
    with_link: bool = False
    # The committee that decided (or decides), and where the report goes next; None: derived
    # from the round's review as before review chains.
    committee_name: str | None = None
    to_committee_name: str | None = None
    target_meeting: dt.date | None = None  # target_missed: the meeting the report could not make
    # tabled: the meeting that tabled the report (`meeting` is the next one, None if unknown).
    tabled_meeting: dt.date | None = None


class NotificationResult(BaseModel):
    """What the send-notification activity did: sent now, or already sent under this key."""

    sent: bool  # False when the key had already been sent (retry or replay)
    message_id: str | None = None


class RoundEventRecord(BaseModel):
    """One line of the round's history, mirrored into SQL (round row + audit log)."""

    workflow_id: str
    seq: int  # position in the workflow's history: the idempotency key with workflow_id
    event: Event
    time: dt.datetime
    actor: str
    reason: str | None = None
    detail: str | None = None
    state: RoundState
    due: dt.date
    meeting: dt.date | None = None
    committee_id: str | None = None
    submission_id: int | None = None
    spec: RoundSpec
    target_meeting: dt.date | None = None
    missed_target: bool = False


class DecisionRecord(BaseModel):
    """A committee decision for the protocol; the store numbers its paragraph (§) per meeting."""

    idempotency_key: str
    workflow_id: str
    committee_id: str
    meeting: dt.date
    outcome: DecisionOutcome
    reason: str | None = None
    decided_by: str
    submission_id: int | None = None
    time: dt.datetime
    # passed_on and referred: the committee the report goes to.
    to_committee_id: str | None = None


class DecisionReceipt(BaseModel):
    """A recorded committee decision: its row and its § in the committee's protocol."""

    decision_id: int
    paragraph: int
