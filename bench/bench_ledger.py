"""Benchmark of the ledger import: a municipality-sized SIE 4 file read into unit figures.

Run: PYTHONPATH=. .venv/bin/python bench/bench_ledger.py. The generated file has 420 ansvar codes
under the bundled example's units, 150 result accounts, twelve months of #PSALDO and #PBUDGET
where an ansvar uses an account, and a year of verifications (#VER/#TRANS). The baseline is the
least any reader does with the same bytes: decode CP437 and split every line into fields.
Times are CPU seconds of this process (best of three), steadier than wall time on a shared machine.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from timing import best

from arshjul.calendar.loader import load_config
from arshjul.ledger.reader import read_figures
from arshjul.ledger.service import import_file
from arshjul.settings import BUNDLED_CONFIG
from arshjul.store.db import make_engine, make_session_maker, upgrade

PREFIXES = ["1", "2", "3", "41", "42", "5"]  # the bundled units' ledger codes, less mbf's 4300


def generate(seed: int = 15) -> bytes:
    """Builds a SIE 4 file the size of a mid-sized municipality's year (about 30 MB)."""
    rng = random.Random(seed)
    codes = [p + str(n).zfill(4 - len(p)) for p in PREFIXES for n in range(70)]
    accounts = [str(a) for a in range(3000, 8999, 40)][:150]
    lines = [
        "#FLAGGA 0",
        "#FORMAT PC8",
        "#SIETYP 4",
        '#PROGRAM "Bench" 1.0',
        "#GEN 20261207",
        '#FNAMN "Benchkommun"',
        "#RAR 0 20260101 20261231",
        '#DIM 1 "Ansvar"',
    ]
    lines += [f'#OBJEKT 1 "{c}" "Ansvar {c} och Åtgärd"' for c in codes]
    lines += [f'#KONTO {a} "Konto {a}, kostnad för övrigt"' for a in accounts]
    used = [(c, a) for c in codes for a in accounts if rng.random() < 0.25]
    for label in ("#PBUDGET", "#PSALDO"):
        for month in range(1, 13):
            for code, account in used:
                amount = rng.randint(-2_000_000, 5_000_000) / 100
                lines.append(f'{label} 0 2026{month:02d} {account} {{1 "{code}"}} {amount:.2f}')
    for number in range(1, 40_001):
        code, account = used[number % len(used)]
        amount = rng.randint(100, 1_000_000) / 100
        lines += [
            f'#VER A {number} 2026{1 + number % 12:02d}15 "Leverantörsfaktura {number}"',
            "{",
            f'   #TRANS {account} {{1 "{code}"}} {amount:.2f}',
            f"   #TRANS 2440 {{}} {-amount:.2f}",
            "}",
        ]
    return ("\r\n".join(lines) + "\r\n").encode("cp437")


def _best(fn: Callable[[], object]) -> float:
    return best(fn, 3, clock=time.process_time)


def _baseline(data: bytes) -> int:
    return sum(len(line.split()) for line in data.decode("cp437").splitlines())


def main() -> None:
    """Prints the file's size, reading and importing times, and their ratios to the baseline."""
    config = load_config(BUNDLED_CONFIG)
    data = generate()
    lines = data.count(b"\n")
    base = _best(lambda: _baseline(data))
    read = _best(lambda: read_figures(config, data, "bench.se", "2026-10"))
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        upgrade(url)
        engine = make_engine(url)
        sessions = make_session_maker(engine)
        start, wall = time.process_time(), time.perf_counter()
        with sessions.begin() as session:
            import_file(
                session, config, data=data, file_name="bench.se", period="2026-10", actor="bench"
            )
        stored, wall = time.process_time() - start, time.perf_counter() - wall
        engine.dispose()
    print(f"SIE 4 file: {len(data) / 1e6:.1f} MB, {lines} lines")
    print(f"baseline (decode + split lines)  {base:7.2f} s")
    print(f"read_figures (parse + sum)      {read:7.2f} s   {read / base:5.2f} x baseline")
    print(
        f"import into SQLite (one run)    {stored:7.2f} s   {stored / base:5.2f} x baseline"
        f"   ({wall:.2f} s wall)"
    )


if __name__ == "__main__":
    main()
