"""No address reaches a log line: the formatter every process uses replaces each e-mail address,
wherever in the record it is, with a keyed pseudonym that stays the same for the same person."""

from __future__ import annotations

import logging
import sys

from arshjul.logging import KeyValueFormatter, log_event
from arshjul.privacy import pseudonym, redact

ADDRESS = "Maria.Holm@example.org"


def _line(record: logging.LogRecord, key: str = "k") -> str:
    return KeyValueFormatter("web", key=key).format(record)


def _record(msg: str, *args: object, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("arshjul.test", logging.INFO, __file__, 1, msg, args, None)
    for name, value in extra.items():
        setattr(record, name, value)
    return record


def test_an_address_in_the_message_a_field_or_an_exception_is_replaced() -> None:
    said = _line(_record("mail to %s refused", ADDRESS, recipient=f"Maria <{ADDRESS}>"))
    try:
        raise RuntimeError(f"550 5.1.1 <{ADDRESS.lower()}>: Recipient address rejected")
    except RuntimeError:
        failing = _record("send failed")
        failing.exc_info = sys.exc_info()
    crashed = _line(failing)
    for line in (said, crashed):
        assert "example.org" not in line and "Holm" not in line
        assert pseudonym(ADDRESS, "k") in line  # the same person, whatever the case
    assert said.count(pseudonym(ADDRESS, "k")) == 2


def test_pseudonyms_are_keyed_and_leave_other_text_alone() -> None:
    assert pseudonym(ADDRESS, "a") != pseudonym(ADDRESS, "b")
    assert pseudonym(ADDRESS, "a") == pseudonym(ADDRESS.upper(), "a")
    assert redact("round/hedemora/manadsrapport/2026-10/bun at 08:30", "k") == (
        "round/hedemora/manadsrapport/2026-10/bun at 08:30"
    )


def test_log_event_lines_go_through_the_same_formatter() -> None:
    logger = logging.getLogger("arshjul.test.events")
    handler = logging.Handler()
    lines: list[str] = []
    handler.emit = lambda r: lines.append(KeyValueFormatter("worker", key="k").format(r))  # type: ignore[method-assign]
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        log_event(logger, "mail.sent", to=ADDRESS, round_id="round/x")
    finally:
        logger.removeHandler(handler)
    assert lines and ADDRESS not in lines[0] and f"to={pseudonym(ADDRESS, 'k')}" in lines[0]
