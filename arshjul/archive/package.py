"""An information package on disk: content files in representations, PREMIS and METS over them.

Knows nothing of arshjul's store: the export modules hand it files, events and agents, and it
writes the package the way E-ARK CSIP/SIP and the Swedish FGS Paketstruktur lay it out, so any
archive can read it with a METS and a PREMIS parser alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

import arshjul

METS_NS = "http://www.loc.gov/METS/"
PREMIS_NS = "http://www.loc.gov/premis/v3"
XLINK_NS = "http://www.w3.org/1999/xlink"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
CSIP_NS = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
DC_NS = "http://purl.org/dc/elements/1.1/"
# The schemas in the package's own schemas/ folder, relative to each document, so a validator
# finds them offline (the official addresses are in schemas/README of the source).
METS_SCHEMA = "schemas/mets.xsd"
XLINK_SCHEMA = "schemas/xlink.xsd"
PREMIS_SCHEMA = "../../schemas/premis.xsd"
EARK_SIP_PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
SCHEMA_DIR = Path(__file__).parent / "schemas"
# The official schemas the package's XML follows, in its schemas/ folder (as CSIP asks), so the
# package can be validated where nothing else is at hand.
SCHEMAS = ("mets.xsd", "xlink.xsd", "premis.xsd")
METS_FILE = "METS.xml"
PREMIS_FILE = "metadata/preservation/premis.xml"
CHECKSUM_TYPE = "SHA-256"


SCHEMAS_GROUP = "schemas"


class PackageExistsError(FileExistsError):
    """The package's folder is already there; an export never overwrites one."""


@dataclass(frozen=True)
class FileFormat:
    """A file's format as PREMIS names it, with its PRONOM key when one is known."""

    name: str
    version: str | None = None
    pronom: str | None = None


PDFA_2U = FileFormat("PDF/A-2u", "2u", "fmt/478")
JSON = FileFormat("JSON", None, "fmt/817")
XML = FileFormat("Extensible Markup Language", "1.0", "fmt/101")
XSD = FileFormat("XML Schema Definition", "1.0")


@dataclass(frozen=True)
class Agent:
    """Who or what took part in an event: a person, the organisation or a program."""

    id: str
    name: str
    type: str  # "person" | "organization" | "software"
    email: str | None = None
    version: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Event:
    """A preservation event (creation, justering, anslag, package creation) in PREMIS."""

    id: str
    type: str
    time: dt.datetime
    detail: str
    agents: tuple[tuple[str, str], ...] = ()  # (agent id, role)
    objects: tuple[str, ...] = ()  # package paths of the files it concerns; empty: all


@dataclass(frozen=True)
class ContentFile:
    """One file of a representation, with what METS and PREMIS say of it."""

    representation: str  # "rep1"
    name: str  # path inside the representation's data folder, e.g. "bilagor/plan.pdf"
    data: bytes
    mimetype: str
    format: FileFormat
    created: dt.datetime
    original_name: str = ""  # the name it had in arshjul, when the package's name differs
    description: str = ""  # what it is, in Swedish, for a list of contents (förteckning)

    @property
    def path(self) -> str:
        """The file's path in the package."""
        if self.representation == SCHEMAS_GROUP:
            return f"schemas/{self.name}"
        return f"representations/{self.representation}/data/{self.name}"

    @property
    def sha256(self) -> str:
        """The SHA-256 of the bytes, in hex."""
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class Package:
    """What goes into one package; `write` lays it out under a folder named by its id."""

    id: str  # also the folder's name and METS OBJID
    label: str
    org_name: str
    created: dt.datetime
    record_type: str  # the kind of record, e.g. "Protokoll", "Ärende"
    description: dict[str, list[str]] = field(default_factory=dict)  # Dublin Core element: values
    representations: dict[str, str] = field(default_factory=dict)  # "rep1": label
    files: list[ContentFile] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    agents: list[Agent] = field(default_factory=list)

    def write(self, parent: Path) -> Path:
        """Writes the package as `parent/<id>/`; nothing is left behind if writing fails."""
        target = parent / self.id
        if target.exists():
            raise PackageExistsError(f"{target} already exists")
        parent.mkdir(parents=True, exist_ok=True)
        # Built beside the target and moved in one rename: a reader never sees half a package.
        work = Path(tempfile.mkdtemp(prefix=f".{self.id}.", dir=parent))
        try:
            for f in _all_files(self):
                _write_file(work / f.path, f.data)
            premis = premis_xml(self)
            _write_file(work / PREMIS_FILE, premis)
            _write_file(work / METS_FILE, mets_xml(self, premis))
            os.rename(work, target)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        return target


