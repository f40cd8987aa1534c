"""Rendering mails: one Jinja2 environment, Swedish templates, a pure `render()`."""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2 import Template as Template_
from pydantic import BaseModel, Field

from arshjul.models.effects import NotificationRequest, Template
from arshjul.models.rounds import Recipient, deadline_uid
from arshjul.notifications.invite import Method, deadline_invite
from arshjul.swedish import FILTERS, time_place_sv, weekday_date_sv

TEMPLATES = Path(__file__).parent / "templates"

ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    # HTML parts are escaped; text parts and subjects are not HTML and must stay literal.
    autoescape=select_autoescape(enabled_extensions=("html.j2", "html"), default_for_string=False),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
ENV.filters.update(FILTERS)

SUBJECTS: dict[str, str] = {
    "request": "{{ report_title }} {{ period|period_sv }}: lämnas senast {{ due|date_sv }}",
    "reminder": "Påminnelse: {{ report_title }} {{ period|period_sv }} ska lämnas senast "
    "{{ due|date_sv }}",
    "overdue": "Försenad: {{ report_title }} {{ period|period_sv }} skulle ha lämnats "
    "{{ due|date_sv }}",
    "escalation": "Eskalering: {{ late_units|length }} "
    "{{ 'enhet' if late_units|length == 1 else 'enheter' }} har inte lämnat "
    "{{ report_title }} {{ period|period_sv }}",
    "remitted": "Återremiss: {{ report_title }} {{ period|period_sv }} ska kompletteras senast "
    "{{ due|date_sv }}",
    "approved": "Godkänd: {{ report_title }} {{ period|period_sv }}, {{ unit_name }}",
    "referred": "Lämnad till {{ to_committee_name or 'kommunstyrelsen' }}: {{ report_title }} "
    "{{ period|period_sv }}, {{ unit_name }}",
    "passed_on": "Godkänd och överlämnad till {{ to_committee_name }}: {{ report_title }} "
    "{{ period|period_sv }}, {{ unit_name }}",
    "target_missed": "Hinner inte till sammanträdet {{ target_meeting|date_sv }}: "
    "{{ report_title }} {{ period|period_sv }}, {{ unit_name }}",
    "ks_decision": "Kommunstyrelsens beslut: {{ report_title }} {{ period|period_sv }}, "
    "{{ unit_name }}",
    "awaiting_meeting": "Inget sammanträde planerat: {{ report_title }} {{ period|period_sv }}, "
    "{{ unit_name }}",
    "extended": "Ny sista dag: {{ report_title }} {{ period|period_sv }} ska lämnas senast "
    "{{ due|date_sv }}",
    "cancelled": "Inställd: {{ report_title }} {{ period|period_sv }}, {{ unit_name }}",
    "tabled": "Bordlagt: {{ report_title }} {{ period|period_sv }}, {{ unit_name }}",
    "withdrawn": "Struket från dagordningen: {{ report_title }} {{ period|period_sv }}, "
    "{{ unit_name }}",
    "login_link": "Din inloggningslänk till årshjulet",
    "digest": "Veckosammanställning från årshjulet: {{ late_count }} "
    "{{ 'försenad rapport' if late_count == 1 else 'försenade rapporter' }}"
    "{% if unplanned %}, sammanträdesplan {{ unplanned_year }} saknas{% endif %}",
}
# Mails whose deadline goes with them as a calendar event (and the method that carries it).
INVITES: dict[str, Method] = {
    "request": "REQUEST",
    "remitted": "REQUEST",
    "ks_decision": "REQUEST",
    "extended": "REQUEST",
    "cancelled": "CANCEL",
}

_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x85\u2028\u2029]+")


def one_line(value: str) -> str:
    """Folds every line break into a space, so no value can add a mail header."""
    return " ".join(_LINE_BREAKS.sub(" ", value).split())


class Contact(BaseModel):
    """The person every mail names for questions (the configuration's contact role)."""

    name: str
    title: str
    email: str


class Invitation(BaseModel):
    """What the deadline's calendar event needs beyond the mail: its version and organizer."""

    sequence: int = 0  # times the deadline moved (or was cancelled)
    modified: dt.datetime | None = None
    organizer: Recipient


class FollowupCause(BaseModel):
    """Why an åtgärdsplan was asked for: the report, its deviation and the threshold (tkr)."""

    report_title: str
    deviation_tkr: float
    threshold_tkr: float


class DigestGroup(BaseModel):
    """One report period in the weekly digest, with its late units."""

    report_title: str
    period: str
    due: dt.date
    units: list[str]


class MailProps(BaseModel):
    """Everything a template may show; built from a NotificationRequest by `props_for`."""

    template: Template
    recipient_names: list[str]
    recipients: list[Recipient] = Field(default_factory=list)
    org_name: str = ""
    report_title: str = ""
    period: str = ""
    unit_name: str = ""
    workflow_id: str | None = None
    uid: str | None = None  # the deadline's calendar UID (see deadline_uid)
    due: dt.date | None = None
    meeting: dt.date | None = None
    committee_name: str = ""
    to_committee_name: str = ""
    # "tisdag 13 oktober 2026 kl. 13.00, Stadshuset" (empty without a meeting).
    meeting_text: str = ""
    target_meeting: dt.date | None = None
    tabled_meeting: dt.date | None = None  # tabled, withdrawn: the meeting that put it aside
    reason: str | None = None
    late_units: list[str] = Field(default_factory=list)
    link: str | None = None
    demo: bool = False
    contact: Contact | None = None
    followup: FollowupCause | None = None
    invitation: Invitation | None = None  # None: the mail carries no calendar event
    digest: list[DigestGroup] = Field(default_factory=list)
    # Committees whose next-year sammanträdesplan is missing (the digest, from September).
    unplanned: list[str] = Field(default_factory=list)
    unplanned_year: int | None = None
    # Only for the .ics DTSTAMP, so that render() stays a pure function of its input.
    stamp: dt.datetime = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


