"""The committee's agenda (föredragningslista) on the Temporal boundary: workflow, activities.

One CommitteeAgendaWorkflow per organisation, committee and year publishes each meeting's agenda
a configured number of days before the meeting; compile_when_complete compiles a report period's
Sammanställning once every unit's report is in, and again whenever a version changes.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

AGENDA_WORKFLOW = "CommitteeAgendaWorkflow"
ACTIVITY_PUBLISH_AGENDA = "publish_agenda"
ACTIVITY_COMPILE_WHEN_COMPLETE = "compile_when_complete"
SIGNAL_AGENDA_SPEC = "agenda_spec_changed"  # AgendaSpec: new meeting dates from the configuration
QUERY_AGENDA = "agenda_status"  # -> AgendaStatus


def agenda_workflow_id(org_id: str, committee_id: str, year: int) -> str:
    """Returns the workflow id of a committee's agenda year."""
    return f"agenda/{org_id}/{committee_id}/{year}"


class AgendaSpec(BaseModel):
    """One committee's meetings of one year and when their agendas go out."""

    org_id: str
    committee_id: str
    committee_name: str
    year: int
    meetings: list[dt.date]
    agenda_days_before: int = 7
    send_time: dt.time = dt.time(8, 0)
    timezone: str = "Europe/Stockholm"
    clock_offset_s: float = 0  # simulation only, as RoundSpec.clock_offset_s

    @property
    def workflow_id(self) -> str:
        """Deterministic id: starting the same year twice is harmless."""
        return agenda_workflow_id(self.org_id, self.committee_id, self.year)


class PublishAgendaInput(BaseModel):
    """Publish (mail) the agenda of one meeting; the key makes a retry send nothing new."""

    idempotency_key: str
    org_id: str
    committee_id: str
    meeting: dt.date


class PublishAgendaResult(BaseModel):
    """What was published: the cases and Sammanställningar listed, who got the mail."""

    sent: bool  # False when the key was sent before
    cases: int = 0
    compilations: list[int] = Field(default_factory=list)
    recipients: list[str] = Field(default_factory=list)


class AgendaStatus(BaseModel):
    """The query answer: the meetings whose agendas are out and the next one due."""

    published: list[dt.date] = Field(default_factory=list)
    next_publication: dt.datetime | None = None


class CompileWhenCompleteInput(BaseModel):
    """Compile a report period once every submitter's report is in (idempotent per versions)."""

    report_id: str
    period: str  # YYYY-MM
    org_id: str = ""


class CompileWhenCompleteResult(BaseModel):
    """Whether a compilation exists for the current set of versions, and what is missing."""

    complete: bool
    compiled: bool = False  # True only when this call made a new compilation
    compilation_id: int | None = None
    missing: list[str] = Field(default_factory=list)  # unit or role ids without a report in
