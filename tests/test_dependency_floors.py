"""The floors in pyproject.toml are the versions `make lowest` installs and tests."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).parent.parent


def _version(text: str) -> tuple[int, ...]:
    parts = [int(p) for p in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def test_every_direct_dependency_floor_is_the_tested_lowest_version() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["embedded"]
    pins = dict(
        re.fullmatch(r"([\w.-]+)==([\d.]+)", line).groups()  # type: ignore[union-attr]
        for line in (ROOT / "ci" / "lowest.txt").read_text().splitlines()
        if line and not line.startswith("#")
    )
    for requirement in requirements:
        match = re.fullmatch(r"([\w.-]+)(\[[\w,]+\])?(>=|==)([\d.]+)(,<[\d.]+)?", requirement)
        assert match, f"{requirement}: give a floor (>=) or an exact pin (==)"
        name, _, _, floor, _ = match.groups()
        assert name in pins, f"{name} is not installed at its floor by ci/lowest.txt"
        assert _version(pins[name]) == _version(floor), (name, pins[name], floor)