def _write_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _iso(value: dt.datetime) -> str:
    # xsd:dateTime with an offset; naive times from SQLite are UTC in this store.
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.isoformat(timespec="seconds")


def _sub(parent: etree._Element, ns: str, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ns}}}{tag}")
    if text is not None:
        element.text = text
    return element


def _serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _representations(package: Package) -> dict[str, str]:
    # A representation without files (a cancelled case has no PDF) is left out, not left empty.
    held = {f.representation for f in package.files}
    return {rep: label for rep, label in package.representations.items() if rep in held}


def _by_representation(package: Package) -> list[ContentFile]:
    return [
        f for rep in _representations(package) for f in package.files if f.representation == rep
    ]


def _schema_files(package: Package) -> list[ContentFile]:
    return [
        ContentFile(
            SCHEMAS_GROUP,
            name,
            (SCHEMA_DIR / name).read_bytes(),
            "application/xml",
            XSD,
            package.created,
        )
        for name in SCHEMAS
    ]


def _all_files(package: Package) -> list[ContentFile]:
    return _by_representation(package) + _schema_files(package)


def _file_ids(package: Package) -> dict[str, str]:
    return {f.path: f"file-{i}" for i, f in enumerate(_all_files(package), start=1)}


def premis_xml(package: Package) -> bytes:
    """The package's PREMIS v3 document: every file with fixity and format, events, agents."""
    nsmap = {"premis": PREMIS_NS, "xsi": XSI_NS}
    root = etree.Element(f"{{{PREMIS_NS}}}premis", nsmap=nsmap, version="3.0")
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{PREMIS_NS} {PREMIS_SCHEMA}")
    for f in _all_files(package):
        _premis_object(root, package, f)
    for e in package.events:
        _premis_event(root, package, e)
    for a in package.agents:
        _premis_agent(root, a)
    return _serialize(root)


def _identifier(parent: etree._Element, kind: str, value: str, type_: str = "local") -> None:
    ident = _sub(parent, PREMIS_NS, f"{kind}Identifier")
    _sub(ident, PREMIS_NS, f"{kind}IdentifierType", type_)
    _sub(ident, PREMIS_NS, f"{kind}IdentifierValue", value)


def _premis_object(root: etree._Element, package: Package, f: ContentFile) -> None:
    obj = _sub(root, PREMIS_NS, "object")
    obj.set(f"{{{XSI_NS}}}type", "premis:file")
    _identifier(obj, "object", f.path)
    chars = _sub(obj, PREMIS_NS, "objectCharacteristics")
    _sub(chars, PREMIS_NS, "compositionLevel", "0")
    fixity = _sub(chars, PREMIS_NS, "fixity")
    _sub(fixity, PREMIS_NS, "messageDigestAlgorithm", CHECKSUM_TYPE)
    _sub(fixity, PREMIS_NS, "messageDigest", f.sha256)
    _sub(fixity, PREMIS_NS, "messageDigestOriginator", "arshjul")
    _sub(chars, PREMIS_NS, "size", str(len(f.data)))
    fmt = _sub(chars, PREMIS_NS, "format")
    designation = _sub(fmt, PREMIS_NS, "formatDesignation")
    _sub(designation, PREMIS_NS, "formatName", f.format.name)
    if f.format.version:
        _sub(designation, PREMIS_NS, "formatVersion", f.format.version)
    if f.format.pronom:
        registry = _sub(fmt, PREMIS_NS, "formatRegistry")
        _sub(registry, PREMIS_NS, "formatRegistryName", "PRONOM")
        _sub(registry, PREMIS_NS, "formatRegistryKey", f.format.pronom)
    _sub(obj, PREMIS_NS, "originalName", f.original_name or f.name)
    for e in package.events:
        if not e.objects or f.path in e.objects:
            _identifier(obj, "linkingEvent", e.id)


