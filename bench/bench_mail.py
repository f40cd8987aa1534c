"""Mails per second to a local aiosmtpd: one reused connection against one connection per mail.

Run: .venv/bin/python bench/bench_mail.py [--count 500]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import socket
import time

from aiosmtpd.controller import Controller

from arshjul.models.effects import NotificationRequest
from arshjul.models.rounds import Recipient, RoundSpec
from arshjul.notifications.message import build_message
from arshjul.notifications.render import props_for, render
from arshjul.notifications.sender import SmtpSender


class CountingHandler:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        self.count += 1
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _messages(count: int) -> list:  # type: ignore[type-arg]
    spec = RoundSpec(
        org_id="hedemora",
        org_name="Hedemora kommun",
        report_id="manad",
        report_title="Månadsrapport",
        sections=["economic"],
        period="2026-03",
        period_end=dt.date(2026, 3, 31),
        unit_id="buf",
        unit_name="Barn- och utbildning",
        recipients=[],
        opens=dt.date(2026, 4, 1),
        due=dt.date(2026, 4, 13),
    )
    now = dt.datetime.now(dt.UTC)
    out = []
    for i in range(count):
        request = NotificationRequest(
            idempotency_key=f"bench/{i}",
            template="reminder",
            round=spec,
            to=[Recipient(name="Åsa Öberg", email=f"asa{i}@example.org")],
        )
        rendered = render(props_for(request, link=f"https://a.se/s/{i}", stamp=now))
        out.append(
            build_message(
                rendered,
                mail_from="Årshjulet <a@hedemora.se>",
                to=request.to,
                idempotency_key=request.idempotency_key,
                date=now,
            )
        )
    return out


async def _reused(sender: SmtpSender, messages: list) -> float:  # type: ignore[type-arg]
    start = time.perf_counter()
    async with sender.connection() as conn:
        for message in messages:
            await conn.send(message)
    return len(messages) / (time.perf_counter() - start)


async def _per_mail(sender: SmtpSender, messages: list) -> float:  # type: ignore[type-arg]
    start = time.perf_counter()
    for message in messages:
        await sender.send(message)
    return len(messages) / (time.perf_counter() - start)


async def main(count: int, rounds: int) -> None:
    """Prints mails/s for both ways of sending and their ratio (best of `rounds`)."""
    handler = CountingHandler()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        sender = SmtpSender(host="127.0.0.1", port=port)
        messages = _messages(count)
        size = len(bytes(messages[0]))
        reused = max([await _reused(sender, messages) for _ in range(rounds)])
        per_mail = max([await _per_mail(sender, messages) for _ in range(rounds)])
        assert handler.count == 2 * rounds * count, "the server did not receive every mail"
    finally:
        controller.stop()
    print(f"{count} mails of {size} bytes, best of {rounds}")
    print(f"one reused connection:   {reused:8.1f} mails/s")
    print(f"one connection per mail: {per_mail:8.1f} mails/s")
    print(f"ratio reused/per-mail:   {reused / per_mail:8.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.count, args.rounds))
