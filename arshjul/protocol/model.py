"""A meeting's protocol as plain data: what the HTML and the PDF/A render, and what is signed."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Literal

from pydantic import BaseModel, Field

SignRole = Literal["ordforande", "justerare"]
ROLE_SV: dict[str, str] = {"ordforande": "Ordförande", "justerare": "Justerare"}


class Attendee(BaseModel):
    """Someone at the meeting: a member, an ersättare or another person (official, guest)."""

    name: str
    email: str = ""
    role: str = ""  # for others: "ekonomichef", "föredragande" …; for ersättare: whom they replace


class Attendance(BaseModel):
    """Närvarande ledamöter, tjänstgörande ersättare and others present."""

    present: list[Attendee] = Field(default_factory=list)
    substitutes: list[Attendee] = Field(default_factory=list)
    others: list[Attendee] = Field(default_factory=list)


class Paragraph(BaseModel):
    """One § of the protocol: a decision on one case."""

    number: int
    workflow_id: str
    report_title: str
    period: str  # YYYY-MM
    unit_name: str
    outcome: str
    decision_text: str  # "Kommunstyrelsens arbetsutskott beslutar att …"
    reason: str | None = None
    recorded_by: str  # the secretary (protokollförare) who recorded it
    decided_at: dt.datetime
    case_path: str  # the case in the app, e.g. /ksau/arenden/hedemora/…
    # Other § of the same case at this meeting (an återremiss and then an approval).
    related: list[int] = Field(default_factory=list)
    # How the § was handled, as the protocol words it: jäv, yrkanden, the vote, reservations
    # and protokollsanteckningar (arshjul.protocol.proceedings).
    proceedings: list[str] = Field(default_factory=list)
    # After the decision: reservations and protokollsanteckningar.
    afterwards: list[str] = Field(default_factory=list)
    # The case's diarienummer in the kommun's registry ("KS 2026/123"), when it has one.
    diarienummer: str | None = None


class DelegationItem(BaseModel):
    """A decision taken by delegation, reported to the committee (KL 6 kap. 40 §)."""

    id: int = 0  # the stored row, for the secretary's page (not part of what is signed)
    decided_on: dt.date
    decided_by: str  # beslutsfattare
    matter: str  # ärende
    reference: str  # the decision's diarienummer or other reference


class DelegationSection(BaseModel):
    """The § "Anmälan av delegationsbeslut" of one meeting and the decisions it lists."""

    number: int
    decision_text: str  # "Kommunstyrelsens arbetsutskott beslutar att lägga …"
    items: list[DelegationItem] = Field(default_factory=list)


class MotionReportItem(BaseModel):
    """A motion or medborgarförslag not yet decided, as the report lists it (KL 5 kap. 35 §)."""

    kind: str  # motion | medborgarforslag
    number: str
    title: str
    vackt_on: dt.date
    responsible: str  # the committee or unit that bereder it
    limit_on: dt.date  # the last day of the one-year limit
    past_limit: bool  # the meeting is past that day
    days_over: int = 0
    reason: str = ""  # what the responsible unit says of the beredning and the delay


class MotionReportSection(BaseModel):
    """The § "Redovisning av motioner och medborgarförslag som inte har beretts färdigt"."""

    number: int
    title: str
    decision_text: str  # "Kommunfullmäktige beslutar att lägga redovisningen till handlingarna."
    limit_months: int = 12
    motions: list[MotionReportItem] = Field(default_factory=list)


class SignatureLine(BaseModel):
    """A signature on the protocol."""

    role: SignRole
    name: str
    email: str
    signed_at: dt.datetime
    current: bool  # False: given on an earlier text of the protocol, so it does not count


class ProtocolDocument(BaseModel):
    """The whole protocol of one meeting of one committee."""

    org_name: str
    committee_id: str
    committee_name: str
    meeting: dt.date
    starts_at: str | None = None
    ends_at: str | None = None
    place: str | None = None
    chair: Attendee | None = None
    secretary: Attendee | None = None
    attendance: Attendance = Field(default_factory=Attendance)
    adjusters: list[Attendee] = Field(default_factory=list)
    paragraphs: list[Paragraph] = Field(default_factory=list)
    # Anmälan av delegationsbeslut, when the meeting has that §.
    delegation: DelegationSection | None = None
    # The report of the motions not yet beredda, on the meetings the configuration names.
    motions: MotionReportSection | None = None
    # Where the protocol is kept (the anslagstavla says the same); configuration, not signed.
    kept_at: str = ""
    signatures: list[SignatureLine] = Field(default_factory=list)
    justerat_at: dt.datetime | None = None
    anslag_date: dt.date | None = None
    appeal_until: dt.date | None = None
    protocol_url: str = ""  # where the protocol lives in the app (absolute)
    base_url: str = ""
    # Every § decides the demonstration round `arshjul up` opened: the protocol says so.
    demo: bool = False

    @property
    def justerat(self) -> bool:
        """True once the ordförande and every justerare have signed this text."""
        return self.justerat_at is not None

    @property
    def paragraph_range(self) -> str:
        """The protocol's §§ as a range, e.g. "§§ 12–15" (empty when there is none)."""
        numbers = self.numbers
        if not numbers:
            return ""
        first, last = numbers[0], numbers[-1]
        return f"§ {first}" if first == last else f"§§ {first}–{last}"

    @property
    def numbers(self) -> list[int]:
        """Every § of the protocol in order, the delegation and motion §§ among the decisions."""
        return [s.number for s in self.sections]

    @property
    def sections(self) -> list[Paragraph | DelegationSection | MotionReportSection]:
        """The §§ in number order, as the protocol prints them."""
        found: list[Paragraph | DelegationSection | MotionReportSection] = list(self.paragraphs)
        found += [s for s in (self.delegation, self.motions) if s is not None]
        return sorted(found, key=lambda s: s.number)

    def content_sha256(self) -> str:
        """The hash of what the signatures cover: meeting, attendance, justerare and every §."""
        signed = self.model_dump(
            mode="json",
            exclude={
                "signatures",
                "justerat_at",
                "anslag_date",
                "appeal_until",
                "protocol_url",
                "base_url",
                "demo",  # derived from the §§, which the hash covers
                "kept_at",
                # Left out when there is none: protocols signed before the § existed keep
                # their hash.
                *(("delegation",) if self.delegation is None else ()),
                *(("motions",) if self.motions is None else ()),
            },
        )
        for paragraph in signed["paragraphs"]:
            # Fields a § gained later are left out when empty: protocols signed before cases
            # had a diarienummer or recorded proceedings keep their hash.
            for later in ("diarienummer", "proceedings", "afterwards"):
                if not paragraph.get(later):
                    paragraph.pop(later, None)
        for item in (signed.get("delegation") or {}).get("items", []):
            item.pop("id", None)  # the row id is the page's handle, not protocol text
        canonical = json.dumps(signed, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()