def _premis_event(root: etree._Element, package: Package, e: Event) -> None:
    event = _sub(root, PREMIS_NS, "event")
    _identifier(event, "event", e.id)
    _sub(event, PREMIS_NS, "eventType", e.type)
    _sub(event, PREMIS_NS, "eventDateTime", _iso(e.time))
    detail = _sub(event, PREMIS_NS, "eventDetailInformation")
    _sub(detail, PREMIS_NS, "eventDetail", e.detail)
    outcome = _sub(event, PREMIS_NS, "eventOutcomeInformation")
    _sub(outcome, PREMIS_NS, "eventOutcome", "success")
    for agent_id, role in e.agents:
        link = _sub(event, PREMIS_NS, "linkingAgentIdentifier")
        _sub(link, PREMIS_NS, "linkingAgentIdentifierType", "local")
        _sub(link, PREMIS_NS, "linkingAgentIdentifierValue", agent_id)
        _sub(link, PREMIS_NS, "linkingAgentRole", role)
    for path in e.objects or tuple(f.path for f in _all_files(package)):
        link = _sub(event, PREMIS_NS, "linkingObjectIdentifier")
        _sub(link, PREMIS_NS, "linkingObjectIdentifierType", "local")
        _sub(link, PREMIS_NS, "linkingObjectIdentifierValue", path)


def _premis_agent(root: etree._Element, a: Agent) -> None:
    agent = _sub(root, PREMIS_NS, "agent")
    _identifier(agent, "agent", a.id)
    if a.email:
        _identifier(agent, "agent", a.email, type_="e-post")
    _sub(agent, PREMIS_NS, "agentName", a.name)
    _sub(agent, PREMIS_NS, "agentType", a.type)
    if a.version:
        _sub(agent, PREMIS_NS, "agentVersion", a.version)
    if a.note:
        _sub(agent, PREMIS_NS, "agentNote", a.note)


