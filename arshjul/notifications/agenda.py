"""The föredragningslista as a mail to the committee's members (text + HTML)."""

from __future__ import annotations

from arshjul.notifications.render import ENV, Contact, RenderedMail, one_line
from arshjul.protocol.agenda import Agenda
from arshjul.swedish import date_sv


def render_agenda_mail(
    agenda: Agenda, *, recipient_names: list[str], base_url: str, contact: Contact | None = None
) -> RenderedMail:
    """Renders the agenda mail: every case and Sammanställning with its link into the app."""
    values = {
        "agenda": agenda,
        "recipient_names": recipient_names,
        "org_name": agenda.org_name,
        "demo": False,
        "base": base_url.rstrip("/"),
        "contact": contact,
    }
    subject = one_line(f"Föredragningslista: {agenda.committee_name} {date_sv(agenda.meeting)}")
    return RenderedMail(
        subject=subject,
        text=ENV.get_template("agenda.txt.j2").render(values),
        html=ENV.get_template("agenda.html.j2").render(values),
    )
