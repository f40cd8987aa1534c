"""Archive fixtures: the protocol tests' store and bundled example, and the package checker."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.protocol.conftest import committee, config  # noqa: F401 - fixtures used here

VERIFY = Path(__file__).parent / "verify.py"


def verified(folder: Path) -> dict[str, Any]:
    """Checks the package in a process that cannot import arshjul; returns what it found."""
    done = subprocess.run(
        [sys.executable, str(VERIFY), str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin"},  # no PYTHONPATH: nothing of the work tree on the path
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]
