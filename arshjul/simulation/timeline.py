"""In-memory activities under the real activity names: they record the timeline instead of I/O."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from temporalio import activity

from arshjul.models.agenda import (
    ACTIVITY_COMPILE_WHEN_COMPLETE,
    ACTIVITY_PUBLISH_AGENDA,
    CompileWhenCompleteInput,
    CompileWhenCompleteResult,
    PublishAgendaInput,
    PublishAgendaResult,
)
from arshjul.models.digest import ACTIVITY_SEND_DIGEST, DigestRequest, DigestResult
from arshjul.models.effects import (
    ACTIVITY_RECORD_DECISION,
    ACTIVITY_RECORD_EVENT,
    ACTIVITY_SEND_NOTIFICATION,
    DecisionReceipt,
    DecisionRecord,
    NotificationRequest,
    NotificationResult,
    RoundEventRecord,
)
from arshjul.models.retention import ACTIVITY_GALLRA, RetentionRequest, RetentionResult


class TimelineEntry(BaseModel):
    """One line of `arshjul simulate --format json`."""

    time: dt.datetime  # with the local offset
    round: str
    unit: str
    event: str
    detail: str | None = None


class Timeline:
    """Every history line, mail and decision the workflows produced, deduplicated by key."""

    def __init__(self, timezone: str = "Europe/Stockholm") -> None:
        self.zone = ZoneInfo(timezone)
        self.events: dict[tuple[str, int], RoundEventRecord] = {}
        self.mails: dict[str, NotificationRequest] = {}
        self.decisions: dict[str, DecisionRecord] = {}
        self.digests: list[DigestRequest] = []
        # Each night's gallring, with the workflow's time it was scheduled at.
        self.gallring: list[tuple[dt.datetime, RetentionRequest]] = []
        # § run on through a committee's year, as in the store.
        self._paragraphs: dict[tuple[str, int], int] = defaultdict(int)
        self.agendas: dict[str, tuple[dt.datetime, PublishAgendaInput]] = {}
        self.compile_checks: list[CompileWhenCompleteInput] = []
        self.calls = 0  # activity executions, retries and replays included

    def entries(self) -> list[TimelineEntry]:
        """Returns the timeline sorted by time, round and position in the round."""
        ordered = sorted(self.events.values(), key=lambda r: (r.time, r.workflow_id, r.seq))
        return [
            TimelineEntry(
                time=r.time.astimezone(self.zone),
                round=r.workflow_id,
                unit=r.spec.unit_id,
                event=r.event,
                detail=" – ".join(x for x in (r.detail, r.reason) if x) or None,
            )
            for r in ordered
        ]

    def last_records(self) -> dict[str, RoundEventRecord]:
        """Returns each round's latest history line (its current state, due date and meeting)."""
        latest: dict[str, RoundEventRecord] = {}
        for (wid, seq), record in self.events.items():
            if wid not in latest or seq > latest[wid].seq:
                latest[wid] = record
        return latest

    def of_round(self, workflow_id: str) -> list[TimelineEntry]:
        """Returns the timeline of one round."""
        return [e for e in self.entries() if e.round == workflow_id]


class TimelineActivities:
    """send_notification, record_event and record_decision writing into a Timeline."""

    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline

    @activity.defn(name=ACTIVITY_SEND_NOTIFICATION)
    async def send_notification(self, request: NotificationRequest) -> NotificationResult:
        """Keeps the mail instead of sending it; a repeated key sends nothing new."""
        self.timeline.calls += 1
        if request.idempotency_key in self.timeline.mails:
            return NotificationResult(sent=False)
        self.timeline.mails[request.idempotency_key] = request
        return NotificationResult(sent=True, message_id=f"<{len(self.timeline.mails)}@sim>")

    @activity.defn(name=ACTIVITY_RECORD_EVENT)
    async def record_event(self, record: RoundEventRecord) -> None:
        """Keeps one history line (workflow id and seq make replays harmless)."""
        self.timeline.calls += 1
        self.timeline.events.setdefault((record.workflow_id, record.seq), record)

    @activity.defn(name=ACTIVITY_RECORD_DECISION)
    async def record_decision(self, record: DecisionRecord) -> DecisionReceipt:
        """Keeps one decision and numbers its paragraph per committee and meeting."""
        self.timeline.calls += 1
        if record.idempotency_key not in self.timeline.decisions:
            self.timeline.decisions[record.idempotency_key] = record
            self.timeline._paragraphs[(record.committee_id, record.meeting.year)] += 1
        number = self.timeline._paragraphs[(record.committee_id, record.meeting.year)]
        return DecisionReceipt(decision_id=len(self.timeline.decisions), paragraph=number)

    @activity.defn(name=ACTIVITY_SEND_DIGEST)
    async def send_digest(self, request: DigestRequest) -> DigestResult:
        """Keeps the digest's day instead of mailing it."""
        self.timeline.calls += 1
        self.timeline.digests.append(request)
        return DigestResult(late_rounds=0, recipients=0)

    @activity.defn(name=ACTIVITY_GALLRA)
    async def run_gallring(self, request: RetentionRequest) -> RetentionResult:
        """Keeps the night's gallring (and when it was scheduled) instead of touching a store."""
        self.timeline.calls += 1
        when = activity.info().current_attempt_scheduled_time
        self.timeline.gallring.append((when, request))
        return RetentionResult(removed=0)

    @activity.defn(name=ACTIVITY_PUBLISH_AGENDA)
    async def publish_agenda(self, request: PublishAgendaInput) -> PublishAgendaResult:
        """Keeps the agenda's publication (with the workflow's time) instead of mailing it."""
        self.timeline.calls += 1
        if request.idempotency_key in self.timeline.agendas:
            return PublishAgendaResult(sent=False)
        when = activity.info().current_attempt_scheduled_time
        self.timeline.agendas[request.idempotency_key] = (when, request)
        return PublishAgendaResult(sent=True)

    @activity.defn(name=ACTIVITY_COMPILE_WHEN_COMPLETE)
    async def compile_when_complete(
        self, request: CompileWhenCompleteInput
    ) -> CompileWhenCompleteResult:
        """Keeps the request; nothing is compiled without a store."""
        self.timeline.calls += 1
        self.timeline.compile_checks.append(request)
        return CompileWhenCompleteResult(complete=False)

    def all(self) -> list[object]:
        """Returns the activities for a Worker."""
        return [
            self.send_notification,
            self.record_event,
            self.record_decision,
            self.publish_agenda,
            self.compile_when_complete,
            self.send_digest,
            self.run_gallring,
        ]
