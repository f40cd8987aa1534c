"""Notification fixtures: a round specification with a review committee, a sender to the sink."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from arshjul.models.rounds import CommitteeSpec, Recipient, ReviewSpec, RoundSpec
from arshjul.notifications.sender import SmtpSender
from tests.conftest import MailSink


def review_round(**changes: object) -> RoundSpec:
    """Returns a round that KSAU reviews and may refer to KS."""
    ksau = CommitteeSpec(id="ksau", name="Kommunstyrelsens arbetsutskott", meetings=[])
    ks = CommitteeSpec(id="ks", name="Kommunstyrelsen", meetings=[])
    spec = RoundSpec(
        org_id="hedemora",
        org_name="Hedemora kommun",
        report_id="delar",
        report_title="Delårsrapport",
        sections=["economic", "goals"],
        period="2026-08",
        period_end=dt.date(2026, 8, 31),
        unit_id="sbf",
        unit_name="Samhällsbyggnadsförvaltningen",
        recipients=[Recipient(name="Örjan Åkesson", email="orjan@example.org")],
        opens=dt.date(2026, 9, 1),
        due=dt.date(2026, 9, 14),
        review=ReviewSpec(committee=ksau, min_days_before_meeting=7, refers_to=ks),
    )
    return spec.model_copy(update=changes)


class StrictSink(MailSink):
    """A sink whose server refuses mailboxes starting with "nobody@" (550, permanent)."""

    async def handle_RCPT(  # noqa: N802
        self, server: object, session: object, envelope: object, address: str, options: object
    ) -> str:
        if address.startswith("nobody@"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)  # type: ignore[attr-defined]
        return "250 OK"


@pytest.fixture
def strict_sink() -> Iterator[StrictSink]:
    """A running sink that refuses unknown mailboxes permanently."""
    sink = StrictSink()
    sink.start()
    try:
        yield sink
    finally:
        sink.stop()


@pytest.fixture
def smtp_sender(smtp_sink: MailSink) -> SmtpSender:
    """A real aiosmtplib sender pointed at the sink."""
    return SmtpSender(host="127.0.0.1", port=smtp_sink.port, timeout=5)
