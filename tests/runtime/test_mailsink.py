"""The local SMTP sink: every mail sent with aiosmtplib lands as one intact file, in order."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import aiosmtplib

from arshjul.runtime.maildir import bodies, inbox, mail_names, read_mail
from arshjul.runtime.mailsink import MailSink
from tests.conftest import free_port


def _mail(subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "arshjul <arshjul@example.org>"
    msg["To"] = "Anna Andersson <anna@hedemora.example>"
    msg["Subject"] = subject
    msg.set_content(body)
    msg.add_alternative(f"<p>{body}</p>", subtype="html")
    return msg


async def test_each_mail_is_stored_once_with_swedish_text_intact(tmp_path: Path) -> None:
    sink = MailSink(tmp_path / "mail", "127.0.0.1", free_port())
    sink.start()
    try:
        async with aiosmtplib.SMTP(hostname="127.0.0.1", port=sink.port) as smtp:
            await smtp.send_message(_mail("Begäran: månadsrapport februari", "Lämna rapporten här"))
            await smtp.send_message(_mail("Påminnelse: månadsrapport februari", "Två dagar kvar"))
    finally:
        sink.stop()
    names = mail_names(tmp_path / "mail")
    assert len(names) == 2
    listed = inbox(tmp_path / "mail")
    assert [m.subject for m in listed] == [
        "Påminnelse: månadsrapport februari",
        "Begäran: månadsrapport februari",
    ]
    first = read_mail(tmp_path / "mail", names[0])
    assert first is not None
    text, html = bodies(first)
    assert text is not None
    assert "Lämna rapporten här" in text
    assert html is not None
    assert "<p>Lämna rapporten här</p>" in html


def test_unknown_or_crafted_names_are_not_read(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("x")
    assert read_mail(tmp_path, "../secret.txt") is None
    assert read_mail(tmp_path, "secret.txt") is None
    assert mail_names(tmp_path / "missing") == []
