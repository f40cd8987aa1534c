"""Benchmark of the calendar: load, expand a year, round specs and ICS for the default årshjul.

Run: .venv/bin/python bench/bench_calendar.py. Figures are relative to loading the file once,
so they compare across machines.
"""

from __future__ import annotations

from collections.abc import Callable

from timing import best

from arshjul.calendar.expand import expand_year, round_specs
from arshjul.calendar.ics import to_ics
from arshjul.calendar.loader import load_config
from arshjul.settings import BUNDLED_CONFIG


def _best(fn: Callable[[], object]) -> float:
    return best(fn, 5)


def main() -> None:
    """Prints seconds per operation and its ratio to one load of the configuration."""
    config = load_config(BUNDLED_CONFIG)
    entries = expand_year(config, 2026)
    base = _best(lambda: load_config(BUNDLED_CONFIG))
    # Only the years every committee has a meeting plan for: a year without one is refused by
    # design (MissingMeeting), and the bundled plans end some years ahead.
    last = min(max(m.date.year for m in c.meetings) for c in config.committees if c.meetings)
    years = range(2026, last + 1)
    rows = {
        "load_config": base,
        "expand_year(2026)": _best(lambda: expand_year(config, 2026)),
        f"expand_year x {len(years)} years": _best(lambda: [expand_year(config, y) for y in years]),
        "round_specs(2026)": _best(lambda: round_specs(config, 2026)),
        f"to_ics({len(entries)} entries)": _best(
            lambda: to_ics(entries, org_name="H", calendar_name="H")
        ),
    }
    for name, seconds in rows.items():
        print(f"{name:28s} {seconds * 1000:9.2f} ms   {seconds / base:6.2f} x load")


if __name__ == "__main__":
    main()
