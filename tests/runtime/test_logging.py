"""Structured logs (arshjul/logging.py): one line per event, round id first, nothing split."""

from __future__ import annotations

import io
import logging

from arshjul.logging import configure_logging, log_event


def test_an_event_is_one_grep_friendly_line_with_its_round_id() -> None:
    out = io.StringIO()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        configure_logging("worker", stream=out, level="INFO")
        log = logging.getLogger("arshjul.activities")
        log_event(
            log,
            "mail.sent",
            round_id="round/hedemora/manad/2026-02/sof",
            to="anna@example.org",
            subject='Påminnelse: "februari"\nrad två',
            name="x",
        )
        log.info("plain message")
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    first, second = out.getvalue().splitlines()
    head = " info component=worker event=mail.sent round_id=round/hedemora/manad/2026-02/sof "
    assert head in first
    assert 'subject="Påminnelse: \\"februari\\"\\nrad två"' in first
    assert "name_=x" in first  # a field named like a LogRecord attribute is kept, renamed
    assert second.endswith('event=arshjul.activities msg="plain message"')
