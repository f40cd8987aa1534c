"""Captures the golden histories of a release (`make histories`, i.e. `-m tests.workflows.capture`).

Runs every scenario of `tests/workflows/scenarios/` on its own time-skipping server with the
in-memory activities and writes each named workflow's history, in the JSON that Temporal's CLI
and UI export, to `tests/workflows/histories/<release>/<name>.json`. An existing file is kept:
it is the history of older code, which is what the replay test must go on replaying
(`--force` overwrites, for a release not yet published).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from arshjul import __version__
from tests.conftest import TEST_SERVER
from tests.workflows.conftest import rig_on
from tests.workflows.scenarios import SCENARIOS

HISTORIES = Path(__file__).parent / "histories"


def default_release() -> str:
    """Returns `v<package version>`, the folder this code's histories belong in."""
    return f"v{__version__}"


async def capture(name: str, folder: Path, force: bool) -> list[Path]:
    """Runs one scenario on a fresh server and writes the histories it names; returns the paths."""
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=str(TEST_SERVER), data_converter=pydantic_data_converter
    )
    written = []
    async with env, rig_on(env) as rig:
        handles = await SCENARIOS[name](rig)
        for file, handle in handles.items():
            path = folder / f"{file}.json"
            if path.exists() and not force:
                print(f"kept     {path} (exists; --force overwrites)")
                continue
            history = await handle.fetch_history()
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(history.to_json() + "\n", encoding="utf-8")
            written.append(path)
            print(f"written  {path} ({len(history.events)} events)")
    return written


async def main(argv: list[str] | None = None) -> int:
    """Captures the scenarios named on the command line (all by default)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", help=f"default: all of {', '.join(SCENARIOS)}")
    parser.add_argument("--release", default=default_release(), help="default: %(default)s")
    parser.add_argument("--force", action="store_true", help="overwrite existing files")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.scenarios) - set(SCENARIOS))
    if unknown:
        print(f"unknown scenario(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    folder = HISTORIES / args.release
    started = time.perf_counter()
    count = 0
    for name in args.scenarios or SCENARIOS:
        count += len(await capture(name, folder, args.force))
    print(f"{count} histories written under {folder} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    code = asyncio.run(main())
    sys.stdout.flush()
    # Everything is shut down; skip interpreter finalization, where the Temporal runtime's
    # threads sometimes abort the process (exit 134, STACK-NOTES) after a good run.
    os._exit(code)
