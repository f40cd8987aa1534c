"""Turning a rendered mail into a MIME message: text + HTML alternatives and the .ics invitation."""

from __future__ import annotations

import datetime as dt
import hashlib
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from arshjul.models.rounds import Recipient
from arshjul.notifications.render import RenderedMail, one_line


class AddressError(ValueError):
    """An address that cannot be put in a header (it would be refused by every server)."""


def address(name: str, email: str) -> Address:
    """Returns a header-safe address; line breaks in names are folded, bad addresses refused."""
    email = email.strip()
    if one_line(email) != email or " " in email or email.count("@") != 1:
        raise AddressError(f"invalid e-mail address: {email!r}")
    username, domain = email.rsplit("@", 1)
    if not username or not domain:
        raise AddressError(f"invalid e-mail address: {email!r}")
    return Address(display_name=one_line(name), username=username, domain=domain)


def parse_from(mail_from: str) -> Address:
    """Parses the MAIL_FROM setting ("arshjul <arshjul@example.org>")."""
    name, email = parseaddr(mail_from)
    return address(name, email)


def message_id_for(idempotency_key: str, domain: str) -> str:
    """Returns a Message-ID derived from the key, so a duplicate would be recognisable."""
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:40]
    return f"<{digest}@{domain}>"


def encoded_subject(subject: str) -> str:
    """Returns the Subject header's value, encoded and folded so it decodes to exactly `subject`.

    Python 3.11's own folding can drop or double the space between encoded words around commas
    and åäö (CPython issue 144156); email.header encodes whole runs and folds inside them.
    """
    charset = "us-ascii" if subject.isascii() else "utf-8"
    return Header(one_line(subject), charset, header_name="Subject").encode(linesep="\n")


def build_message(
    rendered: RenderedMail,
    *,
    mail_from: str,
    to: list[Recipient],
    idempotency_key: str,
    date: dt.datetime,
) -> EmailMessage:
    """Builds the MIME message: multipart/alternative text+HTML, plus the .ics when present."""
    sender = parse_from(mail_from)
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = [address(r.name, r.email) for r in to]
    # Stored as folded: the generator leaves lines that already fit alone.
    msg.set_raw("Subject", encoded_subject(rendered.subject))
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = message_id_for(idempotency_key, sender.domain)
    msg["X-Arshjul-Key"] = one_line(idempotency_key)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(rendered.text)
    msg.add_alternative(rendered.html, subtype="html")
    if rendered.ics:
        # A str attachment gets charset=utf-8; bytes with maintype text would lose åäö.
        msg.add_attachment(
            rendered.ics,
            subtype="calendar",
            filename=rendered.ics_filename or "inbjudan.ics",
            params={"method": rendered.ics_method or "REQUEST"},
        )
    return msg
