"""A folder of received mails, one `.eml` file each: written by the sink, read by /dev/mail."""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

from pydantic import BaseModel

_NAME = re.compile(r"^\d{19}-[0-9a-f]{8}\.eml$")


class MailSummary(BaseModel):
    """One line of the inbox."""

    name: str  # file name, the mail's id in /dev/mail/{name}
    subject: str
    sender: str
    to: str
    date: dt.datetime | None
    message_id: str | None


def store_mail(maildir: Path, content: bytes) -> Path:
    """Writes one received mail into `maildir` atomically and returns its path."""
    maildir.mkdir(parents=True, exist_ok=True)
    # Nanoseconds keep the order of arrival; the random tail makes two mails in one tick distinct.
    name = f"{time.time_ns():019d}-{os.urandom(4).hex()}.eml"
    tmp = maildir / f".{name}.tmp"
    with open(tmp, "wb") as fh:
        fh.write(content)
        fh.flush()
        os.fsync(fh.fileno())
    # A reader never sees half a mail: the rename is atomic, and readers skip dot files.
    tmp.replace(maildir / name)
    return maildir / name


def mail_names(maildir: Path) -> list[str]:
    """Lists the stored mails' names, oldest first."""
    if not maildir.is_dir():
        return []
    return sorted(p.name for p in maildir.iterdir() if _NAME.match(p.name))


def read_mail(maildir: Path, name: str) -> EmailMessage | None:
    """Parses one stored mail, or returns None for an unknown or malformed name."""
    if not _NAME.match(name):
        return None
    path = maildir / name
    if not path.is_file():
        return None
    msg = message_from_bytes(path.read_bytes(), policy=policy.default)
    return msg  # type: ignore[return-value]


def summarize(name: str, msg: EmailMessage) -> MailSummary:
    """Returns the inbox line of a parsed mail."""
    date: dt.datetime | None = None
    if msg["Date"]:
        try:
            date = parsedate_to_datetime(str(msg["Date"]))
        except (TypeError, ValueError):
            date = None
    return MailSummary(
        name=name,
        subject=str(msg["Subject"] or ""),
        sender=str(msg["From"] or ""),
        to=str(msg["To"] or ""),
        date=date,
        message_id=str(msg["Message-ID"]) if msg["Message-ID"] else None,
    )


def inbox(maildir: Path) -> list[MailSummary]:
    """Lists every stored mail, newest first."""
    found = []
    for name in reversed(mail_names(maildir)):
        msg = read_mail(maildir, name)
        if msg is not None:
            found.append(summarize(name, msg))
    return found


def bodies(msg: EmailMessage) -> tuple[str | None, str | None]:
    """Returns the mail's (plain text, HTML) bodies, each None when absent."""
    text = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    return (
        text.get_content() if text is not None else None,  # type: ignore[attr-defined]
        html.get_content() if html is not None else None,  # type: ignore[attr-defined]
    )
