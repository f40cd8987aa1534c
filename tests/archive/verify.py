"""Reads an archive package the way an e-arkiv would, with nothing of arshjul.

Run alone (`python tests/archive/verify.py PACKAGE`) it refuses any import of arshjul, so a
package it accepts needs only lxml, a METS and a PREMIS schema and hashlib to be read. It
validates METS.xml and the PREMIS file against the official schemas beside it (schemas/), checks
every file's SHA-256 and size against what METS and PREMIS say, and prints what it found as JSON.
"""

from __future__ import annotations

import sys

if __name__ == "__main__":
    # Whatever this script or lxml imports, arshjul must not be among it.
    sys.modules["arshjul"] = None  # type: ignore[assignment]

import hashlib  # noqa: E402
import json  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from lxml import etree  # noqa: E402
from pypdf import PdfReader  # noqa: E402

# The official schemas as arshjul ships them (arshjul/archive/schemas/README.md says whence),
# read as files: their SHA-256 are checked against the published copies' in test_schemas.py.
SCHEMAS = Path(__file__).parents[2] / "arshjul" / "archive" / "schemas"
NS = {
    "mets": "http://www.loc.gov/METS/",
    "premis": "http://www.loc.gov/premis/v3",
    "xlink": "http://www.w3.org/1999/xlink",
}
HREF = "{http://www.w3.org/1999/xlink}href"


def _validated(path: Path, schema: str) -> etree._ElementTree:
    xsd = etree.XMLSchema(etree.parse(str(SCHEMAS / schema)))
    doc = etree.parse(str(path))
    if not xsd.validate(doc):
        errors = "\n".join(str(e) for e in xsd.error_log)
        raise AssertionError(f"{path.name} is not valid against {schema}:\n{errors}")
    return doc


def _self_validates(path: Path, namespace: str) -> None:
    # What an archive does with nothing at hand: the schema the document itself points at.
    doc = etree.parse(str(path))
    locations = doc.getroot().get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation")
    words = (locations or "").split()
    pairs = dict(zip(words[::2], words[1::2], strict=True))
    schema = (path.parent / pairs[namespace]).resolve()
    assert schema.is_file(), f"{path.name} points at {pairs[namespace]}, not in the package"
    xsd = etree.XMLSchema(etree.parse(str(schema)))
    assert xsd.validate(doc), f"{path.name} against its own {schema.name}: {xsd.error_log}"


def _pdf(path: Path) -> dict[str, Any]:
    # Opened as any reader would: pages, text, and the PDF/A part its XMP metadata declares.
    reader = PdfReader(str(path))
    xmp = reader.xmp_metadata
    rdf = xmp.rdf_root.toxml() if xmp is not None else ""

    def declared(name: str) -> str | None:
        marker = f'pdfaid:{name}="'
        return rdf.split(marker, 1)[1].split('"', 1)[0] if marker in rdf else None

    return {
        "pages": len(reader.pages),
        "pdfa": (declared("part"), declared("conformance")),
        "text": " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages),
    }


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _check_file(root: Path, href: str, element: etree._Element) -> dict[str, Any]:
    path = root / href
    assert path.is_file(), f"METS names {href}, which is not in the package"
    assert element.get("CHECKSUMTYPE") == "SHA-256", href
    found = {"sha256": _digest(path), "size": path.stat().st_size}
    said = {"sha256": element.get("CHECKSUM"), "size": int(element.get("SIZE", "-1"))}
    assert found == said, f"{href}: the file has {found}, METS says {said}"
    return {**found, "mimetype": element.get("MIMETYPE")}