def mets_xml(package: Package, premis: bytes) -> bytes:
    """The package's root METS document: header, description, PREMIS reference, files, map."""
    nsmap = {
        "mets": METS_NS,
        "xlink": XLINK_NS,
        "xsi": XSI_NS,
        "csip": CSIP_NS,
        "dc": DC_NS,
    }
    root = etree.Element(f"{{{METS_NS}}}mets", nsmap=nsmap)
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{METS_NS} {METS_SCHEMA} {XLINK_NS} {XLINK_SCHEMA}")
    root.set("OBJID", package.id)
    root.set("LABEL", package.label)
    # The CSIP content category: a PDF/A document with XML (and JSON) beside it. No E-ARK content
    # information type (CITS) fits, so none is named; the record type is in the description.
    root.set("TYPE", "Mixed")
    root.set("PROFILE", EARK_SIP_PROFILE)
    created = _iso(package.created)

    header = _sub(root, METS_NS, "metsHdr")
    header.set("CREATEDATE", created)
    header.set("RECORDSTATUS", "NEW")
    header.set(f"{{{CSIP_NS}}}OAISPACKAGETYPE", "SIP")
    archivist = _sub(header, METS_NS, "agent")
    archivist.set("ROLE", "ARCHIVIST")
    archivist.set("TYPE", "ORGANIZATION")
    _sub(archivist, METS_NS, "name", package.org_name)
    creator = _sub(header, METS_NS, "agent")
    creator.set("ROLE", "CREATOR")
    creator.set("TYPE", "OTHER")
    creator.set("OTHERTYPE", "SOFTWARE")
    _sub(creator, METS_NS, "name", "arshjul")
    note = _sub(creator, METS_NS, "note", arshjul.__version__)
    note.set(f"{{{CSIP_NS}}}NOTETYPE", "SOFTWARE VERSION")

    dmd = _sub(root, METS_NS, "dmdSec")
    dmd.set("ID", "dmd-1")
    dmd.set("CREATED", created)
    wrap = _sub(dmd, METS_NS, "mdWrap")
    wrap.set("MDTYPE", "DC")
    data = _sub(wrap, METS_NS, "xmlData")
    for element, values in package.description.items():
        for value in values:
            _sub(data, DC_NS, element, value)

    amd = _sub(root, METS_NS, "amdSec")
    digiprov = _sub(amd, METS_NS, "digiprovMD")
    digiprov.set("ID", "digiprov-premis")
    digiprov.set("CREATED", created)
    ref = _sub(digiprov, METS_NS, "mdRef")
    ref.set("LOCTYPE", "URL")
    ref.set(f"{{{XLINK_NS}}}type", "simple")
    ref.set(f"{{{XLINK_NS}}}href", PREMIS_FILE)
    ref.set("MDTYPE", "PREMIS")
    ref.set("MIMETYPE", "application/xml")
    ref.set("SIZE", str(len(premis)))
    ref.set("CREATED", created)
    ref.set("CHECKSUM", hashlib.sha256(premis).hexdigest())
    ref.set("CHECKSUMTYPE", CHECKSUM_TYPE)

    ids = _file_ids(package)
    file_sec = _sub(root, METS_NS, "fileSec")
    file_sec.set("ID", "filesec-1")
    groups = [(f"Representations/{rep}", rep) for rep in _representations(package)]
    for use, rep in [*groups, ("Schemas", SCHEMAS_GROUP)]:
        group = _sub(file_sec, METS_NS, "fileGrp")
        group.set("ID", f"grp-{rep}")
        group.set("USE", use)
        for f in (f for f in _all_files(package) if f.representation == rep):
            element = _sub(group, METS_NS, "file")
            element.set("ID", ids[f.path])
            element.set("MIMETYPE", f.mimetype)
            element.set("SIZE", str(len(f.data)))
            element.set("CREATED", _iso(f.created))
            element.set("CHECKSUM", f.sha256)
            element.set("CHECKSUMTYPE", CHECKSUM_TYPE)
            element.set("ADMID", "digiprov-premis")
            location = _sub(element, METS_NS, "FLocat")
            location.set("LOCTYPE", "URL")
            location.set(f"{{{XLINK_NS}}}type", "simple")
            location.set(f"{{{XLINK_NS}}}href", f.path)

    struct = _sub(root, METS_NS, "structMap")
    struct.set("ID", "structmap-1")
    struct.set("TYPE", "PHYSICAL")
    struct.set("LABEL", "CSIP")
    top = _sub(struct, METS_NS, "div")
    top.set("ID", "div-root")
    top.set("LABEL", package.id)
    meta = _sub(top, METS_NS, "div")
    meta.set("ID", "div-metadata")
    meta.set("LABEL", "Metadata")
    meta.set("DMDID", "dmd-1")
    meta.set("ADMID", "digiprov-premis")
    for rep, rep_label in _representations(package).items():
        div = _sub(top, METS_NS, "div")
        div.set("ID", f"div-{rep}")
        div.set("LABEL", f"Representations/{rep}")
        div.set("ORDERLABEL", rep_label)
        for f in (f for f in package.files if f.representation == rep):
            fptr = _sub(div, METS_NS, "fptr")
            fptr.set("FILEID", ids[f.path])
    schemas = _sub(top, METS_NS, "div")
    schemas.set("ID", "div-schemas")
    schemas.set("LABEL", "Schemas")
    for f in _schema_files(package):
        fptr = _sub(schemas, METS_NS, "fptr")
        fptr.set("FILEID", ids[f.path])
    return _serialize(root)