class RenderedMail(BaseModel):
    """A mail ready to send: subject, text and HTML parts, and an optional calendar invitation."""

    subject: str
    text: str
    html: str
    ics: str | None = None  # an iCalendar invitation as text (UTF-8 when attached)
    ics_filename: str | None = None
    ics_method: Method | None = None


def props_for(
    request: NotificationRequest,
    *,
    link: str | None,
    stamp: dt.datetime,
    contact: Contact | None = None,
    followup: FollowupCause | None = None,
    invitation: Invitation | None = None,
) -> MailProps:
    """Returns the template properties for a notification request."""
    spec = request.round
    committee = request.committee_name or ""
    if not committee and spec is not None and spec.review is not None:
        committee = spec.review.committee.name
        if request.template == "ks_decision" and spec.review.refers_to is not None:
            committee = spec.review.refers_to.name
    return MailProps(
        template=request.template,
        recipient_names=[r.name for r in request.to],
        recipients=list(request.to),
        org_name=spec.org_name if spec else "",
        report_title=spec.report_title if spec else "",
        period=spec.period if spec else "",
        unit_name=spec.unit_name if spec else "",
        workflow_id=spec.workflow_id if spec else None,
        uid=deadline_uid(spec.org_id, spec.report_id, spec.period, spec.unit_id) if spec else None,
        due=request.due or (spec.due if spec else None),
        meeting=request.meeting,
        committee_name=committee,
        to_committee_name=request.to_committee_name or "",
        meeting_text=meeting_text(request),
        target_meeting=request.target_meeting,
        tabled_meeting=request.tabled_meeting,
        reason=request.reason,
        late_units=request.late_units,
        link=link,
        demo=spec.demo if spec else False,
        contact=contact,
        followup=followup,
        invitation=invitation,
        stamp=stamp,
    )


def meeting_text(request: NotificationRequest) -> str:
    """Returns the meeting of the mail in words, with its time and place when configured."""
    if request.meeting is None:
        return ""
    text = weekday_date_sv(request.meeting)
    review = request.round.review if request.round is not None else None
    if review is None:
        return text
    # The meeting belongs to the committee the report goes to, else the one that decided.
    names = [n for n in (request.to_committee_name, request.committee_name) if n]
    committees = sorted(
        review.committees().values(),
        key=lambda c: names.index(c.name) if c.name in names else len(names),
    )
    held = next((c for c in committees if request.meeting in c.meetings), None)
    if held is None:
        return text
    info = held.meeting_info(request.meeting)
    return text + time_place_sv(info.time, info.place)


def _deadline_ics(props: MailProps) -> tuple[str, str, Method] | None:
    method = INVITES.get(props.template)
    if method is None or props.due is None or props.invitation is None or props.uid is None:
        return None
    # ks_decision carries the deadline only when it sends the report back (with a link).
    if props.template == "ks_decision" and not props.link:
        return None
    text = deadline_invite(
        method=method,
        uid=props.uid,
        sequence=props.invitation.sequence,
        due=props.due,
        stamp=props.stamp,
        modified=props.invitation.modified,
        organizer=props.invitation.organizer,
        attendees=props.recipients,
        report_title=props.report_title,
        period=props.period,
        unit_name=props.unit_name,
        link=props.link,
    )
    name = "installd" if method == "CANCEL" else "sista-dag"
    return text, f"{name}-{props.due.isoformat()}.ics", method


@functools.cache
def _subject_template(template: str) -> Template_:
    return ENV.from_string(SUBJECTS[template])


def _values(props: MailProps) -> dict[str, object]:
    values = props.model_dump()
    values["reason"] = props.reason or ""
    # The digest counts its units; a digest made from a bare request counts its lines.
    values["late_count"] = sum(len(g.units) for g in props.digest) or len(props.late_units)
    return values


def subject_for(props: MailProps, values: dict[str, object] | None = None) -> str:
    """Renders the subject line of a mail (one line, "[Demo]" first for demonstration rounds)."""
    subject = one_line(_subject_template(props.template).render(values or _values(props)))
    return f"[Demo] {subject}" if props.demo else subject


def render(props: MailProps) -> RenderedMail:
    """Renders subject, text and HTML parts (and the deadline invitation) for one mail."""
    values = _values(props)
    subject = subject_for(props, values)
    text = ENV.get_template(f"{props.template}.txt.j2").render(values)
    html = ENV.get_template(f"{props.template}.html.j2").render(values)
    ics = _deadline_ics(props)
    return RenderedMail(
        subject=subject,
        text=text,
        html=html,
        ics=ics[0] if ics else None,
        ics_filename=ics[1] if ics else None,
        ics_method=ics[2] if ics else None,
    )
