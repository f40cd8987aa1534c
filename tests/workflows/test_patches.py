"""Every patch id lives in arshjul/workflows/patches.py, once, and docs/VERSIONING.md lists it."""

from __future__ import annotations

import re
from pathlib import Path

from arshjul.workflows import patches

WORKFLOWS = Path(patches.__file__).parent
VERSIONING = Path(__file__).parents[2] / "docs" / "VERSIONING.md"


def ids() -> dict[str, str]:
    return {k: v for k, v in vars(patches).items() if k.startswith("PATCH_")}


def test_patch_ids_are_distinct() -> None:
    assert len(set(ids().values())) == len(ids()) >= 8


def test_every_patched_call_names_an_id_of_the_patches_module() -> None:
    for path in WORKFLOWS.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name != "patches.py":
            assert not re.search(r"^PATCH_\w+ *=", text, re.M), f"{path.name} defines a patch id"
        for arg in re.findall(r"workflow\.patched\(([^)]*)\)", text):
            assert arg in ids(), f"{path.name}: workflow.patched({arg})"


def test_every_patch_id_is_documented() -> None:
    table = re.findall(r"^\| `([a-z0-9-]+)` \|", VERSIONING.read_text(encoding="utf-8"), re.M)
    assert set(ids().values()) == set(table)
