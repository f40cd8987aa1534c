"""Benchmark of the ekonomichef's overview for a 40-unit organisation (480 rounds a year).

Run: PYTHONPATH=. .venv/bin/python bench/bench_overview.py (it reuses the tests' web rig).
The baseline, measured in the same run, is the page as it was before: every round of the year
in one table (the same rows, no pages). Printed: HTML size and best render time of each.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import tempfile
import time
from pathlib import Path

import yaml

from arshjul.calendar.expand import round_specs
from arshjul.calendar.loader import load_config_text
from arshjul.models.effects import RoundEventRecord
from arshjul.models.rounds import RoundState
from arshjul.settings import BUNDLED_CONFIG
from arshjul.store.repositories import RoundRepository
from arshjul.web.overview import rows as overview_rows
from tests.conftest import MailSink
from tests.web.conftest import EKONOMICHEF, open_rig, today

UNITS = 40
STATES = [RoundState.OPEN, RoundState.SUBMITTED, RoundState.ON_AGENDA, RoundState.APPROVED]


def forty_units() -> str:
    """Returns the bundled configuration with its units repeated up to 40."""
    data = yaml.safe_load(BUNDLED_CONFIG.read_text(encoding="utf-8"))
    base = data["units"]
    units = []
    for i in range(UNITS // len(base)):
        for u in base:
            copy = {k: v for k, v in u.items() if k != "ledger_codes"} if i else dict(u)
            if i:
                copy["id"], copy["name"] = f"{u['id']}{i}", f"{u['name']} {i}"
                copy["chef"] = {**u["chef"], "email": u["chef"]["email"].replace("@", f"+{i}@")}
            units.append(copy)
    data["units"] = units
    return yaml.safe_dump(data, allow_unicode=True)


def mirror_year(rig, year: int) -> int:  # noqa: ANN001
    """Mirrors every round of the year that has opened, in a mix of states; returns how many."""
    count = 0
    with rig.sessions.begin() as session:
        repo = RoundRepository(session)
        for i, spec in enumerate(round_specs(rig.config, year)):
            if spec.opens > today():
                continue
            state = STATES[i % len(STATES)]
            at = dt.datetime.combine(spec.opens, dt.time(7), tzinfo=dt.UTC)
            record = RoundEventRecord(
                workflow_id=spec.workflow_id,
                seq=1,
                event="request",
                time=at,
                actor="system",
                state=state,
                due=spec.due,
                spec=spec,
            )
            repo.upsert_from_event(record)
            count += 1
    return count


async def _best(client, url: str, repeat: int = 7) -> tuple[float, int]:  # noqa: ANN001
    best, size = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        response = await client.get(url)
        best = min(best, time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
        size = len(response.content)
    return best, size


async def main() -> None:
    """Prints HTML size and render time of the overview against the one-table page."""
    sink = MailSink()
    sink.start()
    try:
        config = load_config_text(forty_units())
        async with open_rig(Path(tempfile.mkdtemp()), sink, config=config) as rig:
            year = today().year
            rows = len(round_specs(config, year))
            mirrored = mirror_year(rig, year)
            eva = await rig.login(EKONOMICHEF)
            page = PAGE = overview_rows.PAGE_SIZE
            overview_rows.PAGE_SIZE = 100_000  # the page before: every row in one table
            old_s, old_b = await _best(eva, f"/?year={year}")
            overview_rows.PAGE_SIZE = PAGE
            new_s, new_b = await _best(eva, f"/?year={year}")
            late_s, late_b = await _best(eva, f"/?year={year}&status=f%C3%B6rsenad")
            print(f"{UNITS} units, {rows} rounds in {year} ({mirrored} opened), page size {page}")
            print(f"{'page':34s} {'HTML':>10s} {'render':>10s}")
            for name, s, b in [
                ("one table (before)", old_s, old_b),
                ("overview, first page", new_s, new_b),
                ("overview, late only", late_s, late_b),
            ]:
                print(
                    f"{name:34s} {b / 1024:8.0f} kB {s * 1000:8.0f} ms"
                    f"   {b / old_b:5.2f}x size  {s / old_s:5.2f}x time"
                )
            await eva.aclose()
    finally:
        sink.stop()


if __name__ == "__main__":
    asyncio.run(main())
