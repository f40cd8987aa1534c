"""The schemas shipped in every package are the official ones (only mets.xsd's XLink import made
local), and each package carries them byte for byte."""

from __future__ import annotations

import hashlib
from pathlib import Path

SCHEMAS = Path(__file__).parents[2] / "arshjul" / "archive" / "schemas"
# The published files' SHA-256 (arshjul/archive/schemas/README.md says whence), mets.xsd's after
# its one line pointing the XLink import at the local copy.
OFFICIAL = {
    "mets.xsd": "8bb67162fe7ea6019a938d4b452479c9f8af8e51cf41e3e38e3b660344b245ec",
    "xlink.xsd": "f1f5bb6003165cdd8f6c1fcc32f8fd1f965e1681010f3b9806d9460bcffa8a3c",
    "premis.xsd": "03b8a77a20b32b882ad799e12262671d07ad18210c60233f4e613a1289491cba",
}
PUBLISHED_METS = "92a993a3886d7c7d64d1a6d19b573ede5783b1f5bf938b1ba92b93ca37590004"


def test_the_shipped_schemas_are_the_official_ones() -> None:
    found = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in SCHEMAS.glob("*.xsd")}
    assert found == OFFICIAL
    # Undo the one change and the published METS schema comes back.
    mets = (
        (SCHEMAS / "mets.xsd")
        .read_bytes()
        .replace(
            b'schemaLocation="xlink.xsd"',
            b'schemaLocation="http://www.loc.gov/standards/xlink/xlink.xsd"',
        )
    )
    assert hashlib.sha256(mets).hexdigest() == PUBLISHED_METS
