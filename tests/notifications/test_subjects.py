"""Every subject the bundled configurations produce decodes to exactly what was rendered.

Python 3.11's header folding drops or doubles the space between encoded words around commas
and åäö (CPython issue 144156); subjects are checked on the bytes aiosmtplib puts on the wire.
"""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import get_args

import pytest
from aiosmtplib.email import flatten_message

from arshjul.calendar.expand import round_specs
from arshjul.calendar.loader import load_config
from arshjul.models.effects import NotificationRequest, Template
from arshjul.models.rounds import Recipient, RoundSpec
from arshjul.notifications.message import encoded_subject
from arshjul.notifications.render import props_for, subject_for
from tests.notifications.conftest import review_round

EXAMPLES = sorted((Path(__file__).parents[2] / "arshjul/calendar/examples").glob("*.yaml"))
STAMP = dt.datetime(2026, 9, 1, 6, 0, tzinfo=dt.UTC)
TO = [Recipient(name="Åsa Öberg", email="asa@example.org")]


def _wire_subject(subject: str, utf8: bool) -> str:
    message = EmailMessage()
    message.set_raw("Subject", encoded_subject(subject))  # as build_message does
    wire = flatten_message(message, utf8=utf8)
    assert all(len(line) <= 78 for line in wire.split(b"\r\n"))
    return str(message_from_bytes(wire, policy=policy.default)["Subject"])


def _subjects(spec: RoundSpec) -> set[str]:
    found = set()
    for template in get_args(Template):
        request = NotificationRequest(
            idempotency_key="k",
            template=template,
            to=TO,
            round=spec,
            late_units=[spec.unit_name, "Kultur- och fritidsförvaltningen"],
        )
        found.add(subject_for(props_for(request, link="https://a.se/s/x", stamp=STAMP)))
    return found


def test_every_bundled_subject_decodes_exactly() -> None:
    subjects: set[str] = set()
    for path in EXAMPLES:
        config = load_config(path)
        for year in (2026, 2027):
            for spec in round_specs(config, year):
                subjects |= _subjects(spec)
    assert len(subjects) > 1000  # both examples, two years, every template
    wrong = [
        (s, got)
        for s in sorted(subjects)
        for utf8 in (False, True)
        if (got := _wire_subject(s, utf8)) != s
    ]
    assert wrong == []


@pytest.mark.parametrize(
    "title",
    [
        "Uppföljning av målkort,aktivitetsuppföljning och internkontroll",
        "Delårsrapport , åtgärder,  prognos",
        "Ekonomisk uppföljning – T1/T2, ÅR",
        "Budgetunderlag " + "förvaltningsövergripande " * 6,
        "Kommunstyrelsens beslut om tertialrapporten för HR och kommunikation, december",
    ],
)
def test_hard_subjects_decode_exactly(title: str) -> None:
    spec = review_round(report_title=title, unit_name="Hedemorabostäder AB, Åsen")
    for subject in _subjects(spec):
        assert _wire_subject(subject, utf8=False) == subject