def verify(root: Path) -> dict[str, Any]:
    """Checks the package at `root`; returns its files, PREMIS events and agents."""
    mets = _validated(root / "METS.xml", "mets.xsd")
    _self_validates(root / "METS.xml", NS["mets"])
    files: dict[str, dict[str, Any]] = {}
    ids: set[str] = set()
    for f in mets.iterfind(".//mets:fileSec//mets:file", NS):
        href = f.find("mets:FLocat", NS).get(HREF)  # type: ignore[union-attr]
        files[href] = _check_file(root, href, f)
        ids.add(f.get("ID"))  # type: ignore[arg-type]
    pointed = {p.get("FILEID") for p in mets.iterfind(".//mets:structMap//mets:fptr", NS)}
    assert pointed == ids, f"structMap points at {sorted(pointed)}, fileSec has {sorted(ids)}"
    metadata: dict[str, dict[str, Any]] = {}
    for ref in mets.iterfind(".//mets:mdRef", NS):
        metadata[ref.get(HREF)] = {  # type: ignore[index]
            **_check_file(root, ref.get(HREF), ref),  # type: ignore[arg-type]
            "mdtype": ref.get("MDTYPE"),
        }
    on_disk = {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
    unlisted = on_disk - set(files) - set(metadata) - {"METS.xml"}
    assert not unlisted, f"files METS does not list: {sorted(unlisted)}"
    premis_files = [href for href, m in metadata.items() if m["mdtype"] == "PREMIS"]
    assert len(premis_files) == 1, premis_files
    premis = _validated(root / premis_files[0], "premis.xsd")
    _self_validates(root / premis_files[0], NS["premis"])
    objects: dict[str, dict[str, Any]] = {}
    for obj in premis.iterfind("premis:object", NS):
        name = obj.findtext("premis:objectIdentifier/premis:objectIdentifierValue", None, NS)
        chars = obj.find("premis:objectCharacteristics", NS)
        assert name is not None and chars is not None
        fixity = chars.find("premis:fixity", NS)
        assert fixity is not None, name
        assert fixity.findtext("premis:messageDigestAlgorithm", None, NS) == "SHA-256", name
        objects[name] = {
            "sha256": fixity.findtext("premis:messageDigest", None, NS),
            "size": int(chars.findtext("premis:size", "-1", NS)),
            "format": chars.findtext(".//premis:formatName", None, NS),
            "original_name": obj.findtext("premis:originalName", None, NS),
            "pronom": chars.findtext(".//premis:formatRegistryKey", None, NS),
            "events": [
                e.findtext("premis:linkingEventIdentifierValue", None, NS)
                for e in obj.iterfind("premis:linkingEventIdentifier", NS)
            ],
        }
    assert set(objects) == set(files), "PREMIS and METS describe different files"
    for name, obj in objects.items():
        actual = {"sha256": _digest(root / name), "size": (root / name).stat().st_size}
        assert {k: obj[k] for k in actual} == actual, f"{name}: PREMIS says {obj}"
    agents = {
        a.findtext("premis:agentIdentifier/premis:agentIdentifierValue", None, NS): {
            "name": a.findtext("premis:agentName", None, NS),
            "type": a.findtext("premis:agentType", None, NS),
        }
        for a in premis.iterfind("premis:agent", NS)
    }
    events = []
    for e in premis.iterfind("premis:event", NS):
        linked = [
            a.findtext("premis:linkingAgentIdentifierValue", None, NS)
            for a in e.iterfind("premis:linkingAgentIdentifier", NS)
        ]
        assert all(a in agents for a in linked), f"an event names an unknown agent: {linked}"
        events.append(
            {
                "id": e.findtext("premis:eventIdentifier/premis:eventIdentifierValue", None, NS),
                "type": e.findtext("premis:eventType", None, NS),
                "agents": [agents[a]["name"] for a in linked],
                "objects": [
                    o.findtext("premis:linkingObjectIdentifierValue", None, NS)
                    for o in e.iterfind("premis:linkingObjectIdentifier", NS)
                ],
            }
        )
    pdfs = {
        href: _pdf(root / href) for href, f in files.items() if f["mimetype"] == "application/pdf"
    }
    root_element = mets.getroot()
    return {
        "objid": root_element.get("OBJID"),
        "profile": root_element.get("PROFILE"),
        "files": files,
        "pdfs": pdfs,
        "metadata": metadata,
        "premis_objects": objects,
        "events": events,
        "agents": agents,
    }


if __name__ == "__main__":
    print(json.dumps(verify(Path(sys.argv[1])), ensure_ascii=False, indent=1))
