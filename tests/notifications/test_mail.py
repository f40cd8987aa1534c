"""Every template goes through real SMTP and comes back readable, in Swedish, with both parts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from email.message import EmailMessage
from typing import get_args

import icalendar
import pytest

from arshjul.models.effects import NotificationRequest, Template
from arshjul.models.rounds import ChainStepSpec, CommitteeSpec, Recipient, ReviewSpec, deadline_uid
from arshjul.notifications.message import AddressError, build_message
from arshjul.notifications.render import INVITES, Contact, Invitation, props_for, render
from arshjul.notifications.sender import PermanentSendError, RetryableSendError, SmtpSender
from arshjul.swedish import FILTERS, date_sv, tkr
from tests.conftest import MailSink, free_port
from tests.notifications.conftest import StrictSink, review_round

STAMP = dt.datetime(2026, 9, 1, 6, 0, tzinfo=dt.UTC)
TO = [Recipient(name="Örjan Åkesson", email="orjan@example.org")]
CONTACT = Contact(name="Eva Ekström", title="Ekonomichef", email="eva.ekstrom@example.org")
INVITATION = Invitation(
    sequence=2, organizer=Recipient(name="Årshjulet", email="arshjul@hedemora.se")
)


def request_for(template: str, **extra: object) -> NotificationRequest:
    values: dict[str, object] = {
        "idempotency_key": f"round/x/{template}/0",
        "template": template,
        "to": TO,
        "round": review_round(),
        "due": dt.date(2026, 9, 14),
        "meeting": dt.date(2026, 10, 6),
        "reason": "Åtgärdsplan för underskottet saknas.",
        "late_units": ["Samhällsbyggnadsförvaltningen", "Kultur & fritid"],
    }
    values.update(extra)
    return NotificationRequest.model_validate(values)


def message_for(
    request: NotificationRequest, link: str | None = "https://a.se/s/abc"
) -> EmailMessage:
    props = props_for(request, link=link, stamp=STAMP, contact=CONTACT, invitation=INVITATION)
    rendered = render(props)
    return build_message(
        rendered,
        mail_from="Årshjulet <arshjul@hedemora.se>",
        to=request.to,
        idempotency_key=request.idempotency_key,
        date=STAMP,
    )


def test_swedish_filters() -> None:
    assert date_sv(dt.date(2026, 8, 31)) == "31 augusti 2026"
    assert FILTERS["period_sv"]("2026-03") == "mars 2026"
    assert tkr(Decimal("1250")) == "1 250 tkr"
    assert tkr(-1250000.5) == "−1 250 000,5 tkr"
    assert tkr(0) == "0 tkr"


@pytest.mark.parametrize("template", get_args(Template))
async def test_every_template_arrives_with_text_html_and_swedish(
    template: str, smtp_sink: MailSink, smtp_sender: SmtpSender
) -> None:
    request = request_for(template)
    receipt = await smtp_sender.send(message_for(request))
    assert receipt.response.startswith("250")
    [got] = smtp_sink.messages
    assert got["To"].addresses[0].display_name == "Örjan Åkesson"
    assert got["From"].addresses[0].addr_spec == "arshjul@hedemora.se"
    assert got["Message-ID"] == receipt.message_id
    subject = str(got["Subject"])
    assert subject and "\n" not in subject and "{{" not in subject
    text = got.get_body(preferencelist=("plain",)).get_content()
    html = got.get_body(preferencelist=("html",)).get_content()
    assert text.startswith("Hej Örjan Åkesson!")
    assert '<html lang="sv">' in html and "Hej Örjan Åkesson!" in html
    if template == "login_link" or template == "request":
        assert "https://a.se/s/abc" in text and 'href="https://a.se/s/abc"' in html
    if template in ("request", "reminder", "overdue", "escalation", "remitted"):
        assert "14 september 2026" in text and "14 september 2026" in subject + text
    if template in ("remitted", "referred"):
        assert "Åtgärdsplan för underskottet saknas." in text
    if template == "escalation":
        assert "2 enheter" in subject and "- Kultur & fritid" in text
        assert "Kultur &amp; fritid" in html  # escaped in HTML, literal in text
    # Everybody gets a person to ask instead of a bare "do not reply".
    assert "Frågor? Kontakta Eva Ekström, ekonomichef: eva.ekstrom@example.org." in text
    assert 'href="mailto:eva.ekstrom@example.org"' in html and "Svara inte" not in text
    attachments = list(got.iter_attachments())
    if template in INVITES:
        [ics] = attachments
        method = INVITES[template]
        assert ics.get_content_type() == "text/calendar"
        assert ics.get_param("method") == method
        cal = icalendar.Calendar.from_ical(ics.get_content())
        assert str(cal["method"]) == method
        [event] = cal.walk("VEVENT")
        assert str(event["uid"]) == deadline_uid("hedemora", "delar", "2026-08", "sbf")
        assert event.decoded("sequence") == 2
        assert event.decoded("dtstart") == dt.date(2026, 9, 14)
        assert str(event["summary"]) == (
            "Sista dag: Delårsrapport augusti 2026 – Samhällsbyggnadsförvaltningen"
        )
        # RFC 5546: REQUEST and CANCEL name the organizer and the attendees.
        assert str(event["organizer"]) == "mailto:arshjul@hedemora.se"
        assert str(event["attendee"]) == "mailto:orjan@example.org"
        assert event["attendee"].params["RSVP"] == "FALSE"
        assert str(event["status"]) == ("CANCELLED" if method == "CANCEL" else "CONFIRMED")
    else:
        assert attachments == []


async def test_header_injection_is_neutralised(
    smtp_sink: MailSink, smtp_sender: SmtpSender
) -> None:
    evil = "Eva\r\nBcc: victim@example.org\r\nX-Evil: 1"
    spec = review_round(report_title="Rapport\r\nBcc: boss@example.org", unit_name="BUF\nX-Y: z")
    request = request_for(
        "approved",
        round=spec,
        to=[Recipient(name=evil, email="eva@example.org")],
        reason="Godkänd.\r\nBcc: reason@example.org",
    )
    await smtp_sender.send(message_for(request))
    [got] = smtp_sink.messages
    assert got["Bcc"] is None and got["X-Evil"] is None and got["X-Y"] is None
    assert [a.addr_spec for a in got["To"].addresses] == ["eva@example.org"]
    assert "\n" not in str(got["Subject"]) and "Bcc" in str(got["Subject"])
    with pytest.raises(AddressError):
        message_for(
            request_for("reminder", to=[Recipient(name="x", email="a@b.se\r\nBcc: c@d.se")])
        )


async def test_temporary_and_permanent_failures_are_told_apart(
    smtp_sink: MailSink, smtp_sender: SmtpSender
) -> None:
    smtp_sink.refuse = True
    with pytest.raises(RetryableSendError, match="451"):
        await smtp_sender.send(message_for(request_for("reminder")))
    down = SmtpSender(host="127.0.0.1", port=free_port(), timeout=2)
    with pytest.raises(RetryableSendError):
        await down.send(message_for(request_for("reminder")))
    assert smtp_sink.messages == []


async def test_a_refused_mailbox_is_a_permanent_failure(strict_sink: StrictSink) -> None:
    sender = SmtpSender(host="127.0.0.1", port=strict_sink.port, timeout=5)
    bad = request_for("reminder", to=[Recipient(name="x", email="nobody@example.org")])
    with pytest.raises(PermanentSendError, match="550"):
        await sender.send(message_for(bad))
    assert strict_sink.messages == []


async def test_one_connection_carries_a_batch(smtp_sink: MailSink, smtp_sender: SmtpSender) -> None:
    async with smtp_sender.connection() as conn:
        for i in range(5):
            await conn.send(message_for(request_for("reminder", idempotency_key=f"k{i}")))
    assert len({m["Message-ID"] for m in smtp_sink.messages}) == 5


def _chain_round() -> object:
    """A delårsrapport whose chain ends in fullmäktige, KF meeting at 18.00 in Folkets hus."""
    kf = CommitteeSpec(
        id="kf",
        name="Kommunfullmäktige",
        meetings=[dt.date(2026, 10, 26)],
        meeting_time=dt.time(18, 0),
        meeting_place="Folkets hus",
    )
    ks = CommitteeSpec(id="ks", name="Kommunstyrelsen", meetings=[dt.date(2026, 10, 13)])
    steps = [ChainStepSpec(committee=ks), ChainStepSpec(committee=kf)]
    review = ReviewSpec(committee=ks, min_days_before_meeting=7, chain=steps)
    return review_round(review=review)


@pytest.mark.parametrize(
    ("template", "subject", "text"),
    [
        (
            "passed_on",
            "Godkänd och överlämnad till Kommunfullmäktige: Delårsrapport augusti 2026",
            "Kommunstyrelsen har godkänt Delårsrapport för augusti 2026 från "
            "Samhällsbyggnadsförvaltningen och överlämnat rapporten till Kommunfullmäktige.\n\n"
            "Kommunfullmäktige behandlar den vid sammanträdet måndag 26 oktober 2026 kl. 18.00, "
            "Folkets hus.",
        ),
        (
            "referred",
            "Lämnad till Kommunfullmäktige: Delårsrapport augusti 2026",
            "till Kommunfullmäktige för beslut (sammanträdet måndag 26 oktober 2026 kl. 18.00, "
            "Folkets hus).",
        ),
        (
            "target_missed",
            "Hinner inte till sammanträdet 13 oktober 2026: Delårsrapport augusti 2026",
            "skulle behandlas av Kommunstyrelsen vid sammanträdet 13 oktober 2026, men hann inte "
            "dit",
        ),
    ],
)
def test_chain_mails_name_the_real_committees(template: str, subject: str, text: str) -> None:
    committee = "Kommunstyrelsen"
    to = "Kommunfullmäktige" if template != "target_missed" else None
    meeting = dt.date(2026, 10, 26) if to else dt.date(2026, 11, 3)
    request = request_for(
        template,
        round=_chain_round(),
        meeting=meeting,
        committee_name=committee,
        to_committee_name=to,
        target_meeting=dt.date(2026, 10, 13),
    )
    rendered = render(props_for(request, link=None, stamp=STAMP))
    assert rendered.subject.startswith(subject)
    assert text in rendered.text
    assert "kommunstyrelsen" not in rendered.text.replace("Kommunstyrelsen", "")
