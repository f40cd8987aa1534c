"""`arshjul archive export`: a justerat protocol and a closed case as E-ARK SIP packages that
validate against the METS and PREMIS schemas, with every file's checksum as METS and PREMIS say."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from arshjul.cli import app
from arshjul.forms.content import AttachmentRef, EconomicSection, ReportContent
from arshjul.models.rounds import RoundState
from arshjul.settings import BUNDLED_CONFIG
from arshjul.store.configuration import import_file
from arshjul.store.models import ProtocolArchive, Submission
from arshjul.store.repositories import (
    AttachmentRepository,
    AuditRepository,
    RoundRepository,
    SubmissionRepository,
)
from tests.archive.conftest import verified
from tests.archive.test_schemas import OFFICIAL
from tests.protocol.conftest import MEETING, SECRETARY, Committee, spec_for
from tests.store.conftest import event

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
REMIT = "Åtgärdsplan saknas för underskottet."
PACKAGE = "hedemora-ksau-2026-10-06-protokoll"
REP1 = "representations/rep1/data"
EARK_SIP = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"


def export(c: Committee, out: Path, *args: str, config: bool = True) -> tuple[int, str]:
    """Runs `arshjul archive export ARGS -o OUT` on the committee's store (with the bundled
    configuration as --config, unless `config` is False)."""
    url = str(c.sessions.kw["bind"].url.render_as_string(hide_password=False))
    named = ["--config", str(BUNDLED_CONFIG)] if config else []
    result = CliRunner().invoke(
        app, ["archive", "export", *args, "-o", str(out), *named, "--database-url", url]
    )
    return result.exit_code, result.output


def _meeting_args(meeting: str = MEETING.isoformat()) -> list[str]:
    return ["--committee", "ksau", "--meeting", meeting]


def test_a_justerat_protocol_is_packaged_with_its_decisions_and_valid_metadata(
    committee: Committee, tmp_path: Path
) -> None:
    c = committee
    c.decide("bun", "remitted", REMIT)
    c.decide("bun", "approved")
    c.decide("sof", "referred", "Större avvikelse: KS beslutar.")
    c.justera()
    code, output = export(c, tmp_path / "ut", *_meeting_args())
    assert code == 0, output
    folder = tmp_path / "ut" / PACKAGE
    assert f"wrote the archive package {folder}" in " ".join(output.split())

    found = verified(folder)  # METS and PREMIS schemas, every checksum and size
    assert (found["objid"], found["profile"]) == (PACKAGE, EARK_SIP)
    assert set(found["files"]) == {
        f"{REP1}/protokoll.pdf",
        f"{REP1}/sammantrade.xml",
        *(f"schemas/{name}" for name in OFFICIAL),
    }
    # The package carries the official schemas its XML follows.
    assert {n: found["files"][f"schemas/{n}"]["sha256"] for n in OFFICIAL} == OFFICIAL
    assert set(found["metadata"]) == {"metadata/preservation/premis.xml"}
    pdf = (folder / REP1 / "protokoll.pdf").read_bytes()
    with c.sessions() as session:
        stored = session.query(ProtocolArchive).one()
        assert pdf == stored.content  # the stored archive copy itself, not a new rendering
        assert hashlib.sha256(pdf).hexdigest() == stored.sha256
    assert found["files"][f"{REP1}/protokoll.pdf"]["mimetype"] == "application/pdf"
    assert found["premis_objects"][f"{REP1}/protokoll.pdf"]["pronom"] == "fmt/478"
    # Opened outside arshjul: PDF/A-2u as its XMP metadata declares, and the protocol's words.
    opened = found["pdfs"][f"{REP1}/protokoll.pdf"]
    assert opened["pdfa"] == ["2", "U"] and opened["pages"] >= 1
    assert "Gunnar Ståhl" in opened["text"] and REMIT in opened["text"]

    events = {e["type"]: e for e in found["events"]}
    assert set(events) == {"justering", "creation", "anslag", "information package creation"}
    assert events["justering"]["agents"] == ["Gunnar Ståhl", "Ingrid Falk"]
    assert events["justering"]["objects"] == [f"{REP1}/protokoll.pdf"]
    assert events["creation"]["agents"] == ["Sofia Lund", "arshjul"]
    assert {a["type"] for a in found["agents"].values()} == {"organization", "software", "person"}

    meeting = etree.parse(str(folder / REP1 / "sammantrade.xml")).getroot()
    assert (meeting.get("committee"), meeting.get("date")) == (
        "Kommunstyrelsens arbetsutskott (KSAU)",
        "2026-10-06",
    )
    decisions = meeting.findall("decisions/decision")
    assert [(d.get("paragraph"), d.get("outcome")) for d in decisions] == [
        ("1", "remitted"),
        ("2", "approved"),
        ("3", "referred"),
    ]
    assert decisions[0].findtext("reason") == REMIT
    assert (
        decisions[0]
        .findtext("text", "")
        .startswith("Kommunstyrelsens arbetsutskott beslutar att återremittera")
    )
    assert [s.text for s in meeting.findall("justering/signature")] == [
        "Gunnar Ståhl",
        "Ingrid Falk",
    ]
    assert meeting.find("protocol").get("sha256") == hashlib.sha256(pdf).hexdigest()  # type: ignore[union-attr]

    # A second export never overwrites the first.
    code, output = export(c, tmp_path / "ut", *_meeting_args())
    assert code == 1 and "already exists" in output
    assert [p.name for p in (tmp_path / "ut").iterdir()] == [PACKAGE]


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        ("none", ["--committee", "kfn", "--meeting", "2026-10-06"], "no committee 'kfn'"),
        ("none", _meeting_args("2026-10-07"), "no meeting on 2026-10-07 (its meetings in 2026:"),
        ("none", _meeting_args("6/10"), "--meeting must be a date"),
        ("decided", _meeting_args(), "is not justerat yet"),
        ("justerat", _meeting_args(), "its anslag is not recorded"),
        ("none", ["--round", "round/hedemora/x"], "is not a round id"),
        ("none", ["--round", "round/hedemora/manadsrapport/2026-08/xyz"], "no round"),
        ("none", ["--committee", "ksau"], "give --committee and --meeting"),
        ("none", [*_meeting_args(), "--round", "round/a/b/c/d"], "not more than one"),
        ("none", ["--round", "round/a/b/c/d", "--all"], "not more than one"),
    ],
)
def test_bad_input_gets_a_clear_message_and_writes_nothing(
    committee: Committee, tmp_path: Path, setup: str, args: list[str], message: str
) -> None:
    if setup in ("decided", "justerat"):
        committee.decide("bun", "approved")
    if setup == "justerat":
        committee.justera(anslag=False)
    out = tmp_path / "ut"
    code, output = export(committee, out, *args)
    assert code == 1, output
    assert message in " ".join(output.split())
    assert not out.exists() or not any(out.iterdir())


def _content(analysis: str, attachments: list[AttachmentRef] | None = None) -> ReportContent:
    return ReportContent(
        economic=EconomicSection(
            budget_tkr="1250", utfall_tkr="980.5", forecast_tkr="1310", analysis=analysis
        ),
        attachments=attachments or [],
    )


def test_a_closed_case_is_packaged_with_every_version_its_attachments_and_audit_log(
    committee: Committee, tmp_path: Path
) -> None:
    c = committee
    spec = spec_for(c.config, "bun")
    plan = "Åtgärdsplan för 2026\nSkolskjuts: -120 tkr\n".encode()
    with c.sessions.begin() as session:
        RoundRepository(session).upsert_from_event(event(spec, 1, "request", RoundState.OPEN))
        audit = AuditRepository(session)
        audit.append(actor="system", action="request", workflow_id=spec.workflow_id, seq=1)
        SubmissionRepository(session).add_version(
            workflow_id=spec.workflow_id,
            content=_content("Underskott inom skolskjuts."),
            submitted_by="asa.berg@example.org",
        )
        audit.append(actor="asa.berg@example.org", action="submitted", workflow_id=spec.workflow_id)
    c.decide("bun", "remitted", REMIT)
    second_sha = hashlib.sha256(b"Reviderad plan").hexdigest()
    with c.sessions.begin() as session:
        attachment = AttachmentRepository(session).add(
            workflow_id=spec.workflow_id,
            name="åtgärdsplan.txt",
            content_type="text/plain",
            data=plan,
            uploaded_by="asa.berg@example.org",
        )
        # Another file of the same name (a corrected plan): both are kept, under two names.
        AttachmentRepository(session).add(
            workflow_id=spec.workflow_id,
            name="Åtgärdsplan.txt",
            content_type="text/plain",
            data=b"Reviderad plan",
            uploaded_by="asa.berg@example.org",
        )
        ref = AttachmentRef(
            name=attachment.name,
            size=attachment.size,
            content_type="text/plain",
            sha256=attachment.sha256,
        )
        SubmissionRepository(session).add_version(
            workflow_id=spec.workflow_id,
            content=_content("Underskott inom skolskjuts; åtgärdsplan bifogad.", [ref]),
            submitted_by="asa.berg@example.org",
        )
        AuditRepository(session).append(
            actor="asa.berg@example.org",
            action="submitted",
            workflow_id=spec.workflow_id,
            reason="komplettering efter återremiss",
        )
    # Handed in again after the återremiss: not a closed case.
    code, output = export(c, tmp_path / "ut", "--round", spec.workflow_id)
    assert code == 1 and (
        "is not closed (state open); a case is archived once it is accepted, approved or "
        "cancelled" in " ".join(output.split())
    )
    assert not (tmp_path / "ut").exists()

    c.decide("bun", "approved")
    with c.sessions.begin() as session:
        RoundRepository(session).upsert_from_event(event(spec, 9, "approved", RoundState.APPROVED))
        AuditRepository(session).append(
            actor=SECRETARY, action="approved", workflow_id=spec.workflow_id, seq=9
        )
    code, output = export(c, tmp_path / "ut", "--round", spec.workflow_id)
    assert code == 0, output
    folder = tmp_path / "ut" / "hedemora-manadsrapport-2026-08-bun-arende"
    found = verified(folder)
    rep2 = "representations/rep2/data"
    assert set(found["files"]) == {
        f"{REP1}/inlamning-v1.json",
        f"{REP1}/inlamning-v2.json",
        f"{REP1}/bilagor/atgardsplan.txt",
        f"{REP1}/bilagor/Atgardsplan-{second_sha[:8]}.txt",
        f"{REP1}/arende.xml",
        f"{REP1}/handelselogg.xml",
        f"{rep2}/inlamning-v1.pdf",
        f"{rep2}/inlamning-v2.pdf",
        *(f"schemas/{name}" for name in OFFICIAL),
    }
    with c.sessions() as session:
        versions = session.query(Submission).order_by(Submission.version).all()
        for v in versions:
            data = (folder / REP1 / f"inlamning-v{v.version}.json").read_bytes()
            assert json.loads(data) == v.content
            # The hash taken when it was submitted, so fixity runs unbroken from the form on.
            assert hashlib.sha256(data).hexdigest() == v.sha256
    assert (folder / REP1 / "bilagor" / "atgardsplan.txt").read_bytes() == plan
    # Names in the package are plain ASCII; PREMIS keeps each file's name as uploaded.
    originals = {k: v["original_name"] for k, v in found["premis_objects"].items()}
    assert originals[f"{REP1}/bilagor/atgardsplan.txt"] == "åtgärdsplan.txt"
    assert originals[f"{REP1}/bilagor/Atgardsplan-{second_sha[:8]}.txt"] == "Åtgärdsplan.txt"
    assert found["files"][f"{REP1}/bilagor/atgardsplan.txt"]["mimetype"] == "text/plain"
    for version, analysis in ((1, "Underskott inom skolskjuts."), (2, "åtgärdsplan bifogad")):
        opened = found["pdfs"][f"{rep2}/inlamning-v{version}.pdf"]
        assert opened["pdfa"] == ["2", "U"]
        words = opened["text"]
        for expected in (
            "Månadsrapport – Barn- och utbildningsförvaltningen",
            f"Version {version}",
            analysis,
            "1 250 tkr",
        ):
            assert expected in words, (version, expected)
    assert "åtgärdsplan.txt" in found["pdfs"][f"{rep2}/inlamning-v2.pdf"]["text"]

    log = etree.parse(str(folder / REP1 / "handelselogg.xml")).getroot()
    assert log.get("case") == spec.workflow_id
    assert [e.get("action") for e in log.findall("entry")] == [
        "request",
        "submitted",
        "submitted",
        "approved",
    ]
    assert log.findall("entry")[2].findtext("reason") == "komplettering efter återremiss"
    case = etree.parse(str(folder / REP1 / "arende.xml")).getroot()
    assert [d.get("outcome") for d in case.findall("decisions/decision")] == [
        "remitted",
        "approved",
    ]
    assert [v.get("number") for v in case.findall("versions/version")] == ["1", "2"]
    types = [e["type"] for e in found["events"]]
    assert types.count("creation") == 4  # two versions submitted, two attachments uploaded
    assert types.count("decision") == 2 and types[-1] == "information package creation"


def test_a_cancelled_case_without_a_submission_is_packaged_with_its_log(
    committee: Committee, tmp_path: Path
) -> None:
    c = committee
    spec = spec_for(c.config, "sof")
    with c.sessions.begin() as session:
        RoundRepository(session).upsert_from_event(event(spec, 1, "request", RoundState.OPEN))
        RoundRepository(session).upsert_from_event(
            event(spec, 2, "cancelled", RoundState.CANCELLED)
        )
        AuditRepository(session).append(
            actor="eva.ekstrom@example.org",
            action="cancelled",
            workflow_id=spec.workflow_id,
            reason="Rapporten utgår i år",
            seq=2,
        )
    code, output = export(c, tmp_path / "ut", "--round", spec.workflow_id)
    assert code == 0, output
    found = verified(tmp_path / "ut" / "hedemora-manadsrapport-2026-08-sof-arende")
    assert set(found["files"]) == {
        f"{REP1}/arende.xml",
        f"{REP1}/handelselogg.xml",
        *(f"schemas/{name}" for name in OFFICIAL),
    }
    log = etree.parse(
        str(
            tmp_path
            / "ut"
            / "hedemora-manadsrapport-2026-08-sof-arende"
            / REP1
            / "handelselogg.xml"
        )
    )
    assert log.findtext("entry/reason") == "Rapporten utgår i år"


def test_without_config_the_package_names_what_the_store_runs(
    committee: Committee, tmp_path: Path
) -> None:
    c = committee
    renamed = tmp_path / "hedemora.yaml"
    renamed.write_text(
        BUNDLED_CONFIG.read_text(encoding="utf-8").replace(
            "name: Hedemora kommun (exempel)", "name: Hedemora kommun", 1
        ),
        encoding="utf-8",
    )
    with c.sessions.begin() as session:
        import_file(session, renamed, actor="eva.ekstrom@example.org", reason="Nytt namn")
    c.decide("bun", "approved")
    c.justera()
    code, output = export(c, tmp_path / "ut", *_meeting_args(), config=False)
    assert code == 0, output
    found = verified(tmp_path / "ut" / PACKAGE)
    assert found["agents"]["agent-organisation"]["name"] == "Hedemora kommun"


def test_all_writes_what_the_archive_folder_lacks_and_only_that(
    committee: Committee, tmp_path: Path
) -> None:
    c = committee
    closed, still_open = spec_for(c.config, "bun"), spec_for(c.config, "sof")
    c.decide("bun", "approved")
    c.decide("sof", "remitted", REMIT)
    with c.sessions.begin() as session:
        RoundRepository(session).upsert_from_event(
            event(closed, 9, "approved", RoundState.APPROVED)
        )
        RoundRepository(session).upsert_from_event(
            event(still_open, 9, "remitted", RoundState.REMITTED)
        )
    c.justera()
    out = tmp_path / "e-arkiv"
    code, output = export(c, out, "--all")
    assert code == 0, output
    assert "2 written, 0 already in" in " ".join(output.split())
    assert sorted(p.name for p in out.iterdir()) == [
        "hedemora-ksau-2026-10-06-protokoll",
        "hedemora-manadsrapport-2026-08-bun-arende",
    ]
    for folder in out.iterdir():
        verified(folder)
    code, output = export(c, out, "--all")
    assert code == 0 and "0 written, 2 already in" in " ".join(output.split())
