"""The deadline as a calendar invitation in a mail (iTIP, RFC 5546, over iMIP, RFC 6047).

Why REQUEST and not PUBLISH: a deadline changes (extension, återremiss) and can be cancelled,
and the mail must move or remove the event the recipient already has. RFC 5546 gives the
organizer exactly that with REQUEST (same UID, higher SEQUENCE reschedules, §2.1.4) and
CANCEL (§3.2.5); both need an ORGANIZER, and REQUEST at least one ATTENDEE (§3.2.2).
Outlook and Google Calendar apply such a REQUEST as an update of the event with that UID;
a PUBLISH is only imported as a copy. RSVP=FALSE: nobody is asked to answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from icalendar import Calendar, Event, vCalAddress, vText

from arshjul.models.rounds import Recipient
from arshjul.swedish import date_sv, month_sv

PRODID = "-//arshjul//årshjul//SV"
Method = Literal["REQUEST", "CANCEL"]


def _address(person: Recipient, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["cn"] = vText(person.name)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def deadline_invite(
    *,
    method: Method,
    uid: str,
    sequence: int,
    due: dt.date,
    stamp: dt.datetime,
    modified: dt.datetime | None,
    organizer: Recipient,
    attendees: list[Recipient],
    report_title: str,
    period: str,
    unit_name: str,
    link: str | None,
) -> str:
    """Returns the iCalendar text of a round's deadline: a REQUEST, or its CANCEL."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", stamp)
    event.add("last-modified", modified or stamp)
    event.add("dtstart", due)
    event.add("dtend", due + dt.timedelta(days=1))
    event.add("summary", f"Sista dag: {report_title} {month_sv(period)} – {unit_name}")
    description = f"{unit_name} lämnar {report_title} senast {date_sv(due)}."
    if link:
        description += f"\n{link}"
        event.add("url", link)
    event.add("description", description)
    event.add("organizer", _address(organizer))
    for person in attendees:
        event.add(
            "attendee",
            _address(person, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION", rsvp="FALSE"),
            encode=False,
        )
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    if method == "CANCEL":
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    cal.add_component(event)
    return cal.to_ical().decode()
